import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migrate } from '../src/services/db/migrate';
import { MIGRATIONS_DIRS } from '../src/services/db/providers';
import { testDatabaseUrl, testProvider, tempDir } from './helpers/db';

// On the provider of the run (SQLite, or PostgreSQL with SESAME_TEST_DB=postgres).
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A fresh empty database of the run's provider, and a way to query it. */
async function fresh() {
  const dir = tempDir();
  const { url, drop } = await testDatabaseUrl(dir);
  cleanups.push(async () => {
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const query = async (sql: string): Promise<Record<string, unknown>[]> => {
    if (url.startsWith('file:')) {
      const db = new Database(url.slice('file:'.length));
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const tableExists = async (name: string) =>
    (await query(testProvider === 'sqlite' ? `SELECT name FROM sqlite_master WHERE name = '${name}'` : `SELECT table_name FROM information_schema.tables WHERE table_name = '${name}'`)).length > 0;
  return { dir, url, query, tableExists };
}

function migrationsIn(dir: string, files: Record<string, string>): string {
  for (const [name, sql] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, name), { recursive: true });
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe(`migrations at start-up (${testProvider})`, () => {
  it("applies every migration once, in Prisma's own bookkeeping table", async () => {
    const db = await fresh();
    const dir = MIGRATIONS_DIRS[testProvider];
    const names = fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'migration.sql')));
    expect((await migrate(db.url)).applied).toEqual(names.sort());
    expect((await migrate(db.url)).applied).toEqual([]);
    const rows = await db.query('SELECT migration_name, finished_at FROM _prisma_migrations');
    expect(rows).toHaveLength(names.length);
    expect(rows.every((r) => r.finished_at)).toBe(true);
    if (testProvider === 'sqlite') expect(await db.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('two instances starting at once apply each migration once', async () => {
    const db = await fresh();
    const migrations = migrationsIn(path.join(db.dir, 'migrations'), {
      '001_first': 'CREATE TABLE a (id INTEGER);',
      '002_second': 'CREATE TABLE b (id INTEGER);',
    });
    const results = await Promise.all([migrate(db.url, migrations), migrate(db.url, migrations), migrate(db.url, migrations)]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['001_first', '002_second']);
    expect(await db.query('SELECT migration_name FROM _prisma_migrations')).toHaveLength(2);
  });

  it('refuses to start when an applied migration was edited', async () => {
    const db = await fresh();
    const migrations = migrationsIn(path.join(db.dir, 'migrations'), { '001_first': 'CREATE TABLE a (id INTEGER);' });
    expect((await migrate(db.url, migrations)).applied).toEqual(['001_first']);
    migrationsIn(migrations, { '001_first': 'CREATE TABLE a (id TEXT);' });
    await expect(migrate(db.url, migrations)).rejects.toThrow(/001_first was changed after it was applied/);
  });

  it('leaves the database unchanged when a migration fails', async () => {
    const db = await fresh();
    const migrations = migrationsIn(path.join(db.dir, 'migrations'), { '001_bad': 'CREATE TABLE ok (id INTEGER); CREATE TABLE broken (;' });
    await expect(migrate(db.url, migrations)).rejects.toThrow();
    expect(await db.tableExists('ok')).toBe(false);
  });
});
