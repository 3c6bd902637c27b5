import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { EtagConflictError, ETAG_NEW, PrismaStorage } from '../src/services/state/prismaStorage';
import { createStates } from '../src/bot/state';
import { TurnQueue } from '../src/bot/turnQueue';
import { tempDatabase } from './helpers/db';
import { openHotPath, type HotPath } from '../src/services/db/hotPath';
import type { Db } from '../src/services/db/database';

let db: Db;
let cleanup: () => Promise<void>;
let hot: HotPath;
let newStorage: () => PrismaStorage;
beforeEach(async () => {
  let url: string;
  ({ db, url, cleanup } = await tempDatabase());
  hot = openHotPath(url);
  newStorage = () => new PrismaStorage(db, hot);
});
afterEach(async () => {
  await hot.close();
  await cleanup();
});

function context(text: string): TurnContext {
  const activity: Partial<Activity> = {
    type: 'message',
    text,
    channelId: 'webchat',
    conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'user-1', name: 'u' },
    recipient: { id: 'bot', name: 'bot' },
  };
  return new TurnContext(new TestAdapter(), activity);
}

describe('PrismaStorage', () => {
  it('reads back what it wrote, with an eTag', async () => {
    const storage = newStorage();
    await storage.write({ a: { answers: ['x'] } });
    const items = await storage.read(['a', 'missing']);
    expect(items.a.answers).toEqual(['x']);
    expect(typeof items.a.eTag).toBe('string');
    expect(items.missing).toBeUndefined();
  });

  it('detects a write based on a stale eTag', async () => {
    const storage = newStorage();
    await storage.write({ a: { v: 1 } });
    const first = (await storage.read(['a'])).a;
    const second = (await storage.read(['a'])).a;
    await storage.write({ a: { ...first, v: 2 } });
    await expect(storage.write({ a: { ...second, v: 3 } })).rejects.toBeInstanceOf(EtagConflictError);
    expect((await storage.read(['a'])).a.v).toBe(2);
  });

  it('"*" and no eTag overwrite; ETAG_NEW only creates', async () => {
    const storage = newStorage();
    await storage.write({ a: { v: 1, eTag: ETAG_NEW } });
    await expect(storage.write({ a: { v: 2, eTag: ETAG_NEW } })).rejects.toBeInstanceOf(EtagConflictError);
    await storage.write({ a: { v: 3, eTag: '*' } });
    await storage.write({ a: { v: 4 } });
    expect((await storage.read(['a'])).a.v).toBe(4);
  });

  it('what the prepared statements write, Prisma reads (and the other way round), dates included', async () => {
    const storage = newStorage();
    await storage.write({ a: { v: 1 } });
    const row = await db.botStateItem.findUniqueOrThrow({ where: { key: 'a' } });
    expect(JSON.parse(row.data)).toEqual({ v: 1 });
    expect(Math.abs(row.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
    await db.botStateItem.update({ where: { key: 'a' }, data: { data: '{"v":2}', etag: 'from-prisma' } });
    expect((await storage.read(['a'])).a).toEqual({ v: 2, eTag: 'from-prisma' });
  });

  it('reads asked for in the same moment are answered together, each with its own items', async () => {
    const storage = newStorage();
    await storage.write({ a: { v: 1 }, b: { v: 2 } });
    const [a, b, none] = await Promise.all([storage.read(['a']), storage.read(['b']), storage.read(['c'])]);
    expect(a.a.v).toBe(1);
    expect(b.b.v).toBe(2);
    expect(a.b).toBeUndefined();
    expect(none).toEqual({});
  });

  it('deletes', async () => {
    const storage = newStorage();
    await storage.write({ a: { v: 1 }, b: { v: 2 } });
    await storage.delete(['a']);
    expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
  });
});

describe('conversation state', () => {
  it('two turns that both read the same state cannot both win: the second is refused, not lost silently', async () => {
    const { conversationState } = createStates(newStorage());
    const answers = conversationState.createProperty<string[]>('answers');
    const one = context('one');
    const two = context('two');
    await conversationState.load(one);
    await conversationState.load(two);
    (await answers.get(one, [])).push('one');
    (await answers.get(two, [])).push('two');
    await conversationState.saveChanges(one);
    await expect(conversationState.saveChanges(two)).rejects.toBeInstanceOf(EtagConflictError);
  });

  it('turns of one conversation queued one after the other keep every answer', async () => {
    const { conversationState } = createStates(newStorage());
    const answers = conversationState.createProperty<string[]>('answers');
    const queue = new TurnQueue();
    const turn = (text: string) =>
      queue.run('conv-1', async () => {
        const ctx = context(text);
        const list = await answers.get(ctx, []);
        await new Promise((r) => setTimeout(r, 5)); // a turn that takes time
        list.push(text);
        await conversationState.saveChanges(ctx);
      });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map(turn));
    const check = context('check');
    expect(await answers.get(check, [])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(queue.size).toBe(0);
  });

  it('a turn that failed does not block the next one', async () => {
    const queue = new TurnQueue();
    const failed = queue.run('k', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(queue.run('k', async () => 'next')).resolves.toBe('next');
  });
});
