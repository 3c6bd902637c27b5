import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startApp, type App } from '../src/app';
import { parseConfig } from '../src/config';
import { ROOT } from '../src/paths';
import { ChatRunner, transcriptSchema } from './helpers/chat';
import { testDatabaseUrl, tempDir } from './helpers/db';
import { capturingLogger } from './helpers/silentLogger';

// Bot Framework .transcript files, both ways: the Emulator's replayed against the server, and a
// Direct Line conversation exported by `npm run transcript` as the Emulator opens it.
const dir = path.join(__dirname, 'transcripts');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.transcript'));

const dataDir = tempDir();
const channelSecret = 'transcripts-channel-secret-0123456789';
const env = { NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', DATA_DIR: dataDir, OUTBOX_POLL_MS: '100', DIRECTLINE_SECRET: channelSecret, RATE_LIMIT_FACTOR: '50' };
const logs = capturingLogger();
let app: App;
let database: Awaited<ReturnType<typeof testDatabaseUrl>>;
beforeAll(async () => {
  database = await testDatabaseUrl(dataDir);
  env.DATABASE_URL = database.url;
  app = await startApp(parseConfig(env), logs.logger);
});
afterAll(async () => {
  await app.close();
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** What the Emulator needs of each activity of a .transcript. */
const account = z.object({ id: z.string().min(1), name: z.string().optional(), role: z.string().optional() });
const emulatorActivity = z.object({
  type: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.iso.datetime(),
  channelId: z.string().min(1),
  from: account.extend({ role: z.enum(['user', 'bot', 'channel']) }),
  recipient: account,
  conversation: z.object({ id: z.string().min(1) }),
  serviceUrl: z.string().optional(),
  text: z.string().optional(),
  attachments: z.array(z.object({ contentType: z.string(), content: z.unknown().optional() })).optional(),
});

describe('Bot Framework .transcript files', () => {
  it.each(files)('replays the Emulator transcript %s: the bot answers as recorded', async (file) => {
    const recorded = transcriptSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    const runner = new ChatRunner({ app: () => app, userId: `u-replay-${path.basename(file, '.transcript')}` });
    try {
      await runner.replay(recorded);
    } finally {
      const [{ conversationId }] = runner.conversationIds();
      fs.mkdirSync(path.join(ROOT, 'var', 'transcripts'), { recursive: true });
      const replayed = await app.services.transcripts.allActivities('directline', conversationId);
      fs.writeFileSync(path.join(ROOT, 'var', 'transcripts', `replay-${file}`), `${JSON.stringify(replayed, null, 2)}\n`);
    }
  }, 60_000);

  it('exports a Direct Line conversation with npm run transcript: valid Emulator JSON, no secret in it', async () => {
    const password = 'Soleil!2026xyz';
    const runner = new ChatRunner({ app: () => app, userId: 'u-export', channelSecret });
    const script = path.join(dataDir, 'export.chat');
    fs.writeFileSync(
      script,
      [
        'bot: Bonjour, je suis Sésame',
        "user: je veux m'engager dans l'accreditation",
        '[click=Pas encore inscrit : ma demande]',
        `user: mon mot de passe est ${password} et ca bloque`,
        'bot: Ne communiquez jamais un mot de passe',
        'user: pour ma patiente Mme Dupont née le 12/03/1950 je ne trouve pas',
      ].join('\n'),
    );
    await runner.run(script);
    const [{ conversationId }] = runner.conversationIds();

    const { stdout } = await promisify(execFile)(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/transcript.ts', conversationId], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    const activities = z.array(emulatorActivity).parse(JSON.parse(stdout));
    expect(activities.every((a) => a.channelId === 'directline' && a.conversation.id === conversationId)).toBe(true);
    const messages = activities.filter((a) => a.type === 'message');
    expect(messages.some((a) => a.from.role === 'user' && a.text === "je veux m'engager dans l'accreditation")).toBe(true);
    expect(messages.some((a) => a.from.role === 'bot' && a.attachments?.some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive'))).toBe(true);
    expect(messages.some((a) => a.from.role === 'user' && a.text === '[withheld]')).toBe(true);
    expect(messages.some((a) => a.text?.includes('née le •••'))).toBe(true);
    for (const secret of [password, '12/03/1950', channelSecret, 'sesameClient']) expect(stdout).not.toContain(secret);

    const unknown = await promisify(execFile)(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/transcript.ts', 'no-such-conversation'], { cwd: ROOT, env: { ...process.env, ...env } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('No transcript') });
  }, 60_000);
});
