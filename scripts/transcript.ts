// A conversation as a Bot Framework .transcript (the JSON array of activities the Emulator opens):
//   npm run transcript -- <conversationId> [--channel directline] > conversation.transcript
// Reads the database of DATABASE_URL, like the app. Secrets were withheld before anything was stored.
import { parseArgs } from 'node:util';
import { ConfigError, databaseUrl, loadConfig } from '../src/config';
import { openDatabase } from '../src/services/db/database';
import { TranscriptStore } from '../src/services/support/transcripts';

const USAGE = 'Usage: npm run transcript -- <conversationId> [--channel <channelId>]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { channel: { type: 'string' } }, allowPositionals: true, strict: true });
  const [conversationId] = positionals;
  if (!conversationId || positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const db = await openDatabase(databaseUrl(loadConfig()));
  try {
    const store = new TranscriptStore(db);
    const channels = values.channel ? [values.channel] : await store.channelsOf(conversationId);
    if (channels.length === 0) {
      process.stderr.write(`No transcript for the conversation ${conversationId} (none, or older than TRANSCRIPT_RETENTION_DAYS).\n`);
      return 1;
    }
    if (channels.length > 1) {
      process.stderr.write(`The conversation ${conversationId} exists in several channels (${channels.join(', ')}): choose one with --channel.\n`);
      return 2;
    }
    const activities = await store.allActivities(channels[0], conversationId);
    process.stdout.write(`${JSON.stringify(activities, null, 2)}\n`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
