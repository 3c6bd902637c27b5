import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { Dialog, DialogTurnStatus, WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { MENU_VERBS, welcomeData, type MenuVerb } from '../cards/common';
import { renderCard } from '../cards/render';
import { normalize } from '../services/text';
import { CardPrompt, type CardPromptResult } from './cardPrompt';
import { InterruptibleDialog, recognizeCommand, type Command, type LeaveCommand } from './interruptibleDialog';
import { carryButtons, tr, trustedEvent, turnLocale } from './turn';
import { answerButtons, type FreeTextAnswerer } from './freeText';
import { isNewRequest, isSignOut } from './accreditationDialog';
import type { SupportOptions } from './supportDialog';
import type { Journey } from '../services/support/tickets';
import type { PrivacyOptions } from './privacyDialog';

export const MAIN_DIALOG = 'main';
const MENU_WATERFALL = 'main.menu';
const MENU_PROMPT = 'main.menuCard';
const LISTEN = 'main.listen';
/** The problems physicians meet most (knowledge §5(a)), offered on "J'ai un problème". */
const COMMON_PROBLEMS = ['H04', 'H05', 'H06', 'M06', 'M10'];

/** A journey opened on something precise: its status, an action typed. */
export interface JourneyStart {
  dialogId: string;
  options?: object;
}

/** What the journeys know of the user, for the root's routing. */
export interface JourneyTyping {
  /** A journey's action typed as text (« j'ai reçu mon RPPS »): the journey to open for it, or undefined (then it is a question). */
  typedAction(context: TurnContext, text: string): Promise<JourneyStart | undefined>;
  /** What the user has here: « où en suis-je » answers about it. */
  holds(context: TurnContext): Promise<{ accreditation: boolean; medimail: boolean }>;
}

/** A journey ended asking for another one's status (the Medimail hub's « Mon accréditation »). */
const endedFor = (result: unknown) => (result as { next?: unknown } | undefined)?.next;

/** The root: the welcome card with Sésame's three entries, and the routing to each journey. */
export class MainDialog extends InterruptibleDialog {
  constructor(
    private readonly journeys: { accreditation: Dialog; desk: Dialog; medimail: Dialog; centre: Dialog; support: Dialog; privacy: Dialog },
    private readonly freeText: FreeTextAnswerer,
    private readonly typing: JourneyTyping,
  ) {
    super(MAIN_DIALOG);
    for (const journey of Object.values(journeys)) this.addDialog(journey);
    this.addDialog(
      new CardPrompt(MENU_PROMPT, {
        verbs: MENU_VERBS,
        schema: z.object({}),
        render: (t, view) => renderCard('common/welcome', welcomeData(t, view.promptId)),
        recognizeText: (text) => freeText.entry(text)?.verb,
      }),
    );
    this.addDialog(new ListenPrompt(LISTEN));
    this.addDialog(new WaterfallDialog(MENU_WATERFALL, [this.showMenu.bind(this), this.route.bind(this), this.backToMenu.bind(this)]));
    this.initialDialogId = MENU_WATERFALL;
  }

  /** Offer the three entries (or, after "J'ai un problème", listen to what the problem is). */
  private async showMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as { listen?: boolean; privacy?: PrivacyOptions; start?: JourneyStart } | undefined;
    // « Mes données » typed anywhere: that journey, then the menu as after any other.
    if (options?.privacy) return step.beginDialog(this.journeys.privacy.id, options.privacy);
    // « Où en suis-je », a journey's action typed: that journey, and the menu once it ends (not a dead turn).
    if (options?.start) return step.beginDialog(options.start.dialogId, options.start.options);
    return step.beginDialog(options?.listen ? LISTEN : MENU_PROMPT);
  }

  /** Start the chosen journey; "J'ai un problème" asks what the problem is, in the user's words. */
  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (endedFor(step.result) === 'accreditationStatus') return step.replaceDialog(MENU_WATERFALL, { start: this.accreditationStatus() });
    const options = step.options as { privacy?: PrivacyOptions; start?: JourneyStart } | undefined;
    if (options?.privacy || options?.start) return step.replaceDialog(MENU_WATERFALL);
    const { verb } = step.result as CardPromptResult<Record<string, never>>;
    if (verb === 'accreditation.start') return step.beginDialog(this.journeys.accreditation.id);
    if (verb === 'medimail.start') return step.beginDialog(this.journeys.medimail.id);
    if (verb === 'privacy.start') return step.beginDialog(this.journeys.privacy.id);
    return step.replaceDialog(MENU_WATERFALL, { listen: true });
  }

  /** A journey ended (or was left): the menu again. */
  private async backToMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (endedFor(step.result) === 'accreditationStatus') return step.replaceDialog(MENU_WATERFALL, { start: this.accreditationStatus() });
    return step.replaceDialog(MENU_WATERFALL);
  }

  /** What the menu's waterfall is given to open a welcome entry. */
  private entryOptions(verb: MenuVerb): { start?: JourneyStart; listen?: boolean; privacy?: PrivacyOptions } {
    if (verb === 'accreditation.start') return { start: { dialogId: this.journeys.accreditation.id } };
    if (verb === 'medimail.start') return { start: { dialogId: this.journeys.medimail.id } };
    if (verb === 'privacy.start') return { privacy: {} };
    return { listen: true };
  }

  private accreditationStatus(): JourneyStart {
    return { dialogId: this.journeys.accreditation.id, options: { start: 'status' } };
  }

  /**
   * A welcome card's entry clicked while another step waits (the welcome is still on screen above it):
   * that entry, as « menu » then the entry would — not « this card is out of date », which left the user
   * on a step that may offer no way there. The entry of the journey already under way is still out of
   * date: a second click (or a channel's resend) never starts it again over what was done.
   */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const value = innerDc.context.activity.value as { verb?: unknown; promptId?: unknown } | undefined;
    const verb = (MENU_VERBS as readonly unknown[]).includes(value?.verb) ? (value!.verb as MenuVerb) : undefined;
    if (verb && !trustedEvent(innerDc.context)) {
      const current = leafOf(innerDc).activeDialog;
      const menuOwnsIt = current?.id === LISTEN || (current?.id === MENU_PROMPT && (value?.promptId === undefined || value.promptId === (current.state as { promptId?: unknown }).promptId));
      const journey = innerDc.stack.map((d) => this.journeyOf(d.id)).find(Boolean);
      const sameJourney = (verb === 'accreditation.start' && journey === 'accreditation') || (verb === 'medimail.start' && journey === 'medimail');
      if (!menuOwnsIt && !sameJourney) {
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(MENU_WATERFALL, this.entryOptions(verb));
      }
    }
    return super.onContinueDialog(innerDc);
  }

  /**
   * A question typed anywhere is answered, then the current step comes back with what was typed
   * so far; at the menu, words naming an entry still open it.
   */
  protected override async onFreeText(innerDc: DialogContext, text: string): Promise<DialogTurnResult | undefined> {
    const leaf = leafOf(innerDc);
    const entry = this.freeText.entry(text);
    const atMenu = leaf.activeDialog?.id === MENU_PROMPT || leaf.activeDialog?.id === LISTEN;
    // At the menu, the one word naming an entry opens it (the menu card's own recognition); two words
    // are a question first (« renouvellement accréditation »), the entry only if no topic is known.
    if (leaf.activeDialog?.id === MENU_PROMPT && entry && singleWord(text) && !this.freeText.isTopicTitle(text)) return undefined;
    if (isSignOut(text)) return undefined;
    // An entry's exact title (« Autre chose ? » sends them): that entry, from anywhere.
    if (entry?.exact) {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(MENU_WATERFALL, this.entryOptions(entry.verb));
    }
    // « nouvelle demande »: the accreditation journey's typed action, from inside it or from anywhere.
    if (isNewRequest(text)) {
      if (innerDc.stack.some((d) => d.id === this.journeys.accreditation.id)) return undefined;
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(this.journeys.accreditation.id, { start: 'renew' });
    }
    const journey = innerDc.stack.map((d) => this.journeyOf(d.id)).find(Boolean);
    // A journey's action typed rather than clicked: that journey, on that action.
    const start = await this.typing.typedAction(innerDc.context, text);
    if (start) {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(MENU_WATERFALL, { start });
    }
    const outcome = await this.freeText.handle(innerDc.context, text, { journey, step: leaf.activeDialog?.id, entryFallback: atMenu });
    if (outcome.kind === 'noted') return { status: DialogTurnStatus.waiting };
    const t = tr(innerDc.context);
    if (outcome.kind === 'entry') {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(MENU_WATERFALL, this.entryOptions(outcome.verb));
    }
    if (outcome.kind === 'start') {
      const target = this.journeys[outcome.journey];
      // Asked for from the menu: that journey. From another journey: offered, so the step in progress is not lost.
      if (!journey) {
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(MENU_WATERFALL, { start: { dialogId: target.id } });
      }
      if (journey !== outcome.journey) {
        const title = t(outcome.journey === 'accreditation' ? 'welcome.accreditation' : 'welcome.medimail');
        await innerDc.context.sendActivity(t('understand.startOffer'));
        carryButtons(innerDc.context, [title]);
      }
      await innerDc.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }
    if (outcome.kind === 'chatted') {
      // Politeness gets a word back, and the conversation stays where it was (at the menu, its entries at hand).
      const reply = t(`smallTalk.${outcome.talk}`);
      await innerDc.context.sendActivity(atMenu ? MessageFactory.suggestedActions(this.freeText.entryTitles(t), reply) : reply);
      return { status: DialogTurnStatus.waiting };
    }
    if (outcome.kind === 'support') {
      // Already writing to the helpdesk: the card comes back (with what was typed) rather than a second one.
      if (innerDc.stack.some((d) => d.id === this.journeys.support.id)) {
        await innerDc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      }
      const options: SupportOptions = { question: outcome.question, topic: outcome.topic, journey, leaf: leaf.activeDialog?.id };
      return innerDc.beginDialog(this.journeys.support.id, options);
    }
    if (outcome.kind === 'command') {
      const other = turnLocale(innerDc.context) === 'fr' ? 'en' : 'fr';
      const command = outcome.command === 'language' ? { language: other as 'fr' | 'en' } : outcome.command;
      return this.interrupt(innerDc, command);
    }
    if (outcome.kind === 'answered' && atMenu) {
      // After an answer at the menu: its buttons and the entries under a short « Autre chose ? », not the whole welcome again.
      const buttons = answerButtons(innerDc.context).filter((b) => recognizeCommand(b) !== 'menu');
      await innerDc.context.sendActivity(MessageFactory.suggestedActions([...buttons, ...this.freeText.entryTitles(t)], t('understand.anythingElse')));
      return { status: DialogTurnStatus.waiting };
    }
    if (outcome.kind === 'answered' && innerDc.activeDialog) {
      // In a journey, buttons that would leave it (« où en suis-je », « menu ») stay on the answer only:
      // under the step, a tap would drop what the card holds.
      const buttons = answerButtons(innerDc.context);
      carryButtons(innerDc.context, journey ? buttons.filter((b) => !isLeaving(recognizeCommand(b))) : buttons);
      await innerDc.repromptDialog();
    }
    return { status: DialogTurnStatus.waiting };
  }

  /** Which journey a dialog of the stack is, if it is one. */
  private journeyOf(dialogId: string): Journey | undefined {
    const { accreditation, medimail, desk, centre } = this.journeys;
    const ids: Record<string, Journey> = { [accreditation.id]: 'accreditation', [medimail.id]: 'medimail', [desk.id]: 'desk', [centre.id]: 'centre' };
    return ids[dialogId];
  }

  /** « aide » at the menu: the help, with the entries at hand — not the whole welcome again. */
  protected override async interrupt(innerDc: DialogContext, command: Command): Promise<DialogTurnResult | undefined> {
    const leaf = leafOf(innerDc);
    if (command === 'help' && (leaf.activeDialog?.id === MENU_PROMPT || leaf.activeDialog?.id === LISTEN)) {
      const t = tr(innerDc.context);
      await innerDc.context.sendActivity(MessageFactory.suggestedActions(this.freeText.entryTitles(t), t('help.text')));
      return { status: DialogTurnStatus.waiting };
    }
    return super.interrupt(innerDc, command);
  }

  protected override async onLeave(innerDc: DialogContext, command: LeaveCommand): Promise<DialogTurnResult> {
    const t = tr(innerDc.context);
    // "annuler" on the ticket card cancels the ticket, not the form the user was filling beneath it.
    if (command === 'cancel' && innerDc.activeDialog?.id === this.journeys.support.id) {
      await innerDc.context.sendActivity(t('support.cancelled'));
      return innerDc.endDialog();
    }
    const journey = innerDc.stack.map((d) => this.journeyOf(d.id)).find(Boolean);
    await innerDc.cancelAllDialogs();
    // "Où en suis-je ?" works from anywhere, about what the user has: in a journey, that one; elsewhere the
    // Medimail account if there is one (its hub also offers the accreditation's status), else the accreditation.
    if (command === 'status') {
      const holds = await this.typing.holds(innerDc.context);
      const medimail = journey === 'medimail' || (holds.medimail && journey !== 'accreditation');
      const start: JourneyStart = medimail ? { dialogId: this.journeys.medimail.id, options: { action: 'hub' } } : this.accreditationStatus();
      return innerDc.beginDialog(MENU_WATERFALL, { start });
    }
    // The OA experts' desk is opened by name ("espace expert"), not offered to physicians on the menu.
    if (command === 'desk') return innerDc.beginDialog(this.journeys.desk.id);
    if (command === 'centre') return innerDc.beginDialog(this.journeys.centre.id);
    // « Mes données », « télécharger / supprimer mes données »: from anywhere.
    if (command === 'myData' || command === 'exportData' || command === 'eraseData') {
      const privacy: PrivacyOptions = command === 'myData' ? {} : { action: command === 'exportData' ? 'export' : 'erase' };
      return innerDc.beginDialog(MENU_WATERFALL, { privacy });
    }
    await innerDc.context.sendActivity(t(command === 'cancel' ? 'cancelled' : 'menu.back'));
    return innerDc.beginDialog(MENU_WATERFALL);
  }
}

/** The dialog the user is answering: the innermost of the stack. */
function leafOf(dc: DialogContext): DialogContext {
  let leaf = dc;
  while (leaf.child) leaf = leaf.child;
  return leaf;
}

const singleWord = (text: string) => normalize(text).split(' ').length === 1;

const isLeaving = (command: Command | undefined) => command === 'status' || command === 'menu' || command === 'cancel';

/**
 * After "J'ai un problème": the most common problems as buttons and an invitation to say it in
 * one's own words. What is typed is answered by the free-text answerer (the root), so this step
 * stays silent when shown again; a click on the menu card still opens its entry.
 */
class ListenPrompt extends Dialog {
  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const t = tr(dc.context);
    const titles = COMMON_PROBLEMS.map((topic) => t(`faq:${topic}.title`));
    await dc.context.sendActivity(MessageFactory.suggestedActions([...titles, t('understand.support')], t('support.triage')));
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    // A notice from outside (an event) is not an answer to this step: the bot says it, the step stays.
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const verb = (dc.context.activity.value as { verb?: unknown } | undefined)?.verb;
    if (typeof verb === 'string' && (MENU_VERBS as readonly string[]).includes(verb)) return dc.endDialog({ verb, values: {} } satisfies CardPromptResult<Record<string, never>>);
    return this.beginDialog(dc);
  }

  override async resumeDialog(): Promise<DialogTurnResult> {
    return Dialog.EndOfTurn;
  }
}
