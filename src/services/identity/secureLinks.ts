import crypto from 'node:crypto';
import type { Db } from '../db/database';

/**
 * One-time links to the bot's own pages, where secrets are typed instead of the chat. A link is
 * bound to the conversation that asked for it (its ConversationReference); the page's outcome is
 * handed back to that conversation once, and only there.
 */
export interface SecureLinkView {
  id: string;
  purpose: string;
  stage: string;
  accountId: string | undefined;
  conversation: unknown;
}

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

export class SecureLinks {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new link; the token is returned once and only its hash is stored. */
  async create(purpose: string, conversation: unknown, ttlMinutes = 15, accountId?: string): Promise<{ id: string; token: string }> {
    const id = crypto.randomUUID();
    const token = crypto.randomBytes(24).toString('base64url');
    await this.db.secureLink.create({
      data: {
        id,
        tokenHash: sha256(token),
        purpose,
        conversation: JSON.stringify(conversation ?? null),
        accountId,
        expiresAt: new Date(this.now().getTime() + ttlMinutes * 60_000),
      },
    });
    return { id, token };
  }

  /** The link behind a token, if it can still be used (not expired, not completed). */
  async open(token: string, purpose: string): Promise<SecureLinkView | undefined> {
    const link = await this.db.secureLink.findUnique({ where: { tokenHash: sha256(token) } });
    if (!link || link.purpose !== purpose || link.completedAt || link.expiresAt <= this.now()) return undefined;
    return { id: link.id, purpose: link.purpose, stage: link.stage, accountId: link.accountId ?? undefined, conversation: JSON.parse(link.conversation) };
  }

  async advance(id: string, stage: string, accountId?: string): Promise<void> {
    await this.db.secureLink.update({ where: { id }, data: { stage, accountId } });
  }

  async complete(id: string, accountId: string): Promise<void> {
    await this.db.secureLink.update({ where: { id }, data: { stage: 'done', accountId, completedAt: this.now() } });
  }

  /**
   * The conversation takes the outcome of a completed link, once. Returns the account signed in,
   * or undefined for anything else (unknown, not completed, already taken, another conversation).
   */
  async consume(id: string, conversationId: string): Promise<string | undefined> {
    const link = await this.db.secureLink.findUnique({ where: { id } });
    if (!link?.completedAt || link.consumedAt || !link.accountId) return undefined;
    const reference = JSON.parse(link.conversation) as { conversation?: { id?: string } };
    if (reference.conversation?.id !== conversationId) return undefined;
    const { count } = await this.db.secureLink.updateMany({ where: { id, consumedAt: null }, data: { consumedAt: this.now() } });
    return count === 1 ? link.accountId : undefined;
  }
}
