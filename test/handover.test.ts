import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config';
import { startApp, type App } from '../src/app';
import { openCoordination } from '../src/services/db/coordination';
import { openDatabase } from '../src/services/db/database';
import { REPLY_KEY, type WireActivity } from '../src/http/directline/channel';
import { silentLogger } from './helpers/silentLogger';
import { testDatabaseUrl, testProvider, tempDir } from './helpers/db';

// Issue #16 §4–5: what the local channel acknowledged is processed exactly once, whatever crashed when;
// on SQLite and on PostgreSQL (SESAME_TEST_DB=postgres).
const dir = tempDir();
const database = testDatabaseUrl(dir);
const running: App[] = [];

async function start(): Promise<App> {
  const config = parseConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: (await database).url, DATA_DIR: dir, OUTBOX_POLL_MS: '100', RATE_LIMIT_FACTOR: '50' });
  const app = await startApp(config, silentLogger);
  running.push(app);
  return app;
}

afterAll(async () => {
  for (const app of running.splice(0)) await app.close().catch(() => undefined);
  await (await database).drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function conversation(app: App, userId: string): Promise<{ id: string; token: string }> {
  const generated = (await (await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { id: userId } }) })).json()) as { token: string; conversationId: string };
  await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${generated.token}` } });
  return { id: generated.conversationId, token: generated.token };
}

async function activities(app: App, conversationId: string): Promise<WireActivity[]> {
  const rows = await app.db.directLineActivity.findMany({ where: { conversationId }, orderBy: { seq: 'asc' } });
  return rows.map((r) => JSON.parse(r.body) as WireActivity);
}

/**
 * What postActivity stores before its 200, written as a crash would leave it: the user's message in
 * the conversation, and its hand-over to the bot, under a lease that has run out (its instance died).
 */
async function acknowledgedNotProcessed(app: App, conversationId: string, userId: string, text: string): Promise<string> {
  return app.db.$transaction(async (tx) => {
    const { nextSeq } = await tx.directLineConversation.update({ where: { id: conversationId }, data: { nextSeq: { increment: 1 } } });
    const id = `${conversationId}|${String(nextSeq - 1).padStart(7, '0')}`;
    const activity = {
      type: 'message',
      id,
      text,
      from: { id: userId, role: 'user' },
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      channelId: 'directline',
      recipient: { id: 'sesame', name: 'Sésame', role: 'bot' },
      timestamp: new Date().toISOString(),
      locale: 'fr-FR',
    };
    await tx.directLineActivity.create({ data: { conversationId, seq: nextSeq - 1, body: JSON.stringify(activity) } });
    await tx.directLineInbox.create({ data: { conversationId, body: JSON.stringify(activity), leaseUntil: new Date(Date.now() - 1000), attempts: 1 } });
    return id;
  });
}

const repliesTo = async (app: App, conversationId: string, id: string) => (await activities(app, conversationId)).filter((a) => a.from?.role === 'bot' && a.replyToId === id && a.type === 'message');

describe('the durable hand-over to the bot', () => {
  it('a message acknowledged but not processed when the server died is answered after the restart, once', async () => {
    let app = await start();
    const { id: conversationId } = await conversation(app, 'u-handover');
    await expect.poll(async () => (await activities(app, conversationId)).some((a) => a.from?.role === 'bot'), { timeout: 10_000 }).toBe(true);
    await app.channel.idle();
    await app.close();
    running.splice(0);

    // The server was killed between the 200 and the turn: the message is stored, its hand-over pending.
    const db = await openDatabase((await database).url);
    const pending = await acknowledgedNotProcessed({ db } as App, conversationId, 'u-handover', 'aide');
    await db.$disconnect();

    app = await start();
    await expect.poll(async () => (await repliesTo(app, conversationId, pending)).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await app.channel.idle();
    expect(await app.db.directLineInbox.count()).toBe(0);
    const answered = (await repliesTo(app, conversationId, pending)).length;

    // Delivered once more (the turn had committed, the hand-over's deletion had not): recognised, not run again.
    const state = await app.db.botStateItem.findUniqueOrThrow({ where: { key: `directline/conversations/${conversationId}` } });
    expect(JSON.parse(state.data).flags.processed).toContain(pending);
    const again = (await activities(app, conversationId)).find((a) => a.id === pending)!;
    await app.db.directLineInbox.create({ data: { conversationId, body: JSON.stringify(again), leaseUntil: new Date(Date.now() - 1000), attempts: 1 } });
    expect(await app.channel.sweep()).toBe(1);
    await app.channel.idle();
    expect(await app.db.directLineInbox.count()).toBe(0);
    expect((await repliesTo(app, conversationId, pending)).length).toBe(answered);
  });

  it('a reply the same turn sends again (the turn ran again after a crash) is kept once', async () => {
    const app = running[0] ?? (await start());
    const { id: conversationId } = await conversation(app, 'u-replykey');
    const reply = { type: 'message', text: 'Bonjour', channelData: { [REPLY_KEY]: `${conversationId}|0000001#0.0` } } as WireActivity;
    const first = await app.channel.receiveFromBot(conversationId, reply);
    const second = await app.channel.receiveFromBot(conversationId, { ...reply });
    expect(second.id).toBe(first.id);
    const stored = (await activities(app, conversationId)).filter((a) => a.text === 'Bonjour');
    expect(stored).toHaveLength(1);
    // Sésame's own key is not part of what clients see.
    expect(JSON.stringify(stored[0])).not.toContain(REPLY_KEY);
    // Another rank of the same turn is another reply.
    await app.channel.receiveFromBot(conversationId, { ...reply, channelData: { [REPLY_KEY]: `${conversationId}|0000001#0.1` } } as WireActivity);
    expect((await activities(app, conversationId)).filter((a) => a.text === 'Bonjour')).toHaveLength(2);
  });

  it('the same registration turn run again finds its request made: « created », one account, one mail', async () => {
    const app = running[0] ?? (await start());
    const input = {
      civility: 'dr' as const,
      lastName: 'Şahin',
      firstName: 'Ayşe',
      identifier: '10003456781',
      identifierKeyOk: true,
      specialty: 'anesthesie-reanimation' as const,
      practice: 'individual' as const,
      email: 'ayse.sahin@example.fr',
      locale: 'fr' as const,
      requestKey: 'directline/c-1/c-1|0000004',
    };
    const first = await app.services.registry.register(input);
    const second = await app.services.registry.register(input);
    expect(first.status).toBe('created');
    expect(second).toMatchObject({ status: 'created', accountId: first.accountId });
    expect(await app.db.outboxMail.count({ where: { to: input.email } })).toBe(1);
    // Another turn (another person, or the same one again later) is told the number is taken.
    expect((await app.services.registry.register({ ...input, requestKey: 'directline/c-2/c-2|0000004' })).status).toBe('duplicate');
  });
});

describe.skipIf(testProvider !== 'postgresql')('several instances on PostgreSQL', () => {
  it('turns of one conversation hold one lock across instances; other conversations do not wait', async () => {
    const url = (await database).url;
    const [a, b] = [await openCoordination(url, silentLogger), await openCoordination(url, silentLogger)];
    try {
      const log: string[] = [];
      const work = (name: string, ms: number) => async () => {
        log.push(`${name} in`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name} out`);
      };
      await Promise.all([a.exclusive('directline/c1', work('a', 150)), new Promise((r) => setTimeout(r, 20)).then(() => b.exclusive('directline/c1', work('b', 10)))]);
      expect(log).toEqual(['a in', 'a out', 'b in', 'b out']);
      log.length = 0;
      await Promise.all([a.exclusive('directline/c1', work('a', 150)), new Promise((r) => setTimeout(r, 20)).then(() => b.exclusive('directline/c2', work('b', 10)))]);
      expect(log).toEqual(['a in', 'b in', 'b out', 'a out']);
      // A failing turn releases its lock.
      await expect(a.exclusive('directline/c3', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      await b.exclusive('directline/c3', async () => undefined);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('what one instance stores is announced to the others at commit, not before', async () => {
    const url = (await database).url;
    const [a, b] = [await openCoordination(url, silentLogger), await openCoordination(url, silentLogger)];
    const db = await openDatabase(url);
    try {
      const heard: string[] = [];
      b.news.on('activity', (conversationId, seq) => heard.push(`${conversationId}:${seq}`));
      const own: string[] = [];
      a.news.on('activity', (conversationId, seq) => own.push(`${conversationId}:${seq}`));
      await db.$transaction(async (tx) => {
        await a.announce(tx, 'conv-x', 7);
        await new Promise((r) => setTimeout(r, 200));
        expect(heard).toEqual([]);
      });
      await expect.poll(() => heard, { timeout: 5_000 }).toEqual(['conv-x:7']);
      // A rolled-back transaction announces nothing.
      await db.$transaction(async (tx) => {
        await a.announce(tx, 'conv-y', 1);
        throw new Error('rollback');
      }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual(['conv-x:7']);
      // An instance already knows what it stored itself.
      expect(own).toEqual([]);
    } finally {
      await db.$disconnect();
      await a.close();
      await b.close();
    }
  });
});
