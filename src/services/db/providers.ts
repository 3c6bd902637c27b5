import path from 'node:path';
import { ROOT } from '../../paths';

/** The two databases Sésame runs on: a SQLite file (the embedded default) or PostgreSQL (several instances). */
export type Provider = 'sqlite' | 'postgresql';

export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error('DATABASE_URL must be file:… (SQLite) or postgresql://… (PostgreSQL)');
}

/** The schema of record is SQLite's; PostgreSQL's is derived from it (scripts/postgresql-schema.ts). */
export const SCHEMA_FILE: Record<Provider, string> = {
  sqlite: path.join(ROOT, 'prisma', 'schema.prisma'),
  postgresql: path.join(ROOT, 'prisma', 'postgresql', 'schema.prisma'),
};

export const MIGRATIONS_DIRS: Record<Provider, string> = {
  sqlite: path.join(ROOT, 'prisma', 'migrations'),
  postgresql: path.join(ROOT, 'prisma', 'migrations-postgresql'),
};

/**
 * PostgreSQL's schema from the schema of record: the same models, another provider, and its client
 * generated beside the default one (a Prisma client serves one provider only).
 */
export function postgresqlSchema(sqliteSchema: string): string {
  const derived = asPostgresql(sqliteSchema)
    .replace(/(generator client \{[^}]*?)(\n\})/, '$1\n  output     = "../../node_modules/.prisma/client-postgresql"$2');
  if (!derived.includes('"postgresql"') || !derived.includes('client-postgresql')) {
    throw new Error('prisma/schema.prisma: its datasource or generator block is not where the PostgreSQL schema expects it');
  }
  return `// GENERATED from prisma/schema.prisma by scripts/postgresql-schema.ts (npm install, npm run db:diff): do not edit.\n${derived}`;
}

/**
 * A datamodel's datasource made PostgreSQL's. Its URL is never used (the driver adapter connects),
 * but Prisma's CLI must be able to read one without the environment, or it looks for a native engine.
 */
export function asPostgresql(datamodel: string): string {
  const swapped = datamodel.replace(/datasource db \{[^}]*\}/, 'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://localhost/sesame"\n}');
  if (swapped === datamodel) throw new Error('no datasource block to make PostgreSQL\'s');
  return swapped;
}
