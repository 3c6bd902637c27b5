import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testDatabaseUrl, tempDir } from './helpers/db';
import { waitFor } from './helpers/smtp';
import { freePort } from './helpers/net';

// The real `npm start` entry point in a child process, killed with SIGKILL mid-conversation.
const root = path.resolve(__dirname, '..');
const dir = tempDir();
// A file in `dir`, or a PostgreSQL database of its own (SESAME_TEST_DB=postgres).
const database = testDatabaseUrl(dir);
let child: ChildProcess | undefined;


async function start(port: number): Promise<void> {
  child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'src/index.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATABASE_URL: (await database).url, DATA_DIR: dir, LOG_LEVEL: 'warn', NODE_ENV: 'test', RATE_LIMIT_FACTOR: '50' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok, 30_000, 'the server to be ready');
}

afterAll(async () => {
  child?.kill('SIGKILL');
  await (await database).drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Activity = { id: string; type: string; text?: string; from: { role?: string }; attachments?: { content: { body: { text?: string }[]; actions: { data: { promptId: string } }[] } }[] };

describe('kill -9 in the middle of a conversation', () => {
  it('loses nothing: after a restart the user continues the form at the same step, in the language they chose', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await start(port);

    const started = await fetch(`${base}/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'u-restart' }) });
    // The chat page's browser: its cookie goes with every request, its tokens work only with it.
    const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0];
    const session = (await started.json()) as { conversationId: string; token: string; resumeKey: string };
    const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', cookie });
    const activities = async (token: string) =>
      ((await (await fetch(`${base}/v3/directline/conversations/${session.conversationId}/activities`, { headers: headers(token) })).json()) as { activities: Activity[] })
        .activities;
    const say = (token: string, body: object) =>
      fetch(`${base}/v3/directline/conversations/${session.conversationId}/activities`, {
        method: 'POST',
        headers: headers(token),
        body: JSON.stringify({ type: 'message', from: { id: 'u-restart' }, ...body }),
      });

    await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: headers(session.token) });
    const card = (token: string, title: string) =>
      waitFor(
        async () =>
          (await activities(token))
            .filter((a) => a.attachments?.[0]?.content.body.some((b) => b.text === title))
            .at(-1)?.attachments![0].content.actions[0].data.promptId,
        15_000,
        `the card "${title}"`,
      );

    // In English, into the accreditation form: eligibility answered, the request form on screen.
    await say(session.token, { text: 'english' });
    await say(session.token, { value: { verb: 'accreditation.start', promptId: await card(session.token, 'Hello, I am Sésame') } });
    await say(session.token, { value: { verb: 'register', promptId: await card(session.token, 'Accreditation of physicians') } });
    await say(session.token, {
      value: {
        verb: 'submit',
        promptId: await card(session.token, 'Before the form: does it apply to you?'),
        physician: 'yes',
        specialty: 'anesthesie-reanimation',
        interventional: 'yes',
        establishment: 'yes',
        practice: 'individual',
      },
    });
    const formPromptId = await card(session.token, 'Not registered yet — commitment request');
    // Killed as soon as the card is on screen: its turn's state may not be committed yet. The hand-over
    // is durable (issue #16): a turn not finished is run again after the restart, its replies kept once.
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    await start(port);

    // The page comes back with its resume key: same conversation, new token.
    const resumed = await fetch(`${base}/webchat/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ userId: 'u-restart', conversationId: session.conversationId, resumeKey: session.resumeKey }),
    });
    expect(resumed.status).toBe(200);
    const { token } = (await resumed.json()) as { token: string };

    // The form shown before the crash is still the current step, the specialty answered before is kept, and English is remembered.
    await say(token, {
      value: {
        verb: 'submit',
        promptId: formPromptId,
        civility: 'dr',
        lastName: 'Restart',
        firstName: 'Jean',
        identifier: '10107350778',
        specialty: 'anesthesie-reanimation',
        email: 'jean.restart@example.fr',
        emailConfirm: 'jean.restart@example.fr',
      },
    });
    const answer = await waitFor(
      async () => (await activities(token)).find((a) => a.type === 'message' && /Your commitment request is recorded/.test(a.text ?? '')),
      40_000,
      'the answer to the form submitted after the crash',
    );
    expect(answer).toBeDefined();

    const forged = await fetch(`${base}/webchat/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u-restart', conversationId: session.conversationId, resumeKey: 'not-the-key' }),
    });
    expect(forged.status).toBe(403);
    // The right key in another browser (no cookie): no token for that conversation either.
    const elsewhere = await fetch(`${base}/webchat/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u-restart', conversationId: session.conversationId, resumeKey: session.resumeKey }),
    });
    expect(elsewhere.status).toBe(403);
  }, 90_000);

  it('every message acknowledged before a kill -9 is answered once after the restart (issue #16 §4)', async () => {
    child?.kill('SIGKILL');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await start(port);
    const conversations = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const generated = (await (await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { id: `u-burst-${i}` } }) })).json()) as { token: string; conversationId: string };
        const headers = { authorization: `Bearer ${generated.token}`, 'content-type': 'application/json' };
        await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers });
        return { id: generated.conversationId, headers, user: `u-burst-${i}` };
      }),
    );
    // Three messages each, all at once; the server is killed the moment the last is acknowledged.
    const acknowledged: { conversation: (typeof conversations)[number]; id: string }[] = [];
    await Promise.all(
      conversations.flatMap((conversation) =>
        ['aide', 'où en suis-je', 'menu'].map(async (text) => {
          const response = await fetch(`${base}/v3/directline/conversations/${conversation.id}/activities`, { method: 'POST', headers: conversation.headers, body: JSON.stringify({ type: 'message', text, from: { id: conversation.user } }) });
          if (response.status === 200) acknowledged.push({ conversation, id: ((await response.json()) as { id: string }).id });
        }),
      ),
    );
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    expect(acknowledged).toHaveLength(36);
    await start(port);

    const repliesTo = async ({ conversation, id }: (typeof acknowledged)[number]) =>
      ((await (await fetch(`${base}/v3/directline/conversations/${conversation.id}/activities`, { headers: conversation.headers })).json()) as { activities: Activity[] & { replyToId?: string }[] }).activities.filter(
        (a) => a.from.role === 'bot' && a.type === 'message' && (a as { replyToId?: string }).replyToId === id,
      );
    for (const message of acknowledged) {
      const replies = await waitFor(async () => ((await repliesTo(message)).length > 0 ? repliesTo(message) : undefined), 40_000, `an answer to ${message.id}`);
      // Once: no reply of its turn twice (a turn run again after the crash stores each reply once).
      const shapes = replies.map((a) => JSON.stringify([a.text, a.attachments]));
      expect(new Set(shapes).size).toBe(shapes.length);
    }
  }, 120_000);
});
