import Database from 'better-sqlite3';
import pg from 'pg';
import { providerOf } from './providers';

/**
 * The statements every turn runs — its state read and written, its transcript logged — prepared once
 * and reused, on a connection of their own, beside Prisma (which the rest of Sésame uses: each of its
 * statements costs a quarter of a millisecond of planning and mapping, these a few microseconds).
 * The same tables and the same stored formats as Prisma's, so either reads what the other wrote.
 */
export interface HotPath {
  /** The state items of these keys (absent keys are missing from the result). */
  readStates(keys: string[]): Promise<StateRow[]>;
  /** Writes one state item; false when its eTag (or its absence, for `create`) was not what is stored. */
  writeState(write: StateWrite): Promise<boolean>;
  /** Inserts transcript rows in one statement. */
  insertTranscript(rows: TranscriptRow[]): Promise<void>;
  close(): Promise<void>;
}

export interface StateRow {
  key: string;
  data: string;
  etag: string;
}

export type StateWrite =
  | { mode: 'overwrite'; key: string; data: string; etag: string }
  | { mode: 'create'; key: string; data: string; etag: string }
  | { mode: 'update'; key: string; data: string; etag: string; expected: string };

export interface TranscriptRow {
  channelId: string;
  conversationId: string;
  role: string | null;
  activity: string;
  at: Date;
}

/** Rows of one multi-row insert (one prepared statement per size, up to this). */
const MAX_BATCH = 50;

const SQL = {
  read: (n: number, p: (i: number) => string) => `SELECT "key", "data", "etag" FROM "BotStateItem" WHERE "key" IN (${Array.from({ length: n }, (_, i) => p(i + 1)).join(', ')})`,
  overwrite: (p: (i: number) => string) =>
    `INSERT INTO "BotStateItem" ("key", "data", "etag", "updatedAt") VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}) ON CONFLICT ("key") DO UPDATE SET "data" = excluded."data", "etag" = excluded."etag", "updatedAt" = excluded."updatedAt"`,
  create: (p: (i: number) => string) => `INSERT INTO "BotStateItem" ("key", "data", "etag", "updatedAt") VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}) ON CONFLICT ("key") DO NOTHING`,
  update: (p: (i: number) => string) => `UPDATE "BotStateItem" SET "data" = ${p(1)}, "etag" = ${p(2)}, "updatedAt" = ${p(3)} WHERE "key" = ${p(4)} AND "etag" = ${p(5)}`,
  transcript: (n: number, p: (i: number) => string) =>
    `INSERT INTO "TranscriptActivity" ("channelId", "conversationId", "role", "activity", "at") VALUES ${Array.from({ length: n }, (_, r) => `(${[1, 2, 3, 4, 5].map((c) => p(r * 5 + c)).join(', ')})`).join(', ')}`,
};

function stateArgs(write: StateWrite, at: string): unknown[] {
  if (write.mode === 'update') return [write.data, write.etag, at, write.key, write.expected];
  return [write.key, write.data, write.etag, at];
}

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += MAX_BATCH) out.push(rows.slice(i, i + MAX_BATCH));
  return out;
}

/**
 * SQLite: a second connection to the file (WAL: it reads while Prisma's writes). It never waits for
 * a lock synchronously — that would stop the event loop, and with it the Prisma transaction holding
 * the lock —: busy, it tries again a moment later.
 */
class SqliteHotPath implements HotPath {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.db = new Database(file, { timeout: 0 });
    this.db.pragma('busy_timeout = 0');
    // As Prisma's connection: what is deleted is overwritten (a withdrawn secret leaves no trace in a free page).
    this.db.pragma('secure_delete = ON');
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work`, again while the database is busy (another connection's write), for 10 s at most. */
  private async retrying<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        return work();
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  readStates(keys: string[]): Promise<StateRow[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.retrying(() => this.statement(SQL.read(keys.length, () => '?')).all(...keys) as StateRow[]);
  }

  writeState(write: StateWrite): Promise<boolean> {
    // Prisma's own format for a DateTime in SQLite.
    const at = new Date().toISOString().replace('Z', '+00:00');
    return this.retrying(() => this.statement(SQL[write.mode](() => '?')).run(...stateArgs(write, at)).changes === 1);
  }

  async insertTranscript(rows: TranscriptRow[]): Promise<void> {
    for (const chunk of chunks(rows)) {
      const args = chunk.flatMap((r) => [r.channelId, r.conversationId, r.role, r.activity, r.at.toISOString().replace('Z', '+00:00')]);
      await this.retrying(() => this.statement(SQL.transcript(chunk.length, () => '?')).run(...args));
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** PostgreSQL: named statements, prepared once per pooled connection. */
class PostgresqlHotPath implements HotPath {
  private readonly pool: pg.Pool;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 60_000 });
    this.pool.on('error', () => undefined);
  }

  private query(name: string, text: string, values: unknown[]): Promise<pg.QueryResult> {
    return this.pool.query({ name, text, values });
  }

  async readStates(keys: string[]): Promise<StateRow[]> {
    if (keys.length === 0) return [];
    return (await this.query(`sesame_state_read_${keys.length}`, SQL.read(keys.length, (i) => `$${i}`), keys)).rows as StateRow[];
  }

  async writeState(write: StateWrite): Promise<boolean> {
    // timestamp(3) without time zone, in UTC as Prisma writes it.
    const at = new Date().toISOString().slice(0, -1);
    return (await this.query(`sesame_state_${write.mode}`, SQL[write.mode]((i) => `$${i}`), stateArgs(write, at))).rowCount === 1;
  }

  async insertTranscript(rows: TranscriptRow[]): Promise<void> {
    for (const chunk of chunks(rows)) {
      const args = chunk.flatMap((r) => [r.channelId, r.conversationId, r.role, r.activity, r.at.toISOString().slice(0, -1)]);
      await this.query(`sesame_transcript_${chunk.length}`, SQL.transcript(chunk.length, (i) => `$${i}`), args);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/** The hot path of DATABASE_URL (already migrated by openDatabase). */
export function openHotPath(url: string): HotPath {
  if (providerOf(url) === 'sqlite') return new SqliteHotPath(url.replace(/^file:/, ''));
  return new PostgresqlHotPath(url);
}
