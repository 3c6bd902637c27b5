import { RateLimiterMemory, RateLimiterPrisma, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Db } from './db/database';

/**
 * What one client may do in a given time, at the HTTP edge (per address) and in the conversation
 * (per user or address). Limits are set for people, generously — a hospital may put many physicians
 * behind one address — and far below what exhausts the server or floods someone's mailbox.
 */
export const LIMITS = {
  /** New conversations (Direct Line tokens, the chat page), per client address. */
  conversation: { points: 20, seconds: 60 },
  /** Token refreshes, resumptions and stream reconnections, per client address. */
  token: { points: 60, seconds: 60 },
  /** Messages posted, per client address. */
  activity: { points: 120, seconds: 60 },
  /** Messages posted, per conversation: a person types far fewer. */
  conversationActivity: { points: 30, seconds: 60 },
  /** Reads (polling), per client address and per conversation. */
  read: { points: 1200, seconds: 60 },
  conversationRead: { points: 240, seconds: 60 },
  /** Forms posted to the secure pages, per client address. */
  page: { points: 60, seconds: 15 * 60 },
  /** Requests and resends that mail credentials or a confirmation link, per conversation (one person)… */
  registration: { points: 5, seconds: 60 * 60 },
  /** …and per client address or channel user: a hospital's network holds many physicians. */
  registrationNetwork: { points: 60, seconds: 60 * 60 },
  /** Such mails, and ticket copies, to one mailbox (see mailboxKey), whoever asks. */
  registrationAddress: { points: 5, seconds: 24 * 60 * 60 },
} as const;

export type LimitName = keyof typeof LIMITS;
export type Taken = { ok: true } | { ok: false; retryAt: Date };

export interface RateLimitOptions {
  /** memory: this process only; database: shared by every instance on the database. */
  store: 'memory' | 'database';
  /** Multiplies every limit; 0 turns them off (load tests only). */
  factor: number;
}

export class RateLimits {
  private readonly limiters = new Map<LimitName, RateLimiterAbstract>();

  constructor(
    private readonly db: Db,
    private readonly options: RateLimitOptions,
  ) {}

  /** Takes one unit of `name` for `key`; refused with the moment it may be tried again. */
  async take(name: LimitName, key: string): Promise<Taken> {
    if (this.options.factor === 0) return { ok: true };
    try {
      await this.limiter(name).consume(key, 1);
      return { ok: true };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return { ok: false, retryAt: new Date(Date.now() + outcome.msBeforeNext) };
      throw outcome;
    }
  }

  /** Counters whose window has passed (database store): deleted with the other periodic clean-ups. */
  async prune(): Promise<number> {
    if (this.options.store !== 'database') return 0;
    const { count } = await this.db.rateLimiterFlexible.deleteMany({ where: { expire: { lt: new Date() } } });
    return count;
  }

  private limiter(name: LimitName): RateLimiterAbstract {
    let limiter = this.limiters.get(name);
    if (!limiter) {
      const { points, seconds } = LIMITS[name];
      const options = { keyPrefix: name, points: Math.max(1, Math.round(points * this.options.factor)), duration: seconds };
      limiter =
        this.options.store === 'database'
          ? new RateLimiterPrisma({ ...options, storeClient: this.db, tableName: 'rateLimiterFlexible', clearExpiredByTimeout: false })
          : new RateLimiterMemory(options);
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}

/**
 * The key of a client address: IPv4 as is, IPv6 by its /64 (one subscriber's whole network). A port
 * is dropped — Azure's proxies write "203.0.113.6:40001" in X-Forwarded-For, a new one per connection.
 */
export function addressKey(address: string | undefined): string {
  const ip = (address ?? 'unknown')
    .trim()
    .replace(/^\[([^\]]+)\](?::\d+)?$/, '$1')
    .replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1')
    .replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  if (!ip.includes(':')) return ip;
  const groups = expandIpv6(ip);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ip;
}

function expandIpv6(ip: string): string[] | undefined {
  const [head, tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  if (tail === undefined && left.length !== 8) return undefined;
  const middle = Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/** One mailbox, however its address is written: case, spaces, and a "+tag" all reach the same inbox. */
export function mailboxKey(email: string): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split('@');
  return `${local.split('+')[0]}@${domain}`;
}
