// A fresh PostgreSQL database for the bench, created and dropped like test/helpers/db.ts does.
import crypto from 'node:crypto';
import pg from 'pg';

/** The server's maintenance database: BENCH_PG_URL, else the tests' SESAME_TEST_PG_URL, else local trust auth. */
export const adminUrl = process.env.BENCH_PG_URL ?? process.env.SESAME_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The server's version and durability settings, or why PostgreSQL cannot be used. */
export async function postgresqlServer(): Promise<{ ok: true; description: string } | { ok: false; problem: string }> {
  try {
    return await admin(async (c) => {
      const setting = async (name: string) => ((await c.query<{ v: string }>(`SELECT current_setting('${name}') AS v`)).rows[0]?.v ?? '?');
      return { ok: true as const, description: `PostgreSQL ${await setting('server_version')} (synchronous_commit=${await setting('synchronous_commit')}, fsync=${await setting('fsync')})` };
    });
  } catch (error) {
    return { ok: false, problem: `${adminUrl.replace(/\/\/[^@]*@/, '//…@')}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A new, empty database (sesame_bench_<random>) and how to drop it. */
export async function createDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `sesame_bench_${crypto.randomBytes(6).toString('hex')}`;
  // The server's own settings (synchronous_commit as in production, unlike the tests' databases).
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // FORCE: a server still holding connections (killed, or not yet closed) does not stop the drop.
  return { url: url.toString(), name, drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}
