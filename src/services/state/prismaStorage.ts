import crypto from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Db } from '../db/database';

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
 */
export class PrismaStorage implements Storage {
  constructor(private readonly db: Db) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.db.botStateItem.findMany({ where: { key: { in: keys } } });
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...JSON.parse(row.data), eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, change] of Object.entries(changes)) {
      const { eTag: expected, ...rest } = (change ?? {}) as { eTag?: string } & Record<string, unknown>;
      const etag = crypto.randomUUID();
      const data = JSON.stringify(rest);
      if (expected === undefined || expected === '*') {
        await this.db.botStateItem.upsert({ where: { key }, create: { key, data, etag }, update: { data, etag } });
      } else if (expected === ETAG_NEW) {
        try {
          await this.db.botStateItem.create({ data: { key, data, etag } });
        } catch (error) {
          if (isUniqueViolation(error)) throw new EtagConflictError(key);
          throw error;
        }
      } else {
        const { count } = await this.db.botStateItem.updateMany({ where: { key, etag: expected }, data: { data, etag } });
        if (count === 0) throw new EtagConflictError(key);
      }
      if (change && typeof change === 'object') change.eTag = etag;
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.db.botStateItem.deleteMany({ where: { key: { in: keys } } });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
