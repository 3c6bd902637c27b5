import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ROOT } from '../../paths';

export const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');

// Prisma's own bookkeeping table, so `prisma migrate status` / `migrate deploy` agree with us.
const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies the SQL migrations of prisma/migrations that the database has not seen, in order,
 * each in its own transaction, at start-up and offline. We run them ourselves because
 * Prisma's `migrate deploy` needs its CLI at run time; the bookkeeping stays Prisma's.
 * An already-applied migration whose file changed stops start-up: history is never rewritten.
 */
export function migrate(file: string, dir = MIGRATIONS_DIR): MigrationResult {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Readable by Sésame's user only; SQLite gives its -wal and -shm files the database file's mode.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(BOOKKEEPING);
    const applied = new Map(
      db
        .prepare<[], { migration_name: string; checksum: string }>(
          'SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        )
        .all()
        .map((r) => [r.migration_name, r.checksum]),
    );
    const names = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
      .map((d) => d.name)
      .sort();
    const done: string[] = [];
    for (const name of names) {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = crypto.createHash('sha256').update(sql).digest('hex');
      const known = applied.get(name);
      if (known !== undefined) {
        if (known !== checksum) throw new Error(`Migration ${name} was changed after it was applied; add a new migration instead.`);
        continue;
      }
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
