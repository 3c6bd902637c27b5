import { ActivityHandler, ActivityTypes, Channels, HandoffEventNames, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import type { i18n as I18n } from 'i18next';
import { toLocale, type Locale } from '../i18n';
import type { Logger } from '../logger';
import { isForgotten, setLanguageSwitch, setTrustedEvent, setTurnLanguage, tr, trustedEvent, withholdMessage, type TrustedEvent } from '../dialogs/turn';
import { EVENT_OF_PURPOSE, LOCALE_EVENT, MEDIMAIL_NOTICE_EVENT, NOTICE_EVENT } from '../services/identity/linkPurposes';
import { typedCode, type SecureLinks } from '../services/identity/secureLinks';
import { isSensitive, redactPatient } from '../services/support/redact';
import type { EtagState } from './state';
import { TurnQueue } from './turnQueue';
import { plain } from '../cards/adaptive';
import { isRejectPart } from '../services/medimail/accountStatus';
import { EtagConflictError } from '../services/state/prismaStorage';
import type { Coordination } from '../services/db/coordination';
import { REPLY_KEY } from '../http/directline/channel';

interface UserProfile {
  /** The language the user chose explicitly ("english" / "français"); wins over the channel's. */
  locale?: Locale;
}

interface ConversationFlags {
  welcomed?: boolean;
  /** The last activities this conversation processed (ids): one a channel delivers again is not processed twice. */
  processed?: string[];
  /** When a handoff.initiate last went to the channel: only then may its handoff.status come back. */
  handoffAt?: number;
}

/** Whether what the user sent holds a secret (in typed text) or patient data (anywhere). */
function holdsSensitiveData(activity: TurnContext['activity']): boolean {
  if (activity.type !== ActivityTypes.Message) return false;
  if (activity.text && isSensitive(activity.text)) return true;
  const values = activity.value && typeof activity.value === 'object' ? Object.values(activity.value as Record<string, unknown>) : [];
  return values.some((v) => typeof v === 'string' && redactPatient(v) !== v);
}

/** The longest message read; longer ones are answered with what to do instead. */
const MAX_MESSAGE = 4000;

/** How many processed activity ids a conversation remembers (channels retry within seconds). */
const PROCESSED_KEPT = 30;

/** A turn whose state another writer changed meanwhile is run again on the new state, this many times at most. */
const CONFLICT_RETRIES = 3;

/** A channel answers a handoff within a day, or not at all. */
const HANDOFF_ANSWER_MS = 24 * 60 * 60 * 1000;

/**
 * Thin bot: picks the turn's language, runs the root dialog, saves state. Turns of one
 * conversation run one at a time (TurnQueue) and state is written back with its eTag.
 */
export class SesameBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly profile: StatePropertyAccessor<UserProfile>;
  private readonly flags: StatePropertyAccessor<ConversationFlags>;
  private readonly dialogs: DialogSet;
  private readonly turns = new TurnQueue();

  constructor(
    private readonly conversationState: EtagState,
    private readonly userState: EtagState,
    private readonly rootDialog: Dialog,
    private readonly i18n: I18n,
    private readonly defaultLocale: Locale,
    private readonly logger: Logger,
    private readonly links: SecureLinks,
    /** Files sent in the chat (supporting documents), answered before the dialogs. */
    private readonly files?: { handle(context: TurnContext): Promise<boolean> },
    /** Turns of one conversation one at a time across instances (PostgreSQL); in-process only without. */
    private readonly coordination?: Pick<Coordination, 'exclusive'>,
  ) {
    super();
    this.dialogState = conversationState.createProperty('dialogState');
    this.flags = conversationState.createProperty('flags');
    this.profile = userState.createProperty('profile');
    this.dialogs = new DialogSet(this.dialogState);
    this.dialogs.add(rootDialog);

    // A welcome when the conversation starts: the user joins (Web Chat) or the bot is installed
    // (Teams adds the bot itself) — once per conversation, not on every update.
    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).length > 0;
      const flags = await this.flags.get(context, {});
      if (joined && !flags.welcomed) {
        flags.welcomed = true;
        await this.runDialog(context);
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      const length = context.activity.text?.length ?? 0;
      // A wall of text (a pasted document) is not read: the user is told, and the step stays as it was.
      if (length > MAX_MESSAGE) await context.sendActivity(tr(context)('tooLong', { length, max: MAX_MESSAGE }));
      else if (!(await this.pageCode(context)) && !(await this.files?.handle(context))) await this.runDialog(context);
      await next();
    });

    // Sésame's own events (a secure page completed, a decision taken) come only through the
    // proactive path (trustedEvent); the same names posted by a client are ignored.
    this.onEvent(async (context, next) => {
      const event = trustedEvent(context);
      if (event?.name === NOTICE_EVENT) await this.notice(context, event.value);
      else if (event?.value.needsCode) await context.sendActivity(tr(context)('link.typeCode'));
      else if (event) await this.runDialog(context);
      else if (context.activity.name === HandoffEventNames.HandoffStatus) await this.handoffStatus(context);
      else if (context.activity.name?.startsWith('sesame.')) this.logger.warn({ conversationId: context.activity.conversation?.id, name: context.activity.name }, 'an event only Sésame may send was posted from outside: ignored');
      await next();
    });
  }

  /**
   * One turn at a time per conversation: in this process (the queue, the fast path), then across
   * instances (the coordination's lock, on PostgreSQL).
   */
  override async run(context: TurnContext): Promise<void> {
    const key = `${context.activity.channelId}/${context.activity.conversation?.id}`;
    await this.turns.run(key, () => (this.coordination ? this.coordination.exclusive(key, () => this.turn(context)) : this.turn(context)));
  }

  private async turn(context: TurnContext): Promise<void> {
    const started = Date.now();
    // The activity's id, when a channel sent it (not Sésame's own proactive events): a channel that
    // delivers it again (a retry, a hand-over taken over after a crash) finds it processed.
    const fromChannel = trustedEvent(context) ? undefined : context.activity.id;
    let attempt = 0;
    let rank = 0;
    context.onSendActivities(async (_context, activities, next) => {
      if (activities.some((a) => a.type === ActivityTypes.Event && a.name === HandoffEventNames.InitiateHandoff)) (await this.flags.get(context, {})).handoffAt = Date.now();
      // On Sésame's channel, each reply says which turn and rank it is: the same turn run again after a
      // crash sends the same replies, and the channel keeps the first copy of each.
      if (fromChannel && context.activity.channelId === Channels.Directline) {
        for (const activity of activities) {
          if (activity.type !== ActivityTypes.Typing) activity.channelData = { ...(activity.channelData as object | undefined), [REPLY_KEY]: `${fromChannel}#${attempt}.${rank++}` };
        }
      }
      return next();
    });
    let outcome = 'ok';
    try {
      for (;;) {
        try {
          outcome = await this.attempt(context, fromChannel);
          break;
        } catch (error) {
          // Another writer changed this state meanwhile (another conversation of the same user, on another
          // instance): the turn runs again on what is stored now; the user never sees an error for it.
          if (!(error instanceof EtagConflictError) || attempt >= CONFLICT_RETRIES) throw error;
          attempt += 1;
          rank = 0;
          this.logger.warn({ conversationId: context.activity.conversation?.id, key: error.key, attempt }, 'turn: state changed by another writer; run again');
          await this.conversationState.load(context, true);
          await this.userState.load(context, true);
        }
      }
    } catch (error) {
      outcome = 'error';
      throw error;
    } finally {
      this.logger.info(
        {
          event: 'turn',
          channelId: context.activity.channelId,
          conversationId: context.activity.conversation?.id,
          activityId: context.activity.id,
          type: context.activity.type,
          outcome,
          durationMs: Date.now() - started,
        },
        'turn',
      );
    }
  }

  /** Runs the turn on the state as stored and saves it; 'duplicate' when this conversation already processed the activity. */
  private async attempt(context: TurnContext, fromChannel: string | undefined): Promise<'ok' | 'duplicate'> {
    // Both states asked for at once: one read (the storage gathers them).
    await Promise.all([this.conversationState.load(context), this.userState.load(context)]);
    const flags = await this.flags.get(context, {});
    if (fromChannel && flags.processed?.includes(fromChannel)) return 'duplicate';
    await this.applyLanguage(context);
    // A message carrying a secret or patient data is withdrawn from the channel's store where the
    // channel allows a bot to (Sésame's own does; Teams does not): the dialogs read it, nothing keeps it.
    if (holdsSensitiveData(context.activity)) await context.deleteActivity(context.activity.id ?? '').catch(() => undefined);
    await super.run(context);
    // Erased this turn: the state is written back empty (the dialogs' stack and answers go too).
    if (isForgotten(context)) {
      this.conversationState.clear(context);
      this.userState.clear(context);
    } else if (fromChannel) {
      const current = await this.flags.get(context, {});
      current.processed = [...(current.processed ?? []).slice(-(PROCESSED_KEPT - 1)), fromChannel];
    }
    // The conversation's state last: it says the activity was processed (a crash before it runs the turn again).
    await this.userState.saveChanges(context, false);
    await this.conversationState.saveChanges(context, false);
    return 'ok';
  }

  private async runDialog(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.rootDialog.id);
  }

  /**
   * The code a secure page showed, typed in the chat that asked for the link (the page was done in
   * another browser): it hands the page's outcome to the step waiting for it. True when the message
   * was such a code (right or wrong); the message is not kept.
   */
  private async pageCode(context: TurnContext): Promise<boolean> {
    const code = context.activity.value ? undefined : typedCode(context.activity.text);
    if (!code) return false;
    const check = await this.links.verifyCode(`${context.activity.channelId}/${context.activity.conversation.id}`, code);
    if (check.status === 'none') return false;
    // Spent once used, but a code is still not kept: out of the transcript, withdrawn where the channel allows.
    withholdMessage(context);
    await context.deleteActivity(context.activity.id ?? '').catch(() => undefined);
    const t = tr(context);
    if (check.status === 'wrong') {
      await context.sendActivity(t(check.remaining > 0 ? 'link.codeWrong' : 'link.codeSpent', { count: check.remaining }));
      return true;
    }
    const event: TrustedEvent = { name: EVENT_OF_PURPOSE[check.purpose] ?? '', value: { linkId: check.linkId } };
    setTrustedEvent(context, event);
    await context.sendActivity(t('link.codeAccepted'));
    await this.runDialog(context);
    if (!event.taken) await context.sendActivity(t('link.notWaiting'));
    return true;
  }

  /**
   * A message from outside the conversation (a decision was taken). A Medimail decision comes with
   * the account's hub as it now is, when the hub is on screen (never the stale one); elsewhere the
   * current step is shown again, with how to reach the account.
   */
  private async notice(context: TurnContext, value: Record<string, unknown>): Promise<void> {
    const { kind, status, reason, part } = value as { kind?: string; status?: string; reason?: string; part?: string };
    const t = tr(context);
    if (kind === 'evaluated') {
      // The journey the notice is about, if open, takes it and shows its new status (not the old card).
      const event = trustedEvent(context);
      const dc = await this.dialogs.createContext(context);
      if (dc.activeDialog) await dc.continueDialog();
      if (event?.taken) return;
      await context.sendActivity(t('accreditation:notice.evaluated'));
    } else if (kind === 'medimail' && (status === 'VALIDATED' || status === 'REJECTED')) {
      await context.sendActivity(t(`medimail:notice.${status}`, { reason: plain(reason ?? ''), what: t(`medimail:refused.${isRejectPart(part) ? part : 'unknown'}`) }));
      const dc = await this.dialogs.createContext(context);
      if (dc.activeDialog) {
        const event: TrustedEvent = { name: MEDIMAIL_NOTICE_EVENT, value: {} };
        setTrustedEvent(context, event);
        await dc.continueDialog();
        if (event.taken) return;
      }
      await context.sendActivity(t('medimail:notice.elsewhere'));
    } else return;
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) await dc.repromptDialog();
  }

  /**
   * The channel's answer to a handoff.initiate (Bot Framework convention): a live agent took the
   * conversation, or none could; either way the ticket stands and the user is told.
   */
  private async handoffStatus(context: TurnContext): Promise<void> {
    // From the channel (never a user's client), and only in answer to a handoff this conversation initiated.
    const { handoffAt } = await this.flags.get(context, {});
    if (context.activity.from?.role === 'user' || !handoffAt || Date.now() - handoffAt > HANDOFF_ANSWER_MS) {
      this.logger.warn({ conversationId: context.activity.conversation?.id }, 'handoff.status without a handoff from this conversation, or from a user: ignored');
      return;
    }
    const state = (context.activity.value as { state?: unknown } | undefined)?.state;
    if (state === 'accepted' || state === 'failed' || state === 'completed') await context.sendActivity(tr(context)(`support.handoff.${state}`));
  }

  private async applyLanguage(context: TurnContext): Promise<void> {
    const profile = await this.profile.get(context, {});
    const locale = profile.locale ?? toLocale(context.activity.locale) ?? this.defaultLocale;
    setTurnLanguage(context, locale, this.i18n.getFixedT(locale));
    setLanguageSwitch(context, async (chosen) => {
      const current = await this.profile.get(context, {});
      current.locale = chosen;
      await this.profile.set(context, current);
      setTurnLanguage(context, chosen, this.i18n.getFixedT(chosen));
      // The chat page switches Web Chat's own strings (send box, timestamps) too.
      if (context.activity.channelId === Channels.Directline) await context.sendActivity({ type: ActivityTypes.Event, name: LOCALE_EVENT, value: chosen });
    });
  }
}
