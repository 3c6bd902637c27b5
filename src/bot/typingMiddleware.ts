import { ActivityTypes, TurnContext, type Middleware } from 'botbuilder';

/**
 * « typing… » while a turn works, the Bot Framework convention (botbuilder's ShowTypingMiddleware:
 * only after `delay`, then every `period`) — and never after the answer: once a message is on its
 * way no typing follows it, and a typing already on its way is delivered before the message. (The
 * SDK's keeps typing until the turn has saved its state, so a typing could land after the last
 * message, and Web Chat showed « … » under a finished answer for seconds.)
 */
export class TypingMiddleware implements Middleware {
  constructor(
    private readonly delay = 500,
    private readonly period = 2_000,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.type !== ActivityTypes.Message) return next();
    let answered = false;
    let timer: NodeJS.Timeout | undefined;
    let sending: Promise<unknown> = Promise.resolve();
    const schedule = (ms: number) => {
      timer = setTimeout(() => {
        if (answered) return;
        sending = this.typing(context).catch(() => undefined);
        void sending.then(() => !answered && schedule(this.period));
      }, ms);
    };
    context.onSendActivities(async (_context, activities, send) => {
      if (activities.some((a) => a.type !== ActivityTypes.Typing)) {
        answered = true;
        clearTimeout(timer);
        await sending;
      }
      return send();
    });
    schedule(this.delay);
    try {
      await next();
    } finally {
      answered = true;
      clearTimeout(timer);
    }
  }

  /** Straight through the adapter, as the SDK's does: no other middleware, and the turn is not marked as answered. */
  private async typing(context: TurnContext): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity);
    await context.adapter.sendActivities(context, [TurnContext.applyConversationReference({ type: ActivityTypes.Typing, relatesTo: context.activity.relatesTo }, reference)]);
  }
}
