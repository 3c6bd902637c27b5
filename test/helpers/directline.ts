import WebSocket from 'ws';
import { DirectLine, type Activity, type Message } from 'botframework-directlinejs';
import { waitFor } from './smtp';

// An unmodified botframework-directlinejs client, in Node: it needs XMLHttpRequest and WebSocket globals.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const XHR = require('xhr2') as unknown;
Object.assign(globalThis, { XMLHttpRequest: XHR });
if (!('WebSocket' in globalThis)) Object.assign(globalThis, { WebSocket });

export interface ClientSession {
  client: DirectLine;
  received: Activity[];
  /** Waits for a bot activity after index `from` matching `match`. */
  next(match: (a: Activity) => boolean, what: string, timeoutMs?: number): Promise<Activity>;
  send(activity: Partial<Message>): Promise<string>;
  end(): void;
}

export async function connect(baseUrl: string, options: { webSocket: boolean; userId: string; token?: string; conversationId?: string }): Promise<ClientSession> {
  let token = options.token;
  if (!token) {
    const response = await fetch(`${baseUrl}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { id: options.userId } }),
    });
    token = ((await response.json()) as { token: string }).token;
  }
  const client = new DirectLine({
    token,
    conversationId: options.conversationId,
    domain: `${baseUrl}/v3/directline`,
    webSocket: options.webSocket,
    pollingInterval: 200,
  });
  const received: Activity[] = [];
  const subscription = client.activity$.subscribe((a) => received.push(a));
  let cursor = 0;
  return {
    client,
    received,
    async next(match, what, timeoutMs = 10_000) {
      const found = await waitFor(
        () => {
          const index = received.findIndex((a, i) => i >= cursor && a.from.role !== 'user' && a.from.id !== options.userId && match(a));
          return index >= 0 ? index + 1 : undefined;
        },
        timeoutMs,
        what,
      );
      cursor = found;
      return received[found - 1];
    },
    send(activity) {
      return new Promise((resolve, reject) => {
        client.postActivity({ type: 'message', from: { id: options.userId }, ...activity } as Message).subscribe({ next: resolve, error: reject });
      });
    },
    end() {
      subscription.unsubscribe();
      client.end();
    },
  };
}

export function adaptiveCard(activity: Activity): { body: { text?: string }[]; actions: { title: string; data: { verb: string; promptId: string } }[] } | undefined {
  const attachment = (activity as Message).attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return (attachment as { content?: unknown } | undefined)?.content as never;
}
