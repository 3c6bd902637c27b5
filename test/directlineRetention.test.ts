import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from './helpers/app';
import type { App } from '../src/app';

// Issue #16 §7: the local channel's conversations and activities are kept DIRECTLINE_RETENTION_DAYS
// (on SQLite and on PostgreSQL: SESAME_TEST_DB=postgres).
let app: App;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startTestApp());
});
afterAll(async () => close());

const DAY = 24 * 60 * 60 * 1000;

async function conversation(userId: string): Promise<{ id: string; token: string }> {
  const generated = (await (await fetch(`${app.url}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { id: userId } }) })).json()) as { token: string; conversationId: string };
  const auth = { authorization: `Bearer ${generated.token}`, 'content-type': 'application/json' };
  await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers: auth });
  await fetch(`${app.url}/v3/directline/conversations/${generated.conversationId}/activities`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text: 'english', from: { id: userId } }) });
  return { id: generated.conversationId, token: generated.token };
}

describe('Direct Line retention', () => {
  it('deletes the activities older than the retention, and the conversations with nothing newer, with their tokens and state', async () => {
    const idle = await conversation('retention-idle');
    const active = await conversation('retention-active');
    const recent = await conversation('retention-recent');
    await expect.poll(async () => app.db.directLineActivity.count({ where: { conversationId: active.id } }), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    await app.channel.idle();
    const now = new Date();
    const old = new Date(now.getTime() - 40 * DAY);
    // Both began 40 days ago; the active one was used again today.
    for (const id of [idle.id, active.id]) {
      await app.db.directLineConversation.update({ where: { id }, data: { createdAt: old } });
      await app.db.directLineActivity.updateMany({ where: { conversationId: id }, data: { createdAt: old } });
    }
    await app.db.directLineActivity.create({ data: { conversationId: active.id, seq: 1000, body: '{}', createdAt: now } });
    expect(await app.db.botStateItem.count({ where: { key: `directline/conversations/${idle.id}` } })).toBe(1);
    const before = await app.db.directLineActivity.count({ where: { conversationId: { in: [idle.id, active.id] } } });

    // Every activity of the two but today's, and the idle conversation.
    expect(await app.channel.prune(30, now)).toBe(before - 1 + 1);

    expect(await app.db.directLineConversation.findUnique({ where: { id: idle.id } })).toBeNull();
    expect(await app.db.directLineActivity.count({ where: { conversationId: idle.id } })).toBe(0);
    expect(await app.db.directLineToken.count({ where: { conversationId: idle.id } })).toBe(0);
    expect(await app.db.botStateItem.count({ where: { key: { startsWith: `directline/conversations/${idle.id}` } } })).toBe(0);
    const gone = await fetch(`${app.url}/v3/directline/conversations/${idle.id}/activities`, { headers: { authorization: `Bearer ${idle.token}` } });
    expect(gone.status).toBe(403);

    expect(await app.db.directLineConversation.findUnique({ where: { id: active.id } })).not.toBeNull();
    expect((await app.db.directLineActivity.findMany({ where: { conversationId: active.id } })).map((a) => a.seq)).toEqual([1000]);
    expect(await app.db.directLineActivity.count({ where: { conversationId: recent.id } })).toBeGreaterThanOrEqual(4);
    // Nothing more to delete the second time.
    expect(await app.channel.prune(30, now)).toBe(0);
  });

  it('DIRECTLINE_RETENTION_DAYS is a setting of its own, 30 days by default', async () => {
    const { parseConfig } = await import('../src/config');
    expect(parseConfig({}).DIRECTLINE_RETENTION_DAYS).toBe(30);
    expect(parseConfig({ DIRECTLINE_RETENTION_DAYS: '7' }).DIRECTLINE_RETENTION_DAYS).toBe(7);
    expect(() => parseConfig({ DIRECTLINE_RETENTION_DAYS: '0' })).toThrow(/DIRECTLINE_RETENTION_DAYS/);
  });
});
