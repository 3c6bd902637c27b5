import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from '../../logger';
import { providerOf } from './providers';
import type { Tx } from './database';

/**
 * What several instances of Sésame on one database need from each other, beyond the data: turns of
 * one conversation one at a time (a lock per conversation), and news of what another instance stored
 * (an activity of a conversation whose stream is open here). On PostgreSQL: session advisory locks
 * and LISTEN/NOTIFY, on connections of their own (never Prisma's pool: a lock is held by a session,
 * and a turn's own queries must not wait for the connection that holds its lock). On SQLite, one
 * instance by definition: the in-process turn queue is the lock and there is no one to tell.
 */
export interface Coordination {
  /** Runs `work` holding this key's lock across every instance (the in-process queue stays the fast path). */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Announces, inside the transaction that stores it, that a conversation has a new activity (sent at commit). */
  announce(tx: Tx, conversationId: string, seq: number): Promise<void>;
  /** News of activities stored by any instance: (conversationId, seq). */
  readonly news: EventEmitter<{ activity: [conversationId: string, seq: number] }>;
  /** Whether other instances may exist (PostgreSQL): then what one did is only known through the database. */
  readonly shared: boolean;
  close(): Promise<void>;
}

const CHANNEL = 'sesame_directline';

/** A turn waits this long for another instance to finish its turn of the same conversation. */
const LOCK_WAIT_MS = 30_000;

/** Connections kept for turn locks: the turns one instance runs at once (others wait for one). */
const LOCK_POOL_SIZE = 8;

class SingleInstance implements Coordination {
  readonly news = new EventEmitter<{ activity: [string, number] }>();
  readonly shared = false;
  async exclusive<T>(_key: string, work: () => Promise<T>): Promise<T> {
    return work();
  }
  async announce(): Promise<void> {}
  async close(): Promise<void> {}
}

class PostgresqlInstances implements Coordination {
  readonly news = new EventEmitter<{ activity: [string, number] }>();
  readonly shared = true;
  private readonly id = crypto.randomBytes(6).toString('hex');
  private readonly locks: pg.Pool;
  private listener: pg.Client | undefined;
  private closed = false;
  private reconnecting: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {
    this.news.setMaxListeners(0);
    this.locks = new pg.Pool({ connectionString: url, max: LOCK_POOL_SIZE, idleTimeoutMillis: 60_000, options: `-c lock_timeout=${LOCK_WAIT_MS}` });
    this.locks.on('error', (error) => logger.warn({ err: error }, 'coordination: a lock connection failed (its locks were released with it)'));
  }

  async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      const [from, conversationId, seq] = (message.payload ?? '').split(' ');
      // Our own announcements are already known here (the stream was told in-process).
      if (from !== this.id && conversationId && Number.isInteger(Number(seq))) this.news.emit('activity', conversationId, Number(seq));
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'coordination: the LISTEN connection failed; reconnecting');
      this.reconnect();
    });
    client.on('end', () => this.reconnect());
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  private reconnect(): void {
    if (this.closed || this.reconnecting) return;
    this.listener = undefined;
    this.reconnecting = setTimeout(() => {
      this.reconnecting = undefined;
      this.listen()
        .then(() => {
          // What was announced while we were deaf: every open stream looks for itself.
          this.news.emit('activity', '*', -1);
        })
        .catch(() => this.reconnect());
    }, 1000);
    this.reconnecting.unref();
  }

  async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const client = await this.locks.connect();
    let healthy = true;
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch((error: unknown) => {
          healthy = false;
          this.logger.warn({ err: error }, 'coordination: could not release a turn lock (the connection is dropped, which releases it)');
        });
      }
    } catch (error) {
      if ((error as { code?: string }).code !== '55P03') healthy = false;
      throw error;
    } finally {
      client.release(healthy ? undefined : true);
    }
  }

  async announce(tx: Tx, conversationId: string, seq: number): Promise<void> {
    await tx.$executeRaw`SELECT pg_notify(${CHANNEL}, ${`${this.id} ${conversationId} ${seq}`})`;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnecting);
    await this.listener?.end().catch(() => undefined);
    await this.locks.end().catch(() => undefined);
  }
}

/** The coordination of DATABASE_URL's instances. */
export async function openCoordination(url: string, logger: Logger): Promise<Coordination> {
  if (providerOf(url) === 'sqlite') return new SingleInstance();
  const instances = new PostgresqlInstances(url, logger);
  await instances.listen();
  return instances;
}
