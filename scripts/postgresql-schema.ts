// Writes prisma/postgresql/schema.prisma from the schema of record (prisma/schema.prisma), then,
// with --generate, generates its client (node_modules/.prisma/client-postgresql). Run by postinstall, offline.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { postgresqlSchema, SCHEMA_FILE } from '../src/services/db/providers';

fs.mkdirSync(path.dirname(SCHEMA_FILE.postgresql), { recursive: true });
fs.writeFileSync(SCHEMA_FILE.postgresql, postgresqlSchema(fs.readFileSync(SCHEMA_FILE.sqlite, 'utf8')));
if (process.argv.includes('--generate')) {
  execFileSync('npx', ['prisma', 'generate', '--schema', SCHEMA_FILE.postgresql], { stdio: 'inherit' });
}
