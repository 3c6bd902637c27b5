import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import { PrismaClient as PostgresqlClient } from '.prisma/client-postgresql';
import { migrate } from './migrate';
import { providerOf, type Provider } from './providers';

export type Db = PrismaClient;
/** What a service receives to take part in its caller's transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/**
 * Connections per instance on PostgreSQL: more than the turns and page requests one process works
 * on at once (each query holds one only while it runs, an interactive transaction until it ends),
 * and few enough that several instances stay far below a managed server's limit (50 on the smallest).
 */
export const POSTGRESQL_POOL_SIZE = 10;

const providers = new WeakMap<Db, Provider>();

/** The provider a client was opened on (what SQL it speaks). */
export function providerOfDb(db: Db): Provider {
  return providers.get(db) ?? 'sqlite';
}

/**
 * Opens the database of DATABASE_URL — a SQLite file (`file:…`) or PostgreSQL (`postgresql://…`) —
 * bringing its schema up to date first.
 */
export async function openDatabase(url: string): Promise<Db> {
  await migrate(url);
  const provider = providerOf(url);
  let prisma: Db;
  if (provider === 'sqlite') {
    prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 10_000 }) });
  } else {
    // The same schema generated for PostgreSQL (scripts/postgresql-schema.ts): the same models and
    // methods, typed as the schema of record's client that every service is written against.
    prisma = new PostgresqlClient({ adapter: new PrismaPg({ connectionString: url, max: POSTGRESQL_POOL_SIZE }) }) as unknown as Db;
  }
  providers.set(prisma, provider);
  await prisma.$connect();
  if (provider === 'sqlite') {
    // A row deleted (a password withdrawn from the chat) is overwritten with zeros, not left in a free page.
    // PostgreSQL has no equivalent: a deleted row stays in its page until VACUUM (autovacuum) reuses the
    // space; there, the managed server's encryption at rest is what protects it (README, Security).
    await prisma.$queryRawUnsafe('PRAGMA secure_delete = ON');
  }
  return prisma;
}

/**
 * Moves what the write-ahead log holds into the database file and empties the log: after secrets
 * were deleted, no copy of them stays in the -wal file. PostgreSQL's write-ahead log is the server's,
 * recycled by it and out of reach of SQL: nothing to do there.
 */
export async function forgetDeleted(db: Db): Promise<void> {
  if (providerOfDb(db) === 'sqlite') await db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
}

export async function isDatabaseReachable(db: Db): Promise<boolean> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
