import crypto from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Db } from '../db/database';
import type { HotPath, StateRow } from '../db/hotPath';

/** eTag meaning "this key must not exist yet": a first write that races another first write fails. */
export const ETAG_NEW = 'new';

export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage eTag conflict on ${key}: it was changed by another writer since it was read.`);
  }
}

/**
 * Bot Framework Storage on the database. eTags are honoured: a write whose eTag is neither
 * missing nor "*" succeeds only if the stored item still has that eTag (ETAG_NEW: only if
 * there is no stored item), otherwise EtagConflictError. After a write, the change's eTag is
 * set to the new value so a later write of the same object in the same turn stays consistent.
 *
 * Through the hot path's prepared statements (src/services/db/hotPath.ts): reads asked for in the
 * same moment — a turn's conversation and user state, other conversations' turns under load — are
 * one statement, and each write is one statement. (Deleting, rare, goes through Prisma.)
 */
export class PrismaStorage implements Storage {
  private batch: { keys: Set<string>; done: Promise<Map<string, StateRow>> } | undefined;

  constructor(
    private readonly db: Db,
    private readonly hot: HotPath,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.batchedRead(keys);
    const items: StoreItems = {};
    for (const key of keys) {
      const row = rows.get(key);
      if (row) items[key] = { ...JSON.parse(row.data), eTag: row.etag };
    }
    return items;
  }

  /** Joins the read being gathered (sent at the next turn of the event loop), or starts one. */
  private batchedRead(keys: string[]): Promise<Map<string, StateRow>> {
    if (!this.batch) {
      const gathered = new Set<string>();
      const hot = this.hot;
      const done = new Promise<Map<string, StateRow>>((resolve, reject) => {
        setImmediate(() => {
          this.batch = undefined;
          hot.readStates([...gathered]).then((rows) => resolve(new Map(rows.map((r) => [r.key, r]))), reject);
        });
      });
      this.batch = { keys: gathered, done };
    }
    keys.forEach((k) => this.batch!.keys.add(k));
    return this.batch.done;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, change] of Object.entries(changes)) {
      const { eTag: expected, ...rest } = (change ?? {}) as { eTag?: string } & Record<string, unknown>;
      const etag = crypto.randomUUID();
      const data = JSON.stringify(rest);
      const mode = expected === undefined || expected === '*' ? 'overwrite' : expected === ETAG_NEW ? 'create' : 'update';
      const written = await this.hot.writeState(mode === 'update' ? { mode, key, data, etag, expected: expected! } : { mode, key, data, etag });
      if (!written) throw new EtagConflictError(key);
      if (change && typeof change === 'object') change.eTag = etag;
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.db.botStateItem.deleteMany({ where: { key: { in: keys } } });
  }
}
