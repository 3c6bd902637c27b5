import fs from 'node:fs';
import { parseConfig } from '../../src/config';
import { startApp, type App } from '../../src/app';
import { silentLogger } from './silentLogger';
import type { Logger } from '../../src/logger';
import { testDatabaseUrl, tempDir } from './db';

/** The real server, in this process, on a free port, with its own database (a SQLite file, or PostgreSQL: see db.ts). */
export async function startTestApp(
  env: Record<string, string> = {},
  logger: Logger = silentLogger,
): Promise<{ app: App; dir: string; databaseUrl: string; close: () => Promise<void> }> {
  const dir = tempDir();
  const database = await testDatabaseUrl(dir);
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    DATA_DIR: dir,
    OUTBOX_POLL_MS: '100',
    // Test clients poll far faster than people type: limits are widened unless a test sets its own.
    RATE_LIMIT_FACTOR: '50',
    ...env,
  });
  const app = await startApp(config, logger);
  return {
    app,
    dir,
    databaseUrl: database.url,
    close: async () => {
      await app.close();
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
