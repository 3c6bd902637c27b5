import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, MIGRATIONS_DIR } from '../src/services/db/migrate';
import { tempDir } from './helpers/db';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('migrations at start-up', () => {
  it('applies every migration once, in Prisma\'s own bookkeeping table', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'db.sqlite');
    const names = fs.readdirSync(MIGRATIONS_DIR).filter((n) => fs.existsSync(path.join(MIGRATIONS_DIR, n, 'migration.sql')));
    expect(migrate(file).applied).toEqual(names.sort());
    expect(migrate(file).applied).toEqual([]);
    const db = new Database(file);
    const rows = db.prepare('SELECT migration_name, finished_at FROM _prisma_migrations').all() as { finished_at: string | null }[];
    expect(rows).toHaveLength(names.length);
    expect(rows.every((r) => r.finished_at)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses to start when an applied migration was edited', () => {
    const dir = tempDir();
    dirs.push(dir);
    const migrations = path.join(dir, 'migrations');
    fs.mkdirSync(path.join(migrations, '001_first'), { recursive: true });
    fs.writeFileSync(path.join(migrations, '001_first', 'migration.sql'), 'CREATE TABLE a (id INTEGER);');
    const file = path.join(dir, 'db.sqlite');
    expect(migrate(file, migrations).applied).toEqual(['001_first']);
    fs.writeFileSync(path.join(migrations, '001_first', 'migration.sql'), 'CREATE TABLE a (id TEXT);');
    expect(() => migrate(file, migrations)).toThrow(/001_first was changed after it was applied/);
  });

  it('leaves the database unchanged when a migration fails', () => {
    const dir = tempDir();
    dirs.push(dir);
    const migrations = path.join(dir, 'migrations');
    fs.mkdirSync(path.join(migrations, '001_bad'), { recursive: true });
    fs.writeFileSync(path.join(migrations, '001_bad', 'migration.sql'), 'CREATE TABLE ok (id INTEGER); CREATE TABLE broken (;');
    const file = path.join(dir, 'db.sqlite');
    expect(() => migrate(file, migrations)).toThrow();
    const db = new Database(file);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok'").get()).toBeUndefined();
    db.close();
  });
});
