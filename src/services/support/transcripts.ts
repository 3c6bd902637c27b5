import type { Activity, Attachment, PagedResult, TranscriptInfo, TranscriptStore as BotTranscriptStore } from 'botbuilder';
import type { HotPath, TranscriptRow } from '../db/hotPath';
import type { Db } from '../db/database';
import { redactForRecord } from './redact';

export type TranscriptRole = 'user' | 'bot' | 'error';

/** A line of a conversation as the helpdesk reads it, derived from a stored activity. */
export interface TranscriptLine {
  at: Date;
  role: TranscriptRole;
  text: string;
}

/**
 * Marks in recorded lines, language-neutral; a ticket's attachment names them in the reader's
 * language (mail:ticket.tag.*).
 */
export const TAG = {
  card: '[card]',
  buttons: '[buttons]',
  attachment: '[attachment]',
  submitted: '[submitted]',
  /** The whole message was withheld (it held a password or a code). */
  withheld: '[withheld]',
} as const;

export function localizeTags(text: string, name: (tag: keyof typeof TAG) => string): string {
  return text.replace(/\[(card|buttons|attachment|submitted|withheld)\]/g, (_whole, tag: keyof typeof TAG) => name(tag));
}

/** The key of a conversation's transcript: "<channelId>/<conversationId>" (the same as its turn queue's). */
export function conversationKey(activity: { channelId?: string; conversation?: { id?: string } }): string {
  return `${activity.channelId}/${activity.conversation?.id}`;
}

function splitKey(key: string): { channelId: string; conversationId: string } {
  const at = key.indexOf('/');
  return { channelId: key.slice(0, at), conversationId: key.slice(at + 1) };
}

/**
 * A problem the user met, noted by a dialog (noteError): logged as a trace activity, the Bot
 * Framework's way of putting the bot's own notes in a transcript (the Emulator shows them; other
 * channels never receive them).
 */
export const ERROR_TRACE = { name: 'sesame.error', label: 'error', valueType: 'https://sesame.sante.fr/trace/error' } as const;

export function errorTrace(text: string): Partial<Activity> {
  return { type: 'trace', ...ERROR_TRACE, value: text };
}

// ---- what is stored of an activity -------------------------------------------------------------

/** Inputs and values whose name says they hold a secret: never stored, whatever they hold. */
const SECRET_NAME = /password|passwd|mdp|code|otp|secret|token/i;
/** A card's structure: kept as it is (redacting ids or styles would only break the card). */
const STRUCTURE = new Set([
  'type', 'id', 'version', '$schema', 'style', 'size', 'weight', 'color', 'spacing', 'horizontalAlignment', 'verticalContentAlignment',
  'isSubtle', 'wrap', 'separator', 'width', 'height', 'verb', 'promptId', 'mode', 'isRequired', 'isMultiSelect', 'associatedInputs', 'fontType',
  'maxLines', 'contentType', 'imageSize', 'altText', 'msteams', 'bleed', 'minHeight', 'isVisible', 'targetElements', 'fallback',
]);
const MAX_USER_TEXT = 2_000;
const MAX_TEXT = 10_000;
const MAX_DEPTH = 12;

/** Any JSON with its strings redacted, secret-named members dropped, structural members kept. */
function redactJson(value: unknown, depth = 0, key = ''): unknown {
  if (depth > MAX_DEPTH) return undefined;
  if (typeof value === 'string') return STRUCTURE.has(key) ? value : redactForRecord(value.slice(0, MAX_TEXT));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => redactJson(item, depth + 1));
  if (typeof value !== 'object' || value === undefined) return undefined;
  const input = value as Record<string, unknown>;
  // An input named like a secret (a password field) keeps its place in the card, never its value.
  const secretInput = typeof input.type === 'string' && input.type.startsWith('Input.') && typeof input.id === 'string' && SECRET_NAME.test(input.id);
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(input)) {
    if (name === 'value' && secretInput) continue;
    if (!STRUCTURE.has(name) && SECRET_NAME.test(name)) continue;
    const kept = redactJson(member, depth + 1, name);
    if (kept !== undefined) out[name] = kept;
  }
  return out;
}

/** Cards are kept (redacted); a file (a PDF, an image) only by its name: it may be about a person. */
function redactAttachment(attachment: Attachment): Partial<Attachment> {
  const card = attachment.contentType.startsWith('application/vnd.microsoft.card.') || attachment.contentType === 'application/json';
  return {
    contentType: attachment.contentType,
    ...(attachment.name ? { name: redactForRecord(attachment.name) } : {}),
    ...(card && attachment.content !== undefined ? { content: redactJson(attachment.content) } : {}),
    ...(!card && attachment.contentUrl && /^https?:/.test(attachment.contentUrl) ? { contentUrl: redactForRecord(attachment.contentUrl) } : {}),
  };
}

const account = (a: { id?: string; name?: string; role?: string } | undefined, role?: string) =>
  a ? { id: a.id ?? '', ...(a.name ? { name: a.name } : {}), ...(a.role || role ? { role: a.role || role } : {}) } : undefined;

/**
 * What is kept of an activity: the fields of a .transcript (type, ids, from/recipient with their
 * role, conversation, channel, timestamp, text, attachments, buttons, value) with secrets and
 * patient data masked; never channelData (the client's address, a channel's tokens). A withheld
 * message keeps only a mark.
 */
export function redactActivity(activity: Partial<Activity>, withheld: boolean): Partial<Activity> {
  const fromUser = activity.from?.role === 'user';
  const timestamp = activity.timestamp ? new Date(activity.timestamp) : new Date();
  const kept: Record<string, unknown> = {
    type: activity.type,
    id: activity.id,
    timestamp: timestamp.toISOString(),
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    // The logger gives the incoming activity a role (user): one without is the bot's own.
    from: account(activity.from, 'bot'),
    recipient: account(activity.recipient),
    conversation: activity.conversation ? { id: activity.conversation.id, ...(activity.conversation.conversationType ? { conversationType: activity.conversation.conversationType } : {}) } : undefined,
    replyToId: activity.replyToId,
    locale: activity.locale,
    name: activity.name,
    label: activity.label,
    valueType: activity.valueType,
    inputHint: activity.inputHint,
    textFormat: activity.textFormat,
    membersAdded: activity.membersAdded?.map((a) => account(a)),
    membersRemoved: activity.membersRemoved?.map((a) => account(a)),
  };
  if (withheld) {
    kept.text = TAG.withheld;
  } else {
    if (typeof activity.text === 'string') kept.text = redactForRecord(activity.text.slice(0, fromUser ? MAX_USER_TEXT : MAX_TEXT));
    if (activity.attachments?.length) kept.attachments = activity.attachments.map(redactAttachment);
    if (activity.suggestedActions) kept.suggestedActions = redactJson(activity.suggestedActions);
    if (activity.value !== undefined) kept.value = redactJson(activity.value);
  }
  for (const [name, value] of Object.entries(kept)) if (value === undefined) delete kept[name];
  return kept as Partial<Activity>;
}

function roleOf(activity: Partial<Activity>): TranscriptRole | null {
  if (activity.type === 'trace' && activity.name === ERROR_TRACE.name) return 'error';
  if (activity.type !== 'message') return null;
  return activity.from?.role === 'user' ? 'user' : 'bot';
}

// ---- the lines the helpdesk reads ------------------------------------------------------------

type CardItem = { type?: string; text?: string; title?: string; value?: string; facts?: { title: string; value: string }[]; items?: CardItem[]; columns?: CardItem[] };

/** What a person reads in a card: its texts and facts, in order (inputs' values are not echoed). */
function cardText(card: { body?: CardItem[] }): string {
  const parts: string[] = [];
  const walk = (items: CardItem[] | undefined) => {
    for (const item of items ?? []) {
      if (item.type === 'TextBlock' && item.text) parts.push(item.text);
      item.facts?.forEach((f) => parts.push(`${f.title} ${f.value}`));
      walk(item.items);
      walk(item.columns);
    }
  };
  walk(card.body);
  return parts.join(' | ');
}

/** One line for a message of the bot: its text, its cards, its buttons. */
function describeBotMessage(activity: Partial<Activity>): string {
  const parts = [activity.text ?? ''];
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') parts.push(`${TAG.card} ${cardText((attachment.content ?? {}) as { body?: CardItem[] })}`);
    else parts.push(`${TAG.attachment} ${attachment.name ?? attachment.contentType}`);
  }
  const buttons = activity.suggestedActions?.actions?.map((a) => a.title).filter(Boolean) ?? [];
  if (buttons.length) parts.push(`${TAG.buttons} ${buttons.join(' · ')}`);
  return parts.filter(Boolean).join('\n');
}

/** One line for what the user sent: what they typed, or the card they submitted (which button, which values). */
function describeUserMessage(activity: Partial<Activity>): string {
  const value = activity.value as Record<string, unknown> | undefined;
  if (value && typeof value === 'object' && activity.text !== TAG.withheld) {
    const fields = Object.entries(value)
      .filter(([key, v]) => key !== 'promptId' && key !== 'verb' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && String(v).trim() !== '')
      .map(([key, v]) => `${key}=${String(v).slice(0, 300)}`);
    const verb = typeof value.verb === 'string' ? value.verb : '?';
    return `${TAG.submitted} ${verb}${fields.length ? ` — ${fields.join('; ')}` : ''}`;
  }
  return activity.text ?? '';
}

function lineOf(role: TranscriptRole, activity: Partial<Activity>): string {
  if (role === 'error') return typeof activity.value === 'string' ? activity.value : '';
  return role === 'user' ? describeUserMessage(activity) : describeBotMessage(activity);
}

const DAY = 24 * 60 * 60 * 1000;
const PAGE = 100;

/**
 * Every conversation's activities, as botbuilder's TranscriptLoggerMiddleware logs them, secrets
 * withheld and patient data masked before anything is written: the .transcript a developer opens
 * in the Emulator (`npm run transcript`), and the context a helpdesk ticket carries, so nobody
 * explains twice. Kept a limited number of days.
 *
 * botbuilder's TranscriptStore (log, get, list, delete). Writes are queued in order, and every read
 * waits for them: the middleware does not await its logging. What is logged in the same moment (a
 * turn's activities, other turns' under load) is written by one statement.
 */
export class TranscriptStore implements BotTranscriptStore {
  private writing: Promise<void> = Promise.resolve();
  /** Logged, not yet written: the next write takes them all. */
  private pending: { row: TranscriptRow; activity: Partial<Activity> }[] = [];
  /** Incoming messages a dialog withheld this turn, until the middleware logs them ("<channel>/<conversation>/<activity id>"). */
  private readonly withheld = new Set<string>();
  /** How a write that failed is reported (the turn never fails for it). */
  onFailure: (error: unknown, activity: Partial<Activity>) => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    /** Prepared statements for the write every turn makes (without: Prisma). */
    private readonly hot?: HotPath,
  ) {}

  private static activityKey(activity: { channelId?: string; conversation?: { id?: string }; id?: string }): string {
    return `${conversationKey(activity)}/${activity.id}`;
  }

  /** The user's message must be stored without its text (it held a secret): said before the turn's activities are logged. */
  withhold(activity: { channelId?: string; conversation?: { id?: string }; id?: string }): void {
    if (this.withheld.size > 1_000) this.withheld.clear();
    this.withheld.add(TranscriptStore.activityKey(activity));
  }

  logActivity(activity: Activity): Promise<void> {
    if (!activity?.channelId || !activity.conversation?.id) return Promise.resolve();
    const key = TranscriptStore.activityKey(activity);
    const withheld = activity.type === 'message' && this.withheld.delete(key);
    const kept = redactActivity(activity, withheld);
    const data = {
      channelId: activity.channelId,
      conversationId: activity.conversation.id,
      role: roleOf(kept),
      activity: JSON.stringify(kept),
      // When it was stored, not what a client wrote in it: the retention counts from here.
      at: this.now(),
    };
    this.pending.push({ row: data, activity: { type: activity.type, conversation: activity.conversation } });
    if (this.pending.length > 1) return this.writing;
    // The first one logged starts a write, after what is being written and once this moment's activities are in.
    this.writing = this.writing
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(async () => {
        const batch = this.pending.splice(0);
        try {
          if (this.hot) await this.hot.insertTranscript(batch.map((b) => b.row));
          else await this.db.transcriptActivity.createMany({ data: batch.map((b) => b.row) });
        } catch (error) {
          this.onFailure(error, batch[0].activity);
        }
      });
    return this.writing;
  }

  /** Resolves once every activity logged so far is written (or its failure reported). */
  flush(): Promise<void> {
    return this.writing;
  }

  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    await this.writing;
    const after = Number.parseInt(continuationToken ?? '', 10);
    const rows = await this.db.transcriptActivity.findMany({
      where: { channelId, conversationId, ...(Number.isFinite(after) ? { id: { gt: after } } : {}), ...(startDate ? { at: { gte: startDate } } : {}) },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    return {
      items: rows.map((r) => JSON.parse(r.activity) as Activity),
      continuationToken: rows.length === PAGE ? String(rows.at(-1)!.id) : '',
    };
  }

  /** The channels that hold a conversation of this id (an id is unique within its channel only). */
  async channelsOf(conversationId: string): Promise<string[]> {
    await this.writing;
    const rows = await this.db.transcriptActivity.findMany({ where: { conversationId }, distinct: ['channelId'], select: { channelId: true } });
    return rows.map((r) => r.channelId);
  }

  /** Every activity of a conversation, oldest first (all pages): its .transcript. */
  async allActivities(channelId: string, conversationId: string): Promise<Activity[]> {
    const all: Activity[] = [];
    let token: string | undefined;
    do {
      const page = await this.getTranscriptActivities(channelId, conversationId, token);
      all.push(...page.items);
      token = page.continuationToken || undefined;
    } while (token);
    return all;
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    await this.writing;
    const skip = Number.parseInt(continuationToken ?? '', 10);
    const groups = await this.db.transcriptActivity.groupBy({
      by: ['conversationId'],
      where: { channelId },
      _min: { at: true },
      orderBy: { _min: { at: 'asc' } },
      skip: Number.isFinite(skip) ? skip : 0,
      take: PAGE,
    });
    const items = groups.map((g) => ({ channelId, id: g.conversationId, created: g._min.at ?? new Date(0) }));
    return { items, continuationToken: items.length === PAGE ? String((Number.isFinite(skip) ? skip : 0) + PAGE) : '' };
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    await this.writing;
    await this.db.transcriptActivity.deleteMany({ where: { channelId, conversationId } });
  }

  private async lines(key: string, roles: TranscriptRole[], limit: number): Promise<TranscriptLine[]> {
    await this.writing;
    const rows = await this.db.transcriptActivity.findMany({ where: { ...splitKey(key), role: { in: roles } }, orderBy: { id: 'desc' }, take: limit });
    return rows
      .reverse()
      .map((r) => ({ at: r.at, role: r.role as TranscriptRole, text: lineOf(r.role as TranscriptRole, JSON.parse(r.activity) as Partial<Activity>) }))
      .filter((l) => l.text.trim());
  }

  /** The last lines of a conversation ("<channelId>/<conversationId>"), oldest first. */
  recent(conversation: string, limit = 80): Promise<TranscriptLine[]> {
    return this.lines(conversation, ['user', 'bot', 'error'], limit);
  }

  /** The last problems the user met in a conversation, oldest first. */
  lastErrors(conversation: string, limit = 5): Promise<TranscriptLine[]> {
    return this.lines(conversation, ['error'], limit);
  }

  /** Deletes what is older than the retention period; returns how many activities went. */
  async prune(retentionDays: number): Promise<number> {
    await this.writing;
    const { count } = await this.db.transcriptActivity.deleteMany({ where: { at: { lt: new Date(this.now().getTime() - retentionDays * DAY) } } });
    return count;
  }
}
