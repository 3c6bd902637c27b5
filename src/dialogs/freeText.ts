import { MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { dateTime } from '../dates';
import faqActions from '../../data/faqActions.json';
import type { i18n as I18n } from 'i18next';
import type { Translator } from '../i18n';
import { isOpen } from '../services/businessHours';
import { checkProfessionalId } from '../services/identifiers';
import { normalize } from '../services/text';
import { redactForRecord } from '../services/support/redact';
import type { Nlu } from '../services/nlu';
import { noteError, tr, turnLocale, withholdMessage } from './turn';
import { Glossary, recognizeSmallTalk, type SmallTalk } from './conversationWords';
import type { MenuVerb } from '../cards/common';
import type { UnderstandingLog } from '../services/support/understandingLog';

/** What the conversation should do after a free-text message was handled. */
export type FreeTextOutcome =
  | { kind: 'answered' }
  /** An emergency: 15 / 112 and nothing else (not even the current card again). */
  | { kind: 'emergency' }
  | { kind: 'command'; command: 'help' | 'cancel' | 'menu' | 'status' | 'language' }
  /** "conseiller": a ticket to the right helpdesk, starting from what the user said and the topic of the last answer. */
  | { kind: 'support'; question?: string; topic?: string }
  /** A journey asked for: « je veux m'engager », « créer mon compte Medimail ». */
  | { kind: 'start'; journey: 'accreditation' | 'medimail' }
  /** At the menu, two words naming an entry that are no known question (« compte medimail »): that entry. */
  | { kind: 'entry'; verb: MenuVerb }
  /** « merci », « bonjour », « ok », « au revoir »: a short answer, the conversation stays where it was. */
  | { kind: 'chatted'; talk: SmallTalk }
  /** 👍 / 👎 on the last answer: noted (and the helpdesk offered after a 👎); the conversation stays where it was. */
  | { kind: 'noted' };

/** Where the message was typed: the journey (it settles an ambiguity between the two procedures), the step, the menu. */
export interface Whereabouts {
  journey?: string;
  step?: string;
  /** At the menu, a message of a word or two naming an entry opens it when it is no known question. */
  entryFallback?: boolean;
}

/** Context the answers use: where the user is in a journey. */
export interface Situation {
  /** "Le mail est parti le … vers …" for the accreditation credentials, if any. */
  lastCredentialsMail(context: TurnContext): Promise<{ at: Date; maskedEmail: string; signedIn: boolean } | undefined>;
  /** Which journey the conversation is in, to route to the right helpdesk. */
  journey(context: TurnContext): Promise<'accreditation' | 'medimail' | undefined>;
  /** The accreditation request this conversation holds (made or signed into here): « qui est mon OA ? » answers about it. */
  physician(context: TurnContext): Promise<{ identifier: string; specialty: string; oa?: string } | undefined>;
}

interface Understanding {
  misunderstood?: number;
  /** The last question answered or not understood, and its topic: a ticket starts from them. */
  lastQuestion?: string;
  lastTopic?: string;
}

const FRENCH = new Set(['le', 'la', 'les', 'de', 'des', 'du', 'je', 'jai', 'pas', 'mon', 'ma', 'mes', 'est', 'pour', 'quel', 'quelle', 'comment', 'un', 'une', 'et', 'ou', 'que', 'qui', 'quoi', 'cest', 'dans', 'sur', 'avec', 'il', 'on', 'ne', 'au', 'aux', 'chez']);
const ENGLISH = new Set(['the', 'i', 'my', 'is', 'not', 'what', 'how', 'did', 'do', 'does', 'didnt', 'dont', 'for', 'to', 'a', 'an', 'in', 'of', 'where', 'when', 'which', 'can', 'cant', 'get', 'got', 'it', 'and', 'with', 'am', 'are']);

/** The language a message is written in, when its little words say so clearly. */
function writtenIn(text: string): 'fr' | 'en' | undefined {
  const words = normalize(text).replace(/'/g, '').split(/\s+/);
  const fr = words.filter((w) => FRENCH.has(w)).length;
  const en = words.filter((w) => ENGLISH.has(w)).length;
  if (en >= 2 && en > fr) return 'en';
  if (fr >= 2 && fr > en) return 'fr';
  return undefined;
}

/** A troubleshooting topic of knowledge §5(a) (not navigation, not out of scope). */
const TOPIC = /^[HMI]\d{2}$/;
/** Two topics are "close" when the second is at least this likely, and this share of the first. */
const CLOSE_SCORE = 0.25;
const CLOSE_RATIO = 0.4;

const BUTTONS = Symbol('sesame.answerButtons');

/** The buttons of this turn's answer, if any: a channel shows buttons only under the latest message. */
export function answerButtons(context: TurnContext): string[] {
  return (context.turnState.get(BUTTONS) as string[] | undefined) ?? [];
}

/** The bare emoji, typed. */
const OPINIONS: Record<string, boolean> = { '👍': true, '👎': false };

/** A command the classifier recognised is one only when it is the whole message (« aide moi »), not a word in a question (« aide pour le dossier »). */
const COMMAND_ONLY_WHEN_SHORT = new Set(['nav_help', 'nav_menu', 'nav_cancel', 'nav_language']);
/** Asking for help around a question, not the question itself. */
const PLEA = /\b(j ai besoin d aide|besoin d aide|aidez moi|aide moi|aide pour|aide a|help me|i need help|please help|help with)\b/g;
/** The words that make a command, taken out of a longer message before it is understood again. */
const COMMAND_WORDS = /\b(j ai besoin d aide|besoin d aide|aidez moi|aide moi|aide|help me|help|menu|annuler|cancel)\b/g;

/** The procedure a question names, if it names one only: 'H' (accreditation) or 'M' (Medimail). */
export function namedSide(text: string): 'H' | 'M' | undefined {
  const words = normalize(text);
  const medimail = /\b(medimail|mss|mssante|messagerie|cerbere|mipih|grades)\b/.test(words);
  // « HAS » in capitals only: in English, « has » is a verb (« the mail has not arrived »).
  const accreditation = /\b(accreditation|siam|engagement|oa)\b/.test(words) || /\bHAS\b/.test(text);
  return medimail === accreditation ? undefined : medimail ? 'M' : 'H';
}

// The welcome card's entries, typed: a word or two (« medimail », « accréditation »), as the keywords'
// fallback; longer messages are the classifier's to understand (a question naming Medimail is a question).
const ENTRY_WORDS: [RegExp, MenuVerb][] = [
  [/\b(accreditation|accredite|engagement|engager|siam)\b/, 'accreditation.start'],
  [/\b(medimail|mssante|messagerie|mss|mail securise)\b/, 'medimail.start'],
  [/\b(probleme|pb|souci|bloque|problem|stuck|issue|support|depannage)\b/, 'help.problem'],
];
const ENTRY_MAX_WORDS = 2;
const WELCOME_ENTRIES: [string, MenuVerb][] = [['accreditation', 'accreditation.start'], ['medimail', 'medimail.start'], ['problem', 'help.problem'], ['privacy', 'privacy.start']];

const SUGGESTION_VERBS: Record<string, string> = { status: 'status', signin: 'status', support: 'support', menu: 'menu', accreditation: 'menu', medimail: 'menu' };

/**
 * Free text typed anywhere: an identifier recognised, a troubleshooting answer (with the user's
 * situation), an out-of-scope request declined and redirected, an ambiguity asked back, or an
 * honest "I did not understand" with the closest topics — and the helpdesk after two misses.
 */
export class FreeTextAnswerer {
  constructor(
    private readonly i18n: I18n,
    private readonly nlu: Nlu,
    private readonly understanding: StatePropertyAccessor<Understanding>,
    private readonly situation: Situation,
    private readonly log?: UnderstandingLog,
  ) {
    for (const lng of ['fr', 'en']) {
      const faq = (i18n.getResourceBundle(lng, 'faq') ?? {}) as Record<string, { title?: string }>;
      for (const entry of Object.values(faq)) if (entry.title) this.titles.add(normalize(entry.title));
      const t = i18n.getFixedT(lng);
      for (const [key, verb] of WELCOME_ENTRIES) this.entries.set(normalize(t(`welcome.${key}`)), verb);
    }
    this.glossary = new Glossary(i18n);
    for (const lng of ['fr', 'en']) {
      const t = i18n.getFixedT(lng);
      this.opinions.set(normalize(t('understand.helpful')), true);
      this.opinions.set(normalize(t('understand.notHelpful')), false);
    }
  }

  /** 👍 / 👎 typed or clicked, by their titles. */
  private readonly opinions = new Map<string, boolean>();

  /** The discreet 👍 / 👎 after an answer. */
  private opinionButtons(t: Translator): string[] {
    return [t('understand.helpful'), t('understand.notHelpful')];
  }

  private readonly glossary: Glossary;
  /** The welcome card's entries by their titles, in both languages: the « Autre chose ? » buttons send them. */
  private readonly entries = new Map<string, MenuVerb>();

  /**
   * A welcome entry typed: its exact title (`exact`, as a suggested action sends it), or a word or
   * two naming it. Anything longer is a sentence for the classifier.
   */
  entry(text: string): { verb: MenuVerb; exact: boolean } | undefined {
    const normalized = normalize(text);
    const titled = this.entries.get(normalized);
    if (titled) return { verb: titled, exact: true };
    if (normalized.split(' ').length > ENTRY_MAX_WORDS) return undefined;
    const verb = ENTRY_WORDS.find(([pattern]) => pattern.test(normalized))?.[1];
    return verb ? { verb, exact: false } : undefined;
  }

  /** The entries' titles, for « Autre chose ? ». */
  entryTitles(t: Translator): string[] {
    return WELCOME_ENTRIES.slice(0, 3).map(([key]) => t(`welcome.${key}`));
  }

  /** The normalized titles of the topics, in both languages: what the answer buttons send. */
  private readonly titles = new Set<string>();

  /** A topic's button (its title): a question, even where its words name a menu entry ("… Medimail …"). */
  isTopicTitle(text: string): boolean {
    return this.titles.has(normalize(text));
  }

  async handle(context: TurnContext, text: string, where: Whereabouts = {}): Promise<FreeTextOutcome> {
    const { journey, step, entryFallback = false } = where;
    const identifier = this.identifier(tr(context), text);
    if (identifier) {
      await context.sendActivity(identifier);
      return { kind: 'answered' };
    }
    // A question clearly written in the other language is answered in that language.
    const written = writtenIn(text);
    const t = written && written !== turnLocale(context) ? this.i18n.getFixedT(written) : tr(context);
    const memory = await this.understanding.get(context, {});
    const opinion = this.opinions.get(normalize(text)) ?? OPINIONS[text.trim()];
    if (opinion !== undefined) {
      await this.log?.record({ kind: 'feedback', topic: memory.lastTopic, journey, step, helpful: opinion, locale: turnLocale(context) });
      if (opinion) await context.sendActivity(t('understand.feedbackThanks'));
      else await this.reply(context, t('understand.feedbackSorry'), [t('understand.support')]);
      return { kind: 'noted' };
    }
    const talk = recognizeSmallTalk(text);
    if (talk) return { kind: 'chatted', talk };
    // « c'est quoi l'URML ? »: a definition from the glossary (or the topic a term has).
    const term = this.glossary.lookup(text);
    if (term) {
      memory.misunderstood = 0;
      memory.lastQuestion = redactForRecord(text);
      memory.lastTopic = term.topic;
      if (term.topic) await this.answer(context, t, term.topic);
      else await this.reply(context, t(`glossary.${term.key}.definition`), this.opinionButtons(t));
      return { kind: 'answered' };
    }
    // « j'ai besoin d'aide, … »: the help asked for is what follows.
    const plea = normalize(text).replace(PLEA, ' ').replace(/\s+/g, ' ').trim();
    const asked = plea !== normalize(text) && plea.split(' ').length >= 2 ? plea : text;
    let understood = await this.nlu.understand(asked, turnLocale(context));
    // « j'ai besoin d'aide, mon mot de passe est refusé » is a question, not the command « aide »: what it says without the command's words.
    const rest = normalize(text).replace(PLEA, ' ').replace(COMMAND_WORDS, ' ').replace(/\s+/g, ' ').trim();
    if (understood.intent && COMMAND_ONLY_WHEN_SHORT.has(understood.intent) && rest.split(' ').length >= 2) {
      const again = await this.nlu.understand(rest, turnLocale(context));
      // What is left is a known question: that is what was asked. Otherwise it was the command after all (« retour au menu »).
      if (again.intent && TOPIC.test(again.intent)) understood = { ...again, alternatives: again.alternatives.filter((a) => !a.intent.startsWith('nav_')) };
    }
    const intent = understood.intent;
    // The keywords are the fallback of a short message nothing else understood (never over an emergency or a topic).
    const fallback = entryFallback && (!intent || intent.startsWith('start_')) ? this.entry(text) : undefined;
    if (fallback) return { kind: 'entry', verb: fallback.verb };
    if (intent === 'start_accreditation' || intent === 'start_medimail') {
      memory.misunderstood = 0;
      return { kind: 'start', journey: intent === 'start_accreditation' ? 'accreditation' : 'medimail' };
    }
    if (!intent) {
      memory.misunderstood = (memory.misunderstood ?? 0) + 1;
      memory.lastQuestion = redactForRecord(text);
      memory.lastTopic = undefined;
      noteError(context, t('support.misunderstood', { text }));
      await this.log?.record({ kind: 'unanswered', topic: understood.alternatives.find((a) => TOPIC.test(a.intent))?.intent, journey, step, text: redactForRecord(text), locale: turnLocale(context) });
      await this.dontKnow(context, t, understood.alternatives.map((a) => a.intent), memory.misunderstood >= 2);
      return { kind: 'answered' };
    }
    memory.misunderstood = 0;
    if (intent === 'OOS10') {
      await context.sendActivity(t('faq:OOS10.answer'));
      return { kind: 'emergency' };
    }
    if (intent === 'OOS09') {
      // A password typed in the chat is not kept: not in the transcript, and withdrawn where the channel allows it.
      withholdMessage(context);
      await context.deleteActivity(context.activity.id ?? '').catch(() => undefined);
      await context.sendActivity(t('understand.passwordNotStored'));
      return { kind: 'answered' };
    }
    if (intent === 'nav_advisor') {
      // A sentence saying what is wrong is the description; "conseiller" alone refers to the last question.
      const question = text.trim().split(/\s+/).length > 4 ? text : memory.lastQuestion;
      return { kind: 'support', question, topic: memory.lastTopic };
    }
    if (intent.startsWith('nav_')) return { kind: 'command', command: intent.slice('nav_'.length) as 'help' | 'cancel' | 'menu' | 'status' | 'language' };
    // A second topic nearly as likely: the journey the user is in settles it between the two procedures
    // ("pas reçu" is the credentials mail in the accreditation, the confirmation mail in Medimail); else ask.
    let topic = intent;
    const named = namedSide(text);
    // A question that names one procedure is about that procedure (« mail cerbère pas reçu » is Medimail's mail).
    const namedTopic = named && TOPIC.test(intent) && 'HM'.includes(intent[0]) && intent[0] !== named ? understood.alternatives.find((a) => TOPIC.test(a.intent) && a.intent[0] === named && a.score >= CLOSE_SCORE) : undefined;
    const second = understood.alternatives.find((a) => TOPIC.test(a.intent));
    if (namedTopic) topic = namedTopic.intent;
    else if (TOPIC.test(intent) && second && second.score >= CLOSE_SCORE && second.score / understood.score >= CLOSE_RATIO) {
      // The procedure the question names settles it first (« le mail de Medimail »), then the journey the user is in.
      const side = named ?? { accreditation: 'H', medimail: 'M' }[journey ?? (await this.situation.journey(context)) ?? ''];
      if (side && intent[0] !== second.intent[0] && [intent[0], second.intent[0]].includes(side)) topic = intent[0] === side ? intent : second.intent;
      else {
        await this.log?.record({ kind: 'askedBack', topic: `${intent} / ${second.intent}`, journey, step, text: redactForRecord(text), locale: turnLocale(context) });
        await this.reply(context, t('understand.didYouMean'), [t(`faq:${intent}.title`), t(`faq:${second.intent}.title`)]);
        return { kind: 'answered' };
      }
    }
    memory.lastQuestion = redactForRecord(text);
    memory.lastTopic = topic;
    await this.answer(context, t, topic, journey);
    return { kind: 'answered' };
  }

  private async answer(context: TurnContext, t: Translator, topic: string, journey?: string): Promise<void> {
    // « Je n'ai pas reçu le mail » in the Medimail journey, or from someone with a Medimail account: its confirmation mail.
    const intent = topic === 'H04' && (journey ?? (await this.situation.journey(context))) === 'medimail' ? 'M06' : topic;
    const parts = [t(`faq:${intent}.answer`)];
    // What Sésame knows of this physician comes first: « qui est mon OA ? », « c'est quoi mon identifiant ? ».
    if (intent === 'H02' || intent === 'H05') {
      const physician = await this.situation.physician(context);
      if (physician && intent === 'H05') parts.unshift(t('understand.myUsername', { identifier: physician.identifier }));
      const specialty = physician ? t(`accreditation:specialty.${physician.specialty}`) : '';
      if (physician && intent === 'H02') parts.unshift(physician.oa ? t('understand.myOa', { oa: physician.oa, specialty }) : t('understand.myOaUnknown', { specialty }));
    }
    if (intent === 'H04') {
      const last = await this.situation.lastCredentialsMail(context);
      // Already signed in: the credentials mail served; a new temporary password is not what helps.
      if (last?.signedIn) parts.splice(0, 1, t('understand.credentialsUsed', { date: dateTime(t, last.at), email: last.maskedEmail }));
      else if (last) parts.push(t('understand.mailSent', { date: dateTime(t, last.at), email: last.maskedEmail }));
    }
    if (intent === 'H24' || intent === 'M14') parts.push(await this.contacts(context, t, intent === 'M14' ? 'medimail' : 'accreditation'));
    const verbs = [...new Set(((faqActions as Record<string, string[]>)[intent] ?? []).map((a) => SUGGESTION_VERBS[a]).filter(Boolean))];
    await this.reply(context, parts.join('\n\n'), [...this.opinionButtons(t), ...verbs.map((v) => t(`understand.${v}`))]);
  }

  private async dontKnow(context: TurnContext, t: Translator, closest: string[], offerHelpdesk: boolean): Promise<void> {
    const titles = closest.filter((i) => !i.startsWith('nav_') && !i.startsWith('OOS')).map((i) => t(`faq:${i}.title`)).filter(Boolean).slice(0, 3);
    const text = [titles.length ? t('understand.unknown') : t('understand.unknownNoSuggestion')];
    if (offerHelpdesk) text.push(t('understand.helpdesk'), await this.contacts(context, t));
    await this.reply(context, text.join('\n\n'), [...titles, t('understand.support')]);
  }

  /** An answer with its next actions as buttons; they also go on the step shown again after it (see MainDialog). */
  private async reply(context: TurnContext, text: string, buttons: string[]): Promise<void> {
    context.turnState.set(BUTTONS, buttons);
    await context.sendActivity(MessageFactory.suggestedActions(buttons, text));
  }

  /** The right helpdesk for where the user is (both when it is not known). */
  private async contacts(context: TurnContext, t: Translator, journey?: 'accreditation' | 'medimail'): Promise<string> {
    const where = journey ?? (await this.situation.journey(context));
    const medimail = t('understand.contactsMedimail', { open: t(isOpen(new Date()) ? 'medimail:support.open' : 'medimail:support.closed') });
    if (where === 'medimail') return medimail;
    if (where === 'accreditation') return t('understand.contactsAccreditation');
    return `${t('understand.contactsAccreditation')}\n\n${medimail}`;
  }

  /** An RPPS, ADELI or national identifier typed in a sentence ("mon rpps 101 0032 6494"). */
  private identifier(t: Translator, text: string): string | undefined {
    const match = /\d[\d .-]{7,16}\d/.exec(text);
    if (!match) return undefined;
    const check = checkProfessionalId(match[0]);
    if (check.status === 'valid') return t('understand.identifierValid', { value: check.value, kind: check.kind });
    if (check.status === 'badKey') return t('understand.identifierBadKey', { value: check.value, kind: check.kind });
    if (check.status === 'nationalId') return t('understand.identifierNational', { value: check.value, rpps: check.rpps });
    return undefined;
  }
}
