import crypto from 'node:crypto';
import { providerOfDb, type Db } from '../db/database';
import { hashPassword, verifyPassword } from './passwords';

export type ThrottledAttempt<T> =
  | { status: 'ok'; value: T }
  | { status: 'invalid'; remaining: number }
  /** `tell`: this attempt locked the account and its holder was not told of a lock in the last day (a mail is due). */
  | { status: 'locked'; until: Date; tell: boolean };

type Counted = { status: 'counted'; failures: number; lockedUntil: Date | null } | { status: 'locked'; until: Date };

export interface ThrottleOptions {
  maxFailures?: number;
  lockMinutes?: number;
  now?: () => Date;
}

/**
 * Failed sign-ins, counted per username as typed — whether or not an account has it, so that an
 * unknown username is answered exactly like a known one (same counter, same lock, same time).
 *
 * The attempt is counted before the password is checked, by a compare-and-set on the counter:
 * however many requests arrive at once, at most `maxFailures` of them are ever checked per lock
 * window; the one that reaches the limit sets the lock in the same write, so a crash between the
 * check and the answer can only leave the account locked, never open.
 */
export class SignInThrottle {
  private readonly maxFailures: number;
  private readonly lockMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly db: Db,
    options: ThrottleOptions = {},
  ) {
    this.maxFailures = options.maxFailures ?? 5;
    this.lockMs = (options.lockMinutes ?? 15) * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  get limit(): number {
    return this.maxFailures;
  }

  /**
   * Runs `verify` if an attempt may be made for this username, and counts it. `verify` returns the
   * signed-in value, or undefined for a wrong answer (it must cost the same time either way: see
   * `verifyOrWaste`).
   */
  async attempt<T>(kind: string, username: string, verify: () => Promise<T | undefined>): Promise<ThrottledAttempt<T>> {
    const key = crypto.createHash('sha256').update(`${kind}:${username}`).digest('hex');
    const counted = await this.count(key);
    if (counted.status === 'locked') return { status: 'locked', until: counted.until, tell: false };
    const value = await verify();
    if (value !== undefined) {
      await this.db.signInThrottle.update({ where: { key }, data: { failures: 0, lockedUntil: null } });
      return { status: 'ok', value };
    }
    if (counted.lockedUntil) return { status: 'locked', until: counted.lockedUntil, tell: await this.claimNotice(key) };
    return { status: 'invalid', remaining: this.maxFailures - counted.failures };
  }

  /** Claims one attempt: the counter goes up by one unless it is locked; retried when another request won the race. */
  private async count(key: string): Promise<Counted> {
    if (providerOfDb(this.db) === 'postgresql') return this.countLocked(key);
    // Each round either counts, sees the lock, or lost to a request that counted: progress is certain,
    // the bound only guards against a store that never matches its own values.
    for (let round = 0; round < 10_000; round++) {
      const seen = (await this.db.signInThrottle.findUnique({ where: { key } })) ?? (await this.create(key));
      if (!seen) continue;
      const next = this.next(seen);
      if (next.status === 'locked') return next;
      const { count } = await this.db.signInThrottle.updateMany({
        where: { key, failures: seen.failures, lockedUntil: seen.lockedUntil },
        data: { failures: next.failures, lockedUntil: next.lockedUntil },
      });
      if (count === 1) return next;
    }
    throw new Error('sign-in throttle: the counter could not be updated');
  }

  /**
   * The same claim on PostgreSQL, where requests really run at once: the attempts on one username
   * wait for each other on the row's lock and each counts in one round (a compare-and-set would make
   * each of n simultaneous requests retry up to n times, which exhausted the connection pool).
   */
  private async countLocked(key: string): Promise<Counted> {
    for (let round = 0; round < 10; round++) {
      // Created by whichever request comes first; the others' inserts do nothing (no error to raise,
      // which costs Prisma far more than the query).
      await this.db.$executeRaw`INSERT INTO "SignInThrottle" ("key", "failures", "updatedAt") VALUES (${key}, 0, ${this.now()}) ON CONFLICT ("key") DO NOTHING`;
      const counted = await this.db.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1 FROM "SignInThrottle" WHERE "key" = ${key} FOR UPDATE`;
          const seen = await tx.signInThrottle.findUnique({ where: { key } });
          if (!seen) return undefined; // pruned meanwhile: created again
          const next = this.next(seen);
          if (next.status === 'counted') await tx.signInThrottle.update({ where: { key }, data: { failures: next.failures, lockedUntil: next.lockedUntil } });
          return next;
        },
        // Hundreds of guesses at once queue for a connection: they wait, they are not refused.
        { maxWait: 60_000, timeout: 10_000 },
      );
      if (counted) return counted;
    }
    throw new Error('sign-in throttle: the counter could not be updated');
  }

  /** What one more attempt makes of the counter as it is now. */
  private next(seen: { failures: number; lockedUntil: Date | null }): Counted {
    const now = this.now();
    if (seen.lockedUntil && seen.lockedUntil > now) return { status: 'locked', until: seen.lockedUntil };
    // A lock that has expired starts a new window.
    const failures = (seen.lockedUntil ? 0 : seen.failures) + 1;
    const lockedUntil = failures >= this.maxFailures ? new Date(now.getTime() + this.lockMs) : null;
    return { status: 'counted', failures, lockedUntil };
  }

  /**
   * One lock mail a day at most: someone who keeps a known username locked (every 15 minutes) does
   * not flood its holder's mailbox.
   */
  private async claimNotice(key: string): Promise<boolean> {
    const now = this.now();
    const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
    const { count } = await this.db.signInThrottle.updateMany({ where: { key, OR: [{ notifiedAt: null }, { notifiedAt: { lt: dayAgo } }] }, data: { notifiedAt: now } });
    return count === 1;
  }

  private async create(key: string) {
    try {
      return await this.db.signInThrottle.create({ data: { key, failures: 0 } });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') return undefined; // created at the same moment by another request
      throw error;
    }
  }

  /** Counters idle for a day and not locked are of no use: deleted with the other periodic clean-ups. */
  async prune(): Promise<number> {
    const dayAgo = new Date(this.now().getTime() - 24 * 60 * 60 * 1000);
    const { count } = await this.db.signInThrottle.deleteMany({ where: { updatedAt: { lt: dayAgo }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: this.now() } }] } });
    return count;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Checks a password against the stored hash, or — when there is none (unknown username, account
 * never activated) — against a decoy hash, so that both take the time of one scrypt.
 */
export async function verifyOrWaste(password: string, stored: string | null | undefined): Promise<boolean> {
  if (stored) return verifyPassword(password, stored);
  decoy ??= hashPassword(crypto.randomBytes(16).toString('base64url'));
  await verifyPassword(password, await decoy);
  return false;
}
