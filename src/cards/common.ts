import { z } from 'zod';
import type { Translator } from '../i18n';
import type { AdaptiveCard, CardElement } from './adaptive';
import { plain } from './adaptive';
import { fact, form, pick, text, texts, userText } from './schema';

export const MENU_VERBS = ['accreditation.start', 'medimail.start', 'help.problem', 'privacy.start'] as const;
export type MenuVerb = (typeof MENU_VERBS)[number];

const WELCOME = ['title', 'intro', 'support', 'question', 'hint', 'accreditation', 'medimail', 'problem', 'privacy'] as const;
const PRIVACY = ['title', 'intro', 'rights', 'export', 'erase', 'back'] as const;

export const commonSchemas = {
  /** The first thing a user sees: what Sésame does and its three entries. */
  welcome: z.object({ promptId: form.promptId, text: texts(...WELCOME) }),
  /** What was sent, read-only (Teams replaces the card with it, so it cannot be sent twice). */
  recap: z.object({ sent: text, facts: z.array(fact.extend({ value: userText })) }),
  /** « Mes données »: what Sésame keeps, a copy or its erasure (RGPD). */
  privacy: z.object({ promptId: form.promptId, text: texts(...PRIVACY) }),
  /** Before erasing: what goes, what is kept and why, then Supprimer définitivement / Annuler. */
  eraseConfirm: z.object({ promptId: form.promptId, title: text, willErase: text, kept: z.array(text), ticketsElsewhere: text, confirm: text, cancel: text }),
  /** Before what cannot be undone (a questionnaire or an EPR sent, an expert's decision): the recap, what follows, Confirmer / Modifier. */
  confirm: z.object({ promptId: form.promptId, title: text, intro: text, facts: z.array(fact.extend({ value: userText })), warning: text, confirm: text, back: text }),
};

/** The confirmation card's data: `what` names the act (prompt.confirm.<what>.title, .intro, .warning). */
export function confirmData(t: Translator, promptId: string, what: 'questionnaire' | 'epr' | 'decision', facts: { title: string; value: string }[], params: Record<string, unknown> = {}) {
  return {
    promptId,
    title: t(`prompt.confirm.${what}.title`, params),
    intro: t(`prompt.confirm.${what}.intro`, params),
    facts,
    warning: t(`prompt.confirm.${what}.warning`, params),
    confirm: t('prompt.confirm.confirm'),
    back: t('prompt.confirm.back'),
  };
}

export const privacyData = (t: Translator, promptId: string) => ({ promptId, text: pick(t, 'privacy', PRIVACY) });

/** What erasure would keep, said before it (and after): a request the OA examined, a mailbox that exists. */
export type KeptData = { what: 'accreditation' | 'medimail'; status: string };
export function keptSentences(t: Translator, kept: KeptData[]): string[] {
  return kept.map((k) => t(k.what === 'accreditation' ? 'privacy.keptAccreditation' : 'privacy.keptMedimail', { status: t(`privacy.status.${k.status}`) }));
}

export function eraseConfirmData(t: Translator, promptId: string, accounts: { accreditation: boolean; medimail: boolean }, kept: KeptData[]) {
  const erasedAccounts = [accounts.accreditation && !kept.some((k) => k.what === 'accreditation') ? t('privacy.accreditationAccount') : '', accounts.medimail && !kept.some((k) => k.what === 'medimail') ? t('privacy.medimailAccount') : ''].join('');
  return {
    promptId,
    title: t('privacy.confirmTitle'),
    willErase: t('privacy.willErase', { accounts: erasedAccounts }),
    kept: keptSentences(t, kept),
    ticketsElsewhere: t('privacy.ticketsElsewhere'),
    confirm: t('privacy.confirm'),
    cancel: t('privacy.cancel'),
  };
}

export const welcomeData = (t: Translator, promptId: string) => ({ promptId, text: pick(t, 'welcome', WELCOME) });

type Input = CardElement & { id: string; label?: string; title?: string; choices?: { title: string; value: string }[]; valueOn?: string };

function inputs(items: CardElement[]): Input[] {
  return items.flatMap((item) => (item.type === 'Container' ? inputs(item.items) : item.type.startsWith('Input.') ? [item as Input] : []));
}

/**
 * The label a button had on the card, for the recap of what was sent — escaped: a button title is
 * plain text on the card, but the recap is markdown, and a title may hold a name ("Ouvrir 1 — …").
 */
export function actionTitle(sent: AdaptiveCard, verb: string): string {
  return plain(sent.actions?.find((a) => a.data.verb === verb)?.title ?? verb);
}

/** The recap's data: the button and every answer as the card showed it (choice titles, yes/no). */
export function recapData(t: Translator, sent: AdaptiveCard, verb: string, values: Record<string, string>) {
  const facts = inputs(sent.body)
    .map((input) => {
      const raw = values[input.id];
      if (raw === undefined || raw === '') return undefined;
      let shown = raw;
      if (input.type === 'Input.ChoiceSet') shown = raw.split(',').map((v) => input.choices?.find((c) => c.value === v)?.title ?? v).join(', ');
      if (input.type === 'Input.Toggle') shown = t(raw === (input.valueOn ?? 'true') ? 'prompt.yes' : 'prompt.no');
      return { title: input.label ?? input.title ?? input.id, value: shown };
    })
    .filter((f): f is { title: string; value: string } => Boolean(f));
  return { sent: t('prompt.recap', { action: actionTitle(sent, verb) }), facts };
}
