import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/services/db/database';
import type { Provider } from '../../src/services/db/providers';

/**
 * Which database the tests run on: a SQLite file (default) or, with SESAME_TEST_DB=postgres
 * (`npm run test:pg`), PostgreSQL — the server of SESAME_TEST_PG_URL, where each test makes its
 * own database and drops it.
 */
export const testProvider: Provider = process.env.SESAME_TEST_DB === 'postgres' ? 'postgresql' : 'sqlite';
const adminUrl = process.env.SESAME_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A URL of the same PostgreSQL server, on another database. */
export function postgresqlUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new, empty PostgreSQL database (sesame_test_<random>) and how to drop it. */
export async function createPostgresqlDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sesame_test_${crypto.randomBytes(6).toString('hex')}`;
  await admin(async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    // A test database need not survive a power cut: commits do not wait for the disk.
    await c.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  });
  // FORCE: a server under test may still hold connections when the test ends.
  return { url: postgresqlUrl(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/**
 * DATABASE_URL for a test: a SQLite file in `dir`, or a new PostgreSQL database. `drop` deletes
 * the PostgreSQL one (the file goes with `dir`).
 */
export async function testDatabaseUrl(dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (testProvider === 'postgresql') return createPostgresqlDatabase();
  return { url: `file:${path.join(dir, 'sesame.db')}`, drop: async () => undefined };
}

/** A real database (SQLite in a fresh temporary file, or a fresh PostgreSQL database), migrated like production. */
export async function tempDatabase(): Promise<{ db: Db; url: string; dir: string; cleanup: () => Promise<void> }> {
  const dir = tempDir();
  const { url, drop } = await testDatabaseUrl(dir);
  const db = await openDatabase(url);
  return {
    db,
    url,
    dir,
    cleanup: async () => {
      await db.$disconnect();
      await drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every row of every table, as text: to check that a secret is stored nowhere, whatever the column. */
export async function dumpDatabase(url: string): Promise<string> {
  if (url.startsWith('file:')) {
    const raw = new Database(url.slice('file:'.length), { readonly: true });
    try {
      const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      return tables.map((t) => JSON.stringify(raw.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    const dumps: string[] = [];
    for (const { table_name } of rows) dumps.push(JSON.stringify((await client.query(`SELECT * FROM "${table_name}"`)).rows));
    return dumps.join('\n');
  } finally {
    await client.end();
  }
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sesame-test-'));
}
