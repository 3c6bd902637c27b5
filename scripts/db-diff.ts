// Writes a new migration from the change to prisma/schema.prisma:  npm run db:diff -- <name>
// `prisma migrate dev` cannot run on Prisma's Wasm engine with a driver adapter, and `migrate diff`
// accepts neither --from-migrations nor --from-schema-datasource there. So: apply the existing
// migrations to a scratch database, introspect it (`db pull`), and diff that datamodel with the schema.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, MIGRATIONS_DIR } from '../src/services/db/migrate';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_');
if (!name) {
  process.stderr.write('Usage: npm run db:diff -- <migration_name>\n');
  process.exit(2);
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sesame-diff-'));
try {
  const file = path.join(scratch, 'db.sqlite');
  migrate(file);
  const prisma = (args: string[]) =>
    execFileSync('npx', ['prisma', ...args], { env: { ...process.env, DATABASE_URL: `file:${file}` }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const pulled = prisma(['db', 'pull', '--print']);
  const current = path.join(scratch, 'current.prisma');
  fs.writeFileSync(current, pulled.slice(pulled.indexOf('generator ')));
  const sql = prisma(['migrate', 'diff', '--from-schema-datamodel', current, '--to-schema-datamodel', 'prisma/schema.prisma', '--script']);
  if (!/^\s*[A-Z]/m.test(sql.replace(/^--.*$/gm, ''))) {
    process.stdout.write('The schema matches the migrations: nothing to write.\n');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    process.stdout.write(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql — read it before committing.\n`);
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
