import type { Db } from '../db/database';

export type TranscriptRole = 'user' | 'bot' | 'error';

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

const MAX_TEXT = 2_000;
const DAY = 24 * 60 * 60 * 1000;

/**
 * What was said in each conversation, as the recorder wrote it (secrets already withheld): the
 * context a helpdesk ticket carries, so nobody explains twice. Kept a limited number of days.
 */
export class TranscriptStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(conversation: string, lines: { role: TranscriptRole; text: string }[]): Promise<void> {
    const at = this.now();
    const data = lines.filter((l) => l.text.trim()).map((l) => ({ conversation, role: l.role, text: l.text.slice(0, MAX_TEXT), at }));
    if (data.length) await this.db.transcriptEntry.createMany({ data });
  }

  /** The last lines of a conversation, oldest first. */
  async recent(conversation: string, limit = 80): Promise<TranscriptLine[]> {
    const rows = await this.db.transcriptEntry.findMany({ where: { conversation }, orderBy: { id: 'desc' }, take: limit });
    return rows.reverse().map((r) => ({ at: r.at, role: r.role as TranscriptRole, text: r.text }));
  }

  /** The last problems the user met in a conversation, oldest first. */
  async lastErrors(conversation: string, limit = 5): Promise<TranscriptLine[]> {
    const rows = await this.db.transcriptEntry.findMany({ where: { conversation, role: 'error' }, orderBy: { id: 'desc' }, take: limit });
    return rows.reverse().map((r) => ({ at: r.at, role: 'error', text: r.text }));
  }

  /** Everything a conversation's record holds, oldest first: the user's copy of their data. */
  async all(conversation: string): Promise<TranscriptLine[]> {
    const rows = await this.db.transcriptEntry.findMany({ where: { conversation }, orderBy: { id: 'asc' } });
    return rows.map((r) => ({ at: r.at, role: r.role as TranscriptRole, text: r.text }));
  }

  /** Erases a conversation's record (the user asked); returns how many lines went. */
  async erase(conversation: string): Promise<number> {
    return (await this.db.transcriptEntry.deleteMany({ where: { conversation } })).count;
  }

  /** Deletes what is older than the retention period; returns how many lines went. */
  async prune(retentionDays: number): Promise<number> {
    const { count } = await this.db.transcriptEntry.deleteMany({ where: { at: { lt: new Date(this.now().getTime() - retentionDays * DAY) } } });
    return count;
  }
}
