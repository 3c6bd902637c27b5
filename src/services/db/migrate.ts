import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS_DIRS, providerOf } from './providers';

export const MIGRATIONS_DIR = MIGRATIONS_DIRS.sqlite;

// Prisma's own bookkeeping table (its DDL for each provider), so `prisma migrate status` agrees with us.
const BOOKKEEPING = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`,
};
const APPLIED = 'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

/** Any number, the same for every Sésame: the PostgreSQL advisory lock the instances migrate under. */
const MIGRATION_LOCK = 7_316_582_001;

export interface MigrationResult {
  applied: string[];
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/** The migrations still to apply; an applied migration whose file changed stops start-up: history is never rewritten. */
function pending(migrations: Migration[], applied: Map<string, string>): Migration[] {
  return migrations.filter(({ name, checksum }) => {
    const known = applied.get(name);
    if (known === undefined) return true;
    if (known !== checksum) throw new Error(`Migration ${name} was changed after it was applied; add a new migration instead.`);
    return false;
  });
}

/**
 * Applies the SQL migrations of the database's provider (prisma/migrations for SQLite,
 * prisma/migrations-postgresql for PostgreSQL) that it has not seen, in order, each in its own
 * transaction, at start-up and offline. We run them ourselves because Prisma's `migrate deploy`
 * needs its CLI at run time and fails on PostgreSQL with the Wasm engine (README, Migrations);
 * the bookkeeping stays Prisma's.
 */
export async function migrate(url: string, dir?: string): Promise<MigrationResult> {
  return providerOf(url) === 'sqlite'
    ? migrateSqlite(url.slice('file:'.length), dir ?? MIGRATIONS_DIRS.sqlite)
    : migratePostgresql(url, dir ?? MIGRATIONS_DIRS.postgresql);
}

export function migrateSqlite(file: string, dir = MIGRATIONS_DIRS.sqlite): MigrationResult {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Readable by Sésame's user only; SQLite gives its -wal and -shm files the database file's mode.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(BOOKKEEPING.sqlite);
    const applied = new Map(db.prepare<[], { migration_name: string; checksum: string }>(APPLIED).all().map((r) => [r.migration_name, r.checksum]));
    const done: string[] = [];
    for (const { name, sql, checksum } of pending(readMigrations(dir), applied)) {
      // IMMEDIATE: two instances starting together apply each migration once.
      db.transaction(() => {
        const again = db.prepare('SELECT 1 FROM _prisma_migrations WHERE migration_name = ? AND finished_at IS NOT NULL').get(name);
        if (again) return;
        db.exec(sql);
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count, started_at)
           VALUES (?, ?, datetime('now'), ?, 1, datetime('now'))`,
        ).run(crypto.randomUUID(), checksum, name);
        done.push(name);
      }).immediate();
    }
    return { applied: done };
  } finally {
    db.close();
  }
}

export async function migratePostgresql(url: string, dir = MIGRATIONS_DIRS.postgresql): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Instances starting at once wait for the first to finish, then find nothing left to apply.
    // A session lock: released when this connection ends, even if the process dies mid-way.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(BOOKKEEPING.postgresql);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(APPLIED);
    const done: string[] = [];
    for (const { name, sql, checksum } of pending(readMigrations(dir), new Map(rows.map((r) => [r.migration_name, r.checksum])))) {
      // PostgreSQL's DDL is transactional: a migration that fails leaves nothing behind.
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count, started_at)
           VALUES ($1, $2, now(), $3, 1, now())`,
          [crypto.randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      done.push(name);
    }
    return { applied: done };
  } finally {
    await client.end();
  }
}
