// Writes a new migration for each provider from the change to prisma/schema.prisma:  npm run db:diff -- <name>
// `prisma migrate dev` cannot run on Prisma's Wasm engine with a driver adapter, and `migrate diff`
// accepts neither --from-migrations nor --from-schema-datasource there; nor can it introspect
// PostgreSQL (prisma/orm#27403). So: apply the existing SQLite migrations to a scratch database,
// introspect it (`db pull`), and diff that datamodel with the schema — as it is for SQLite, and with
// its provider swapped for PostgreSQL (test/migrationsMatchSchema.test.ts checks that both folders
// hold the same schema). Offline.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateSqlite } from '../src/services/db/migrate';
import { asPostgresql, MIGRATIONS_DIRS, postgresqlSchema, SCHEMA_FILE, type Provider } from '../src/services/db/providers';

/** The SQL taking a database from `fromDatamodel` to `toSchema`, empty when nothing changes. */
export function diffScript(fromDatamodel: string, toSchema: string, scratch: string): string {
  const from = path.join(scratch, `from-${Math.random().toString(36).slice(2)}.prisma`);
  fs.writeFileSync(from, fromDatamodel);
  const sql = prisma(['migrate', 'diff', '--from-schema-datamodel', from, '--to-schema-datamodel', toSchema, '--script'], `file:${path.join(scratch, 'unused.db')}`);
  return /^\s*[A-Z]/m.test(sql.replace(/^--.*$/gm, '')) ? sql : '';
}

/** The datamodel the SQLite migrations make, read back from a scratch database. */
export function migratedDatamodel(scratch: string): string {
  const file = path.join(scratch, 'db.sqlite');
  migrateSqlite(file);
  const pulled = prisma(['db', 'pull', '--print'], `file:${file}`);
  return pulled.slice(pulled.indexOf('generator '));
}

/** The SQL that creates `schema` in an empty database. */
export function createScript(schema: string, scratch: string): string {
  return prisma(['migrate', 'diff', '--from-empty', '--to-schema-datamodel', schema, '--script'], `file:${path.join(scratch, 'unused.db')}`);
}

// prisma.config.ts opens DATABASE_URL's SQLite file: the scratch one, whatever the caller's environment says.
function prisma(args: string[], databaseUrl: string): string {
  return execFileSync('npx', ['prisma', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

function main(): void {
  const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_');
  if (!name) {
    process.stderr.write('Usage: npm run db:diff -- <migration_name>\n');
    process.exit(2);
  }
  fs.writeFileSync(SCHEMA_FILE.postgresql, postgresqlSchema(fs.readFileSync(SCHEMA_FILE.sqlite, 'utf8')));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sesame-diff-'));
  try {
    const current = migratedDatamodel(scratch);
    const scripts: Record<Provider, string> = {
      sqlite: diffScript(current, SCHEMA_FILE.sqlite, scratch),
      postgresql: diffScript(asPostgresql(current), SCHEMA_FILE.postgresql, scratch),
    };
    if (!scripts.sqlite && !scripts.postgresql) {
      process.stdout.write('The schema matches the migrations: nothing to write.\n');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    for (const provider of ['sqlite', 'postgresql'] as const) {
      const dir = path.join(MIGRATIONS_DIRS[provider], `${stamp}_${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'migration.sql'), scripts[provider]);
      process.stdout.write(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql — read it before committing.\n`);
    }
    process.stdout.write('Then regenerate the clients: npm run postinstall\n');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) main();
