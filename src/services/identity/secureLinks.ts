import crypto from 'node:crypto';
import type { Db } from '../db/database';
import type { SecretBox } from './secretBox';

/**
 * One-time links to the bot's own pages, where secrets are typed instead of the chat. A link is
 * bound to the conversation that asked for it (its ConversationReference); the page's outcome is
 * handed back to that conversation once, and only there.
 *
 * A link can be sent to someone else (a colleague, a victim): whoever completes the page must not
 * thereby sign the asking conversation in. So, as Bot Framework's OAuth does with its "magic code",
 * a page completed in another browser than the chat's shows a short code, and the outcome is the
 * conversation's only once that code is typed there; the chat's own browser is recognised and
 * skips it.
 */
export interface SecureLinkView {
  id: string;
  purpose: string;
  stage: string;
  accountId: string | undefined;
  conversation: unknown;
}

export type CodeCheck = { status: 'ok'; linkId: string; purpose: string } | { status: 'wrong'; remaining: number } | { status: 'none' };

/** Secrets typed on one link (sign-in attempts, codes) before it is spent. */
export const LINK_ATTEMPTS = 10;
const CODE_MINUTES = 10;
const CODE_TRIES = 5;

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

/** "<channelId>/<conversationId>" of a stored ConversationReference, if it is one. */
export function conversationKeyOf(reference: unknown): string | null {
  const r = reference as { channelId?: unknown; conversation?: { id?: unknown } } | null | undefined;
  return typeof r?.channelId === 'string' && typeof r.conversation?.id === 'string' ? `${r.channelId}/${r.conversation.id}` : null;
}

/** What a user types in the chat as a page's code: six digits, perhaps split in two. */
export function typedCode(text: string | undefined): string | undefined {
  const match = /^\s*(\d{3})[\s.-]?(\d{3})\s*$/.exec(text ?? '');
  return match ? match[1] + match[2] : undefined;
}

export class SecureLinks {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
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
        conversationKey: conversationKeyOf(conversation),
        accountId,
        expiresAt: new Date(this.now().getTime() + ttlMinutes * 60_000),
      },
    });
    return { id, token };
  }

  /**
   * Every link of this purpose for this account stops working (a newer one replaces them): one not
   * opened yet, and one completed elsewhere whose code was not typed yet.
   */
  async revoke(purpose: string, accountId: string): Promise<void> {
    const now = this.now();
    await this.db.secureLink.updateMany({ where: { purpose, accountId, consumedAt: null }, data: { expiresAt: now, consumedAt: now } });
  }

  /** The link behind a token, if it can still be used (not expired, not completed). */
  async open(token: string, purpose: string): Promise<SecureLinkView | undefined> {
    const link = await this.db.secureLink.findUnique({ where: { tokenHash: sha256(token) } });
    if (!link || link.purpose !== purpose || link.completedAt || link.expiresAt <= this.now()) return undefined;
    return { id: link.id, purpose: link.purpose, stage: link.stage, accountId: link.accountId ?? undefined, conversation: JSON.parse(link.conversation) };
  }

  /**
   * Counts one secret typed on the link (a password, a code), before it is checked: past
   * LINK_ATTEMPTS the link is spent, whatever the parallelism. False when it is spent.
   */
  async countAttempt(id: string): Promise<boolean> {
    const { count } = await this.db.secureLink.updateMany({ where: { id, attempts: { lt: LINK_ATTEMPTS } }, data: { attempts: { increment: 1 } } });
    return count === 1;
  }

  async advance(id: string, stage: string, accountId?: string): Promise<void> {
    await this.db.secureLink.update({ where: { id }, data: { stage, accountId } });
  }

  /**
   * The page is done. Opened in the chat's own browser, the outcome goes to the conversation at
   * once; elsewhere, a code is returned for the page to show, and the outcome waits for it.
   */
  async complete(id: string, accountId: string, sameBrowser: boolean): Promise<{ code?: string }> {
    const now = this.now();
    if (sameBrowser) {
      await this.db.secureLink.update({ where: { id }, data: { stage: 'done', accountId, completedAt: now, verifiedAt: now } });
      return {};
    }
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    await this.db.secureLink.update({ where: { id }, data: { stage: 'done', accountId, completedAt: now, codeHash: this.codeMac(id, code) } });
    return { code };
  }

  /**
   * A code typed in a conversation: it verifies the completed link of that conversation it was
   * shown for. Each try is claimed before comparing; CODE_TRIES per link, for CODE_MINUTES.
   */
  async verifyCode(conversationKey: string, typed: string): Promise<CodeCheck> {
    const since = new Date(this.now().getTime() - CODE_MINUTES * 60_000);
    const pending = await this.db.secureLink.findMany({
      where: { conversationKey, completedAt: { gte: since }, verifiedAt: null, consumedAt: null, codeHash: { not: null }, codeTries: { lt: CODE_TRIES } },
    });
    if (!pending.length) return { status: 'none' };
    let remaining = 0;
    for (const link of pending) {
      const { count } = await this.db.secureLink.updateMany({ where: { id: link.id, codeTries: { lt: CODE_TRIES } }, data: { codeTries: { increment: 1 } } });
      if (count === 0) continue;
      const expected = Buffer.from(link.codeHash ?? '');
      const given = Buffer.from(this.codeMac(link.id, typed));
      if (expected.length === given.length && crypto.timingSafeEqual(expected, given)) {
        const verified = await this.db.secureLink.updateMany({ where: { id: link.id, verifiedAt: null }, data: { verifiedAt: this.now() } });
        if (verified.count === 1) return { status: 'ok', linkId: link.id, purpose: link.purpose };
      }
      remaining = Math.max(remaining, CODE_TRIES - link.codeTries - 1);
    }
    return { status: 'wrong', remaining };
  }

  /**
   * The conversation takes the outcome of a completed and verified link, once. Returns the account
   * signed in, or undefined for anything else (unknown, not completed, code not typed yet, already
   * taken, another conversation).
   */
  async consume(id: string, conversationId: string): Promise<string | undefined> {
    const link = await this.db.secureLink.findUnique({ where: { id } });
    if (!link?.completedAt || !link.verifiedAt || link.consumedAt || !link.accountId) return undefined;
    const reference = JSON.parse(link.conversation) as { conversation?: { id?: string } };
    if (reference.conversation?.id !== conversationId) return undefined;
    const { count } = await this.db.secureLink.updateMany({ where: { id, consumedAt: null }, data: { consumedAt: this.now() } });
    return count === 1 ? link.accountId : undefined;
  }

  private codeMac(id: string, code: string): string {
    return this.box.mac('link.code', `${id}:${code}`);
  }
}
