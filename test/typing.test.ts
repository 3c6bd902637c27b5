import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from 'botframework-directlinejs';
import { startTestApp } from './helpers/app';
import { adaptiveCard, connect } from './helpers/directline';
import type { App } from '../src/app';

let app: App;
let close: () => Promise<void>;
beforeAll(async () => {
  // A delay no test turn reaches: what a quick turn sends, exactly.
  ({ app, close } = await startTestApp({ TYPING_DELAY_MS: '10000' }));
});
afterAll(async () => close());

describe('typing…', () => {
  it('a turn that answers before the delay sends its answer and nothing else: no typing activity', async () => {
    const session = await connect(app.url, { webSocket: false, userId: 'u-typing' });
    await session.next((a) => Boolean(adaptiveCard(a)), 'the welcome');
    const id = await session.send({ text: 'aide' });
    await session.next((a) => a.type === 'message' && /english/.test((a as Message).text ?? ''), 'the help');
    await new Promise((resolve) => setTimeout(resolve, 500));
    session.end();
    const replies = session.received.filter((a) => (a as { replyToId?: string }).replyToId === id);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.filter((a) => a.type === 'typing')).toEqual([]);
  });
});

describe('typing… in a slow turn', () => {
  it('comes before the answer and never after it, even while the turn goes on working', async () => {
    const { TestAdapter } = await import('botbuilder');
    const { TypingMiddleware } = await import('../src/bot/typingMiddleware');
    const sent: string[] = [];
    const adapter = new TestAdapter(async (context) => {
      await new Promise((r) => setTimeout(r, 120)); // slow: typing shows
      await context.sendActivity('first answer');
      await new Promise((r) => setTimeout(r, 150)); // still working (saving its state): no typing any more
      await context.sendActivity('second answer');
      await new Promise((r) => setTimeout(r, 150));
    }).use(new TypingMiddleware(30, 40));
    adapter.onTurnError = async (_context, error) => {
      throw error;
    };
    const original = adapter.sendActivities.bind(adapter);
    adapter.sendActivities = async (context, activities) => {
      sent.push(...activities.map((a) => (a.type === 'typing' ? 'typing' : String(a.text))));
      return original(context, activities);
    };
    await adapter.receiveActivity('hello');
    expect(sent[0]).toBe('typing');
    const firstAnswer = sent.indexOf('first answer');
    expect(firstAnswer).toBeGreaterThan(0);
    expect(sent.slice(firstAnswer)).toEqual(['first answer', 'second answer']);
  });
});
