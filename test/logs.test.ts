import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from './helpers/app';
import { capturingLogger } from './helpers/silentLogger';
import { connect, adaptiveCard } from './helpers/directline';
import type { App } from '../src/app';

const logs = capturingLogger();
let app: App;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startTestApp({}, logs.logger));
});
afterAll(async () => close());

describe('structured logs', () => {
  it('one JSON line per request and per turn, with ids and no message content or token', async () => {
    const session = await connect(app.url, { webSocket: false, userId: 'log-user' });
    await session.next((a) => Boolean(adaptiveCard(a)), 'welcome');
    const id = await session.send({ text: 'mon adresse est jean.durand@example.fr' });
    await session.next((a) => (a as { replyToId?: string }).replyToId === id && a.type === 'message', 'the answer');
    session.end();
    // The answer is on screen before its turn has ended (and logged): once the channel is idle, it has.
    await app.channel.idle();
    const turns = logs.lines.filter((l) => l.event === 'turn');
    const requests = logs.lines.filter((l) => l.event === 'request');
    expect(turns.length).toBeGreaterThanOrEqual(2);
    expect(requests.length).toBeGreaterThan(3);
    expect(turns[0]).toMatchObject({ channelId: 'directline', outcome: 'ok' });
    expect(typeof turns[0].conversationId).toBe('string');
    const all = logs.raw.join('\n');
    expect(all).not.toContain('jean.durand');
    expect(all).not.toContain('Bearer');
    expect(all).not.toMatch(/[?&]t=/);
  });
});
