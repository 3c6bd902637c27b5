import { ActivityTypes, Channels, MessageFactory, type TurnContext } from 'botbuilder';
import type { Locale, Translator } from '../i18n';

// What the bot computes once per turn and every dialog reads: the user's language.
const TRANSLATOR = Symbol('sesame.translator');
const LOCALE = Symbol('sesame.locale');

export function setTurnLanguage(context: TurnContext, locale: Locale, t: Translator): void {
  context.turnState.set(LOCALE, locale);
  context.turnState.set(TRANSLATOR, t);
}

export function tr(context: TurnContext): Translator {
  const t = context.turnState.get(TRANSLATOR) as Translator | undefined;
  if (!t) throw new Error('No translator for this turn: SesameBot sets it before running dialogs.');
  return t;
}

export function turnLocale(context: TurnContext): Locale {
  return context.turnState.get(LOCALE) as Locale;
}

/** Whether the channel shows Markdown's code spans in cards (Teams' cards do not: the backticks would show). */
export function codeSpans(context: TurnContext): boolean {
  return context.activity.channelId !== Channels.Msteams;
}

const SWITCH = Symbol('sesame.switchLanguage');

/** The bot registers how a language change is remembered (user state) and applied to this turn. */
export function setLanguageSwitch(context: TurnContext, apply: (locale: Locale) => Promise<void>): void {
  context.turnState.set(SWITCH, apply);
}

export async function switchLanguage(context: TurnContext, locale: Locale): Promise<void> {
  const apply = context.turnState.get(SWITCH) as ((locale: Locale) => Promise<void>) | undefined;
  if (!apply) throw new Error('No language switch for this turn.');
  await apply(locale);
}

// What a turn leaves for the conversation's transcript besides its messages: the problems the user
// met (read back when they ask the helpdesk), and whether their own message must not be kept.
const JOURNAL = Symbol('sesame.journal');
const WITHHELD = Symbol('sesame.withheld');

export interface JournalLine {
  role: 'error';
  text: string;
}

/** The turn's journal, in order: the errors the dialogs noted (TranscriptNotes logs them as traces). */
export function turnJournal(context: TurnContext): JournalLine[] {
  let journal = context.turnState.get(JOURNAL) as JournalLine[] | undefined;
  if (!journal) {
    journal = [];
    context.turnState.set(JOURNAL, journal);
  }
  return journal;
}

/** A problem the user met (a field refused, a question not understood): the helpdesk will see it. */
export function noteError(context: TurnContext, text: string): void {
  turnJournal(context).push({ role: 'error', text });
}

/** The user's message of this turn held a secret: it is kept nowhere (transcript included). */
export function withholdMessage(context: TurnContext): void {
  context.turnState.set(WITHHELD, true);
}

export function isWithheld(context: TurnContext): boolean {
  return context.turnState.get(WITHHELD) === true;
}

// Events that continue a conversation from outside (a secure page done, a decision taken) are
// trusted only when Sésame itself put them in the turn: the proactive path, or a page's code typed
// in this conversation. An event activity posted by a user is never one of them.
const TRUSTED_EVENT = Symbol('sesame.trustedEvent');

export interface TrustedEvent {
  name: string;
  value: Record<string, unknown>;
  /** Set by the step that took it (a waiting card), so the bot can tell when none was waiting. */
  taken?: boolean;
}

export function setTrustedEvent(context: TurnContext, event: TrustedEvent): void {
  context.turnState.set(TRUSTED_EVENT, event);
}

export function trustedEvent(context: TurnContext): TrustedEvent | undefined {
  return context.turnState.get(TRUSTED_EVENT) as TrustedEvent | undefined;
}

/** A claim only the local channel's authentication puts on a turn's identity (see LocalChannelAuthentication). */
export const LOCAL_CHANNEL_CLAIM = 'sesame:localChannel';

/**
 * Who is acting, for per-client limits: on Sésame's own channel the poster's address (user ids
 * there are chosen by the client), elsewhere the channel's user (in Teams, the Entra ID identity).
 */
export function clientKey(context: TurnContext): string {
  const identity = context.turnState.get(context.adapter.BotIdentityKey) as { getClaimValue?(type: string): string | null } | undefined;
  const local = identity?.getClaimValue?.(LOCAL_CHANNEL_CLAIM) === 'true';
  const address = (context.activity.channelData as { sesameClient?: unknown } | undefined)?.sesameClient;
  if (local && typeof address === 'string') return `address:${address}`;
  const { channelId, from } = context.activity;
  return `user:${channelId}:${from?.aadObjectId ?? from?.id ?? 'unknown'}`;
}

// The user had their data erased this turn: nothing of the turn may be written back afterwards —
// neither the conversation's and user's state nor the turn's own transcript.
const FORGET = Symbol('sesame.forget');

export function forgetConversation(context: TurnContext): void {
  context.turnState.set(FORGET, true);
}

export function isForgotten(context: TurnContext): boolean {
  return context.turnState.get(FORGET) === true;
}

/**
 * The step shown again after an answer carries the answer's buttons: Web Chat and Teams show
 * suggested actions under the latest message only, which is the step, not the answer.
 */
export function carryButtons(context: TurnContext, buttons: string[]): void {
  if (!buttons.length) return;
  let carried = false;
  context.onSendActivities(async (_context, activities, next) => {
    const last = [...activities].reverse().find((a) => a.type === ActivityTypes.Message);
    if (!carried && last) {
      last.suggestedActions = MessageFactory.suggestedActions(buttons).suggestedActions;
      carried = true;
    }
    return next();
  });
}

/**
 * The turn as an idempotency key (channel/conversation/activity): the same activity delivered again
 * — a channel's retry, a hand-over taken over after a crash — makes the same key, so a service finds
 * what that turn already did. Undefined for Sésame's own events (no channel activity to repeat).
 */
export function turnKey(context: TurnContext): string | undefined {
  const { channelId, conversation, id } = context.activity;
  if (trustedEvent(context) || !id || !conversation?.id) return undefined;
  return `${channelId}/${conversation.id}/${id}`;
}
