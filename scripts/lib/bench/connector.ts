// A channel's connector, stood in for on loopback (the idea of test/helpers/connector.ts): the bots
// under test send their replies here (POST /v3/conversations/{id}/activities[/{replyToId}], PUT to
// update a card). It answers at once with an id, counts what it gets per bot, hands each simulated
// user the replies to its turn, and remembers the last card of every conversation (its promptId).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A reply as the bench checks it: its text, and its Adaptive Card's texts and promptId. */
export interface Reply {
  method: string;
  type: string;
  text: string;
  card?: Card;
}

export interface Card {
  /** Every `text` in the card (text blocks, at any depth). */
  texts: string[];
  /** The promptId of its submit actions (Sésame's cards carry one). */
  promptId?: string;
  /** The verbs of its submit actions. */
  verbs: string[];
}

interface Activity {
  type?: string;
  text?: string;
  attachments?: { contentType?: string; content?: unknown }[];
}

/** Walks a card: its texts, the promptId and verbs of its actions' data. */
function readCard(content: unknown): Card {
  const card: Card = { texts: [], verbs: [] };
  const walk = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, key);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.text === 'string') card.texts.push(record.text);
    if (key === 'data') {
      if (typeof record.promptId === 'string') card.promptId ??= record.promptId;
      if (typeof record.verb === 'string' && !card.verbs.includes(record.verb)) card.verbs.push(record.verb);
    }
    for (const [k, v] of Object.entries(record)) if (v && typeof v === 'object') walk(v, k);
  };
  walk(content);
  return card;
}

const ROUTE = /^\/([^/]+)\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/;

export class Connector {
  private server: http.Server | undefined;
  private port = 0;
  /** Replies to the turns in flight, by conversation. */
  private readonly inboxes = new Map<string, Reply[]>();
  private readonly cards = new Map<string, Card>();
  /** Requests received per bot (the first path segment of its serviceUrl). */
  readonly counts: Record<string, { activities: number; updates: number; typing: number; other: number }> = {};
  /** Requests that were not a connector call this stand-in understands (must stay 0). */
  unexpected = 0;
  private counter = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = `c-${(this.counter += 1)}`;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"id":"${id}"}`);
        this.receive(req.method ?? '', req.url ?? '', chunks);
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The serviceUrl a bot's activities carry: its replies come back here, counted under `bot`. */
  serviceUrl(bot: string): string {
    this.counts[bot] ??= { activities: 0, updates: 0, typing: 0, other: 0 };
    return `http://127.0.0.1:${this.port}/${bot}/`;
  }

  private receive(method: string, url: string, chunks: Buffer[]): void {
    const match = ROUTE.exec(url);
    const counts = match ? this.counts[match[1]] : undefined;
    if (!match || !counts) {
      this.unexpected += 1;
      return;
    }
    let activity: Activity = {};
    try {
      activity = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Activity) : {};
    } catch {
      this.unexpected += 1;
      return;
    }
    const type = activity.type ?? '';
    if (type === 'typing') counts.typing += 1;
    else if (method === 'PUT') counts.updates += 1;
    else if (method === 'POST') counts.activities += 1;
    else counts.other += 1;
    if (type === 'typing') return;
    const conversationId = decodeURIComponent(match[2]);
    const adaptive = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
    const reply: Reply = { method, type, text: activity.text ?? '', card: adaptive ? readCard(adaptive.content) : undefined };
    if (reply.card?.promptId) this.cards.set(conversationId, reply.card);
    this.inboxes.get(conversationId)?.push(reply);
  }

  /** A turn of this conversation starts: its replies are kept from now on. */
  begin(conversationId: string): void {
    this.inboxes.set(conversationId, []);
  }

  /** The replies to the turn that just returned (typing left out). */
  take(conversationId: string): Reply[] {
    const replies = this.inboxes.get(conversationId) ?? [];
    this.inboxes.delete(conversationId);
    return replies;
  }

  /** The last card with a promptId this conversation received. */
  lastCard(conversationId: string): Card | undefined {
    return this.cards.get(conversationId);
  }

  forget(conversationId: string): void {
    this.cards.delete(conversationId);
    this.inboxes.delete(conversationId);
  }

  total(bot: string): number {
    const c = this.counts[bot];
    return c ? c.activities + c.updates + c.typing + c.other : 0;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
