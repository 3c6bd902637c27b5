import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '@prisma/client';
import { migrate } from './migrate';

export type Db = PrismaClient;
/** What a service receives to take part in its caller's transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** Opens the SQLite file, bringing its schema up to date first. */
export async function openDatabase(file: string): Promise<Db> {
  migrate(file);
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 10_000 }) });
  await prisma.$connect();
  // A row deleted (a password withdrawn from the chat) is overwritten with zeros, not left in a free page.
  await prisma.$queryRawUnsafe('PRAGMA secure_delete = ON');
  return prisma;
}

/**
 * Moves what the write-ahead log holds into the database file and empties the log: after secrets
 * were deleted, no copy of them stays in the -wal file.
 */
export async function forgetDeleted(db: Db): Promise<void> {
  await db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
}

export async function isDatabaseReachable(db: Db): Promise<boolean> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
