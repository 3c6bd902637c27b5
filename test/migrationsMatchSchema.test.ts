import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createScript, diffScript, migratedDatamodel } from '../scripts/db-diff';
import { migrate } from '../src/services/db/migrate';
import { postgresqlSchema, SCHEMA_FILE } from '../src/services/db/providers';
import { createPostgresqlDatabase, testProvider, tempDir } from './helpers/db';

// The migrations of each provider make exactly the schema of record: a change to
// prisma/schema.prisma without `npm run db:diff` (or a migration edited by hand) fails here.
// SQLite in the SQLite pass, PostgreSQL in the PostgreSQL pass (npm run test:pg).
const scratch = tempDir();
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** What PostgreSQL knows of a database's tables: columns, indexes, constraints (bookkeeping aside). */
async function catalog(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await rows(`SELECT table_name, column_name, data_type, is_nullable, column_default, character_maximum_length, numeric_precision, datetime_precision
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`),
      indexes: await rows(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`),
      constraints: await rows(`SELECT c.conrelid::regclass::text AS "table", c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
        JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> '_prisma_migrations' ORDER BY c.conname`),
    };
  } finally {
    await client.end();
  }
}

describe('migrations match the schema', () => {
  it('the PostgreSQL schema and its client are derived from the current schema of record', () => {
    expect(fs.readFileSync(SCHEMA_FILE.postgresql, 'utf8'), 'prisma/postgresql/schema.prisma is stale: npm run postinstall').toBe(
      postgresqlSchema(fs.readFileSync(SCHEMA_FILE.sqlite, 'utf8')),
    );
  });

  it.runIf(testProvider === 'sqlite')('SQLite: prisma/migrations applied in order make prisma/schema.prisma (the diff is empty)', () => {
    expect(diffScript(migratedDatamodel(scratch), SCHEMA_FILE.sqlite, scratch)).toBe('');
  }, 60_000);

  it.runIf(testProvider === 'postgresql')('PostgreSQL: prisma/migrations-postgresql applied in order make the same tables as the schema created at once', async () => {
    // Prisma cannot introspect PostgreSQL on its Wasm engine (prisma/orm#27403): the catalogs are compared instead.
    const migrated = await createPostgresqlDatabase();
    const created = await createPostgresqlDatabase();
    try {
      await migrate(migrated.url);
      const client = new pg.Client({ connectionString: created.url });
      await client.connect();
      await client.query(createScript(SCHEMA_FILE.postgresql, scratch)).finally(() => client.end());
      const expected = await catalog(created.url);
      expect((expected as { columns: unknown[] }).columns.length).toBeGreaterThan(100);
      expect(await catalog(migrated.url)).toEqual(expected);
    } finally {
      await migrated.drop();
      await created.drop();
    }
  }, 60_000);
});
