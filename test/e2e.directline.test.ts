import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from 'botframework-directlinejs';
import { startTestApp } from './helpers/app';
import { capturingLogger } from './helpers/silentLogger';
import { adaptiveCard, connect } from './helpers/directline';
import type { App } from '../src/app';

let app: App;
let close: () => Promise<void>;
const logs = capturingLogger();
const polls = () => logs.lines.filter((l) => l.event === 'request' && l.method === 'GET' && String(l.route).endsWith('/activities')).length;
beforeAll(async () => {
  ({ app, close } = await startTestApp({}, logs.logger));
});
afterAll(async () => close());

describe.each([
  ['polling', false],
  ['WebSocket', true],
])('an unmodified Direct Line client (%s)', (_mode, webSocket) => {
  it('is welcomed, clicks an entry, types a command, and sees its own messages echoed', async () => {
    const userId = `dl-${webSocket ? 'ws' : 'poll'}`;
    const pollsBefore = polls();
    const session = await connect(app.url, { webSocket, userId });
    try {
      const welcome = await session.next((a) => Boolean(adaptiveCard(a)), 'the welcome card');
      const card = adaptiveCard(welcome)!;
      expect(card.body[0].text).toBe('Bonjour, je suis Sésame');
      const promptId = card.actions[0].data.promptId;

      const id = await session.send({ value: { verb: 'help.problem', promptId }, channelData: { clientActivityID: 'client-1' } });
      expect(id).toMatch(/\|\d{7}$/);
      await expect.poll(() => session.received.find((a) => a.id === id)).toBeTruthy();
      const echoed = session.received.find((a) => a.id === id)!;
      expect(echoed.channelData).toMatchObject({ clientActivityID: 'client-1' });

      const answer = await session.next((a) => a.type === 'message' && /Dites-moi ce qui bloque/.test((a as Message).text ?? ''), 'the common problems');
      expect((answer as Message & { replyToId?: string }).replyToId).toBe(id);

      await session.send({ text: 'english' });
      await session.next((a) => (a as Message).text === 'All right, I will continue in English.', 'the language switch');
      await session.send({ text: 'menu' });
      const menu = await session.next((a) => Boolean(adaptiveCard(a)), 'the menu in English');
      expect(adaptiveCard(menu)!.body[0].text).toBe('Hello, I am Sésame');
      // The stream really carried the activities: no polling in WebSocket mode.
      if (webSocket) expect(polls()).toBe(pollsBefore);
      else expect(polls()).toBeGreaterThan(pollsBefore);
    } finally {
      session.end();
    }
  });
});

describe('the Direct Line channel', () => {
  async function token(userId: string) {
    const response = await fetch(`${app.url}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: userId } }),
    });
    return (await response.json()) as { token: string; conversationId: string };
  }

  it('refuses to read or post without the conversation token', async () => {
    const mine = await token('alice');
    const theirs = await token('bob');
    const read = (auth?: string) =>
      fetch(`${app.url}/v3/directline/conversations/${mine.conversationId}/activities`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    expect((await read()).status).toBe(403);
    expect((await read('forged')).status).toBe(403);
    expect((await read(theirs.token)).status).toBe(403);
    expect((await read(mine.token)).status).toBe(200);
    const post = await fetch(`${app.url}/v3/directline/conversations/${mine.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${theirs.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hello', from: { id: 'bob' } }),
    });
    expect(post.status).toBe(403);
  });

  it('refreshes a token for the same conversation, and reconnects with a new stream URL', async () => {
    const first = await token('carol');
    const auth = { authorization: `Bearer ${first.token}` };
    await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers: auth });
    const refreshed = (await (await fetch(`${app.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: auth })).json()) as {
      token: string;
      conversationId: string;
    };
    expect(refreshed.conversationId).toBe(first.conversationId);
    expect(refreshed.token).not.toBe(first.token);
    const reconnect = await fetch(`${app.url}/v3/directline/conversations/${first.conversationId}?watermark=0`, {
      headers: { authorization: `Bearer ${refreshed.token}` },
    });
    const body = (await reconnect.json()) as { streamUrl: string };
    expect(reconnect.status).toBe(200);
    expect(body.streamUrl).toMatch(/^ws:\/\/.*\/v3\/directline\/conversations\/.*\/stream\?t=.*watermark=0/);
  });

  it('conversations whose client names no user never share user state (issue #16 §6)', async () => {
    // Two clients as a load tester writes them: a token for nobody, activities without from.id.
    const start = async () => {
      const { token: t, conversationId } = (await (await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { token: string; conversationId: string };
      const auth = { authorization: `Bearer ${t}`, 'content-type': 'application/json' };
      await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers: auth });
      const activities = async () =>
        ((await (await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, { headers: auth })).json()) as { activities: { type: string; text?: string; from: { id: string; role?: string }; attachments?: unknown[] }[] }).activities;
      const say = async (text: string) => {
        const response = await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text }) });
        expect(response.status).toBe(200);
      };
      return { conversationId, activities, say };
    };
    const [first, second] = [await start(), await start()];
    await first.say('english');
    await expect.poll(async () => (await first.activities()).some((a) => a.text === 'All right, I will continue in English.'), { timeout: 10_000 }).toBe(true);
    await second.say('menu');
    await expect.poll(async () => (await second.activities()).filter((a) => a.attachments?.length).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    // The other conversation's choice of English does not reach this one: its menu is in French.
    const menus = (await second.activities()).filter((a) => a.attachments?.length);
    expect(JSON.stringify(menus.at(-1))).toContain('Bonjour, je suis Sésame');
    // Each got a user of its own, and no state is kept under the bot's id.
    const users = await Promise.all([first, second].map(async (c) => (await c.activities()).find((a) => a.from.role === 'user')!.from.id));
    expect(users[0]).toMatch(/^dl_/);
    expect(users[1]).toMatch(/^dl_/);
    expect(users[0]).not.toBe(users[1]);
    const keys = (await app.db.botStateItem.findMany({ select: { key: true } })).map((r) => r.key);
    expect(keys.filter((k) => k.startsWith('directline/users/sesame'))).toEqual([]);
    expect(keys).toContain(`directline/users/${users[0]}`);
  });

  it('a client polling with a watermark gets only what it missed', async () => {
    const { token: t, conversationId } = await token('dave');
    const auth = { authorization: `Bearer ${t}`, 'content-type': 'application/json' };
    await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers: auth });
    await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'message', text: 'aide', from: { id: 'dave' } }),
    });
    const poll = async (watermark?: string) => {
      const query = watermark === undefined ? '' : `?watermark=${watermark}`;
      const response = await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities${query}`, { headers: auth });
      return (await response.json()) as { activities: { id: string; text?: string }[]; watermark: string };
    };
    await expect.poll(async () => (await poll()).activities.some((a) => /« menu »/.test(a.text ?? ''))).toBe(true);
    const all = await poll();
    const missed = await poll(String(Number(all.watermark) - 1));
    expect(missed.activities.map((a) => a.id)).toEqual([all.activities.at(-1)!.id]);
    expect(missed.watermark).toBe(all.watermark);
    expect(await poll(all.watermark)).toEqual({ activities: [], watermark: all.watermark });
  });

  it('connector routes take only the bot of this server, by its key, even from loopback (#11 §7)', async () => {
    const session = await connect(app.url, { webSocket: false, userId: 'dl-connector' });
    try {
      const welcome = await session.next((a) => Boolean(adaptiveCard(a)), 'the welcome card');
      const conversationId = welcome.conversation!.id;
      // The test runs on loopback, as every caller does behind a reverse proxy: that is no longer enough.
      const injected = await fetch(`${app.url}/v3/conversations/${conversationId}/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'Le Centre de Services a validé votre compte' }),
      });
      expect(injected.status).toBe(401);
      const deleted = await fetch(`${app.url}/v3/conversations/${conversationId}/activities/${encodeURIComponent(welcome.id!)}`, { method: 'DELETE' });
      expect(deleted.status).toBe(401);
      const stored = await app.db.directLineActivity.findMany({ where: { conversationId } });
      expect(stored.map((a) => a.body).join()).not.toContain('validé votre compte');
      expect(stored.some((a) => JSON.parse(a.body).id === welcome.id)).toBe(true);
    } finally {
      session.end();
    }
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
