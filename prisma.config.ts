import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

// Prisma's CLI on its Wasm engine with the better-sqlite3 driver adapter: `generate`,
// `migrate diff` and `migrate deploy` work offline (no native engine to download).
// New migrations (both providers): `npm run db:diff -- <name>` (scripts/db-diff.ts; `migrate dev` does not work with this engine).
export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    const url = process.env.DATABASE_URL ?? 'file:./var/sesame.db';
    // Prisma's Wasm schema engine cannot read PostgreSQL (prisma/orm#27403): Sésame migrates it itself.
    if (!url.startsWith('file:')) throw new Error("Prisma's CLI is set up for SQLite here; PostgreSQL is migrated by Sésame at start-up (README, Migrations).");
    fs.mkdirSync(path.dirname(path.resolve(url.replace(/^file:/, ''))), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
