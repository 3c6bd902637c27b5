import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from './helpers/silentLogger';
import { startApp } from '../src/app';
import { parseConfig } from '../src/config';
import { dumpDatabase, testDatabaseUrl, tempDir } from './helpers/db';
import { ChatRunner } from './helpers/chat';
import { ROOT } from '../src/paths';
import type { App } from '../src/app';

// Every journey's readable script (.chat), replayed against the real server (Direct Line, secure
// pages, SMTP); the Bot Framework .transcript of each run goes to var/transcripts/ for the Emulator.
const dir = path.join(__dirname, 'chats');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.chat'));
const transcripts = path.join(ROOT, 'var', 'transcripts');

// One server for all scripts; restart> stops it and starts it again on the same database.
const dataDir = tempDir();
const channelSecret = 'transcripts-channel-secret-0123456789';
const logs = capturingLogger();
let database: Awaited<ReturnType<typeof testDatabaseUrl>>;
let config: ReturnType<typeof parseConfig>;
let app: App;
const restart = async () => {
  await app.close();
  app = await startApp(config, logs.logger);
};
beforeAll(async () => {
  database = await testDatabaseUrl(dataDir);
  config = parseConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: database.url, DATA_DIR: dataDir, OUTBOX_POLL_MS: '100', DIRECTLINE_SECRET: channelSecret, RATE_LIMIT_FACTOR: '50' });
  app = await startApp(config, logs.logger);
});
afterAll(async () => {
  await app.close();
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Each conversation of the run as the bot recorded it: <script>.transcript, <script>.<actor>.transcript. */
async function writeTranscripts(script: string, runner: ChatRunner): Promise<void> {
  fs.mkdirSync(transcripts, { recursive: true });
  for (const { actor, conversationId } of runner.conversationIds()) {
    const activities = await app.services.transcripts.allActivities('directline', conversationId);
    fs.writeFileSync(path.join(transcripts, `${script}${actor === 'user' ? '' : `.${actor}`}.transcript`), `${JSON.stringify(activities, null, 2)}\n`);
  }
}

describe('chats', () => {
  it.each(files)('%s', async (file) => {
    const script = path.basename(file, '.chat');
    const runner = new ChatRunner({ app: () => app, userId: `u-${script}`, onRestart: restart, channelSecret });
    try {
      await runner.run(path.join(dir, file));
    } finally {
      // Written even when a step fails: that run is the one to open in the Emulator.
      await writeTranscripts(script, runner);
    }
    // Secrets typed on the secure pages or read in mails never reach the logs, the conversation or the database.
    const stored = await dumpDatabase(database.url);
    const conversation = await runner.conversation();
    for (const secret of runner.secrets()) {
      expect(logs.raw.join('\n')).not.toContain(secret);
      expect(conversation).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
  }, 120_000);
});
