import { spawn, type ChildProcess } from 'node:child_process';
import { luhnValid } from '../../src/services/identifiers';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { waitFor } from './smtp';

/**
 * Several real Sésame processes (`npm start`'s entry point) on one database, a round-robin proxy in
 * front of them, and a bare Direct Line client over HTTP: the harness of test/e2e.instances.test.ts
 * (issue #16 — Sésame as several instances).
 */

const root = path.resolve(__dirname, '..', '..');
const MAX_OUTPUT = 4 * 1024 * 1024;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One Sésame process. Its stdout (pino's JSON lines) and stderr are kept, to print when a test fails. */
export class SesameInstance {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  private output = '';
  /** How many characters of output were dropped from the head of the buffer (it is capped). */
  private dropped = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the process and waits for /readyz; fails with its output if it exits or is not ready in time. */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.alive) throw new Error(`${this.name} is already running`);
    this.record(`\n----- ${this.name}: starting on port ${this.port} -----\n`);
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'src/index.ts'], {
      cwd: root,
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.record(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.record(chunk));
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.record(`\n----- ${this.name}: exited (code ${code}, signal ${signal}) -----\n`);
        resolve();
      }),
    );
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${this.name} exited while starting`);
          return (await fetch(`${this.url}/readyz`).catch(() => undefined))?.ok;
        },
        timeoutMs,
        `${this.name} to be ready`,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.tail()}`);
    }
  }

  /** kill -9 (or another signal), resolved once the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child && this.alive) this.child.kill(signal);
    await this.exit;
  }

  /** A position in the output, to print only what came after it. */
  mark(): number {
    return this.dropped + this.output.length;
  }

  since(mark: number): string {
    return this.output.slice(Math.max(0, mark - this.dropped));
  }

  tail(chars = 20_000): string {
    return this.output.slice(-chars);
  }

  /** Output lines that pino wrote at level error (50) or worse, parsed; other lines ignored. */
  errorsSince(mark: number): { msg?: string; err?: { message?: string; type?: string }; [key: string]: unknown }[] {
    return this.since(mark)
      .split('\n')
      .flatMap((line) => {
        try {
          const parsed = JSON.parse(line) as { level?: number };
          return typeof parsed.level === 'number' && parsed.level >= 50 ? [parsed as never] : [];
        } catch {
          return [];
        }
      });
  }

  private record(chunk: string): void {
    this.output += chunk;
    if (this.output.length > MAX_OUTPUT) {
      const cut = this.output.length - MAX_OUTPUT / 2;
      this.output = this.output.slice(cut);
      this.dropped += cut;
    }
  }
}

interface Backend {
  name: string;
  port: number;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

/**
 * A round-robin reverse proxy: each HTTP request, and each WebSocket upgrade, goes to the next
 * backend in turn. A backend that refuses the connection (its process is gone) is marked dead and
 * the request goes to the next one; a request cut after it reached a backend is answered 502 (it
 * may have been processed: never sent twice). Every answer says which backend served it
 * (X-Proxied-To).
 */
export class RoundRobinProxy {
  private readonly server = http.createServer((req, res) => void this.forward(req, res));
  private readonly tunnels = new Set<net.Socket>();
  private turn = 0;
  readonly dead = new Set<string>();
  /** Requests (and upgrades) each backend answered or took. */
  readonly served: Record<string, number> = {};
  /** Requests cut after reaching a backend (502), by backend. */
  readonly cut: Record<string, number> = {};
  port = 0;

  constructor(private readonly backends: Backend[]) {
    for (const b of backends) {
      this.served[b.name] = 0;
      this.cut[b.name] = 0;
    }
    this.server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.tunnel(req, socket, head));
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    for (const socket of this.tunnels) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  markDead(name: string): void {
    this.dead.add(name);
  }

  revive(name: string): void {
    this.dead.delete(name);
  }

  /** The next live backend not tried yet for this request. */
  private pick(tried: Set<string>): Backend | undefined {
    for (let i = 0; i < this.backends.length; i += 1) {
      const backend = this.backends[this.turn++ % this.backends.length];
      if (!this.dead.has(backend.name) && !tried.has(backend.name)) return backend;
    }
    return undefined;
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // The body is read first (small JSON), so that a refused connection can be retried elsewhere.
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      res.destroy();
      return;
    }
    const body = Buffer.concat(chunks);
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    if (body.length > 0 || req.headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
    const tried = new Set<string>();
    const attempt = () => {
      const backend = this.pick(tried);
      if (!backend) {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', 'x-proxied-to': 'none' });
        res.end('proxy: no backend alive');
        return;
      }
      tried.add(backend.name);
      const upstream = http.request({ host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers, agent: false }, (answer) => {
        this.served[backend.name] += 1;
        const back: http.OutgoingHttpHeaders = { ...answer.headers, 'x-proxied-to': backend.name };
        for (const h of HOP_BY_HOP) delete back[h];
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, back);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        answer.on('aborted', () => res.destroy());
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') {
          // Nothing reached it: safe to send elsewhere.
          this.markDead(backend.name);
          attempt();
          return;
        }
        this.cut[backend.name] += 1;
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain', 'x-proxied-to': backend.name });
          res.end(`proxy: ${backend.name} ${error.code ?? error.message}`);
        } else {
          res.destroy();
        }
      });
      upstream.end(body);
    };
    attempt();
  }

  private tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    this.tunnels.add(socket);
    socket.on('close', () => this.tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    const requestHead = `${lines.join('\r\n')}\r\n\r\n`;
    const tried = new Set<string>();
    const attempt = () => {
      const backend = this.pick(tried);
      if (!backend) {
        socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
        return;
      }
      tried.add(backend.name);
      const upstream = net.connect(backend.port, '127.0.0.1');
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        this.served[backend.name] += 1;
        this.tunnels.add(upstream);
        upstream.write(requestHead);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (!connected && error.code === 'ECONNREFUSED') {
          this.markDead(backend.name);
          attempt();
          return;
        }
        socket.destroy();
      });
      upstream.on('close', () => {
        this.tunnels.delete(upstream);
        if (connected) socket.destroy();
      });
      socket.on('close', () => upstream.destroy());
    };
    attempt();
  }
}

// ---- a bare Direct Line 3.0 client over HTTP ---------------------------------------------------

export type Card = { body?: { type?: string; text?: string }[]; actions?: { title?: string; data?: { verb?: string; promptId?: string } }[] };
export interface Activity {
  id: string;
  type: string;
  text?: string;
  replyToId?: string;
  from: { id: string; role?: string };
  attachments?: { contentType: string; content: Card }[];
  suggestedActions?: unknown;
  name?: string;
}

export interface Conversation {
  conversationId: string;
  token: string;
  userId: string;
  streamUrl?: string;
}

/** A token for a user (its conversation), then the conversation started: the bot greets the user. */
export async function newConversation(base: string, userId: string): Promise<Conversation> {
  const generated = await fetch(`${base}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: userId } }),
  });
  if (generated.status !== 200) throw new Error(`tokens/generate on ${base}: ${generated.status} ${await generated.text()}`);
  const { token, conversationId } = (await generated.json()) as { token: string; conversationId: string };
  const started = await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (started.status !== 201) throw new Error(`POST conversations on ${base}: ${started.status} ${await started.text()}`);
  const { streamUrl } = (await started.json()) as { streamUrl?: string };
  return { conversationId, token, userId, streamUrl };
}

export interface Posted {
  status: number;
  id?: string;
  /** The backend that answered, when posted through the proxy. */
  via?: string;
  error?: string;
}

/** Posts a user activity; never throws (a cut connection is status 0). */
export async function post(base: string, conversation: Conversation, activity: Record<string, unknown>): Promise<Posted> {
  try {
    const response = await fetch(`${base}/v3/directline/conversations/${conversation.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: conversation.userId }, ...activity }),
    });
    const text = await response.text();
    const via = response.headers.get('x-proxied-to') ?? undefined;
    if (response.status !== 200) return { status: response.status, via, error: text.slice(0, 300) };
    return { status: 200, id: (JSON.parse(text) as { id?: string }).id, via };
  } catch (error) {
    return { status: 0, error: String((error as Error).cause ?? error) };
  }
}

export async function activities(base: string, conversation: Conversation, watermark?: string): Promise<{ activities: Activity[]; watermark: string }> {
  const query = watermark === undefined ? '' : `?watermark=${encodeURIComponent(watermark)}`;
  const response = await fetch(`${base}/v3/directline/conversations/${conversation.conversationId}/activities${query}`, {
    headers: { authorization: `Bearer ${conversation.token}` },
  });
  if (response.status !== 200) throw new Error(`GET activities on ${base}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { activities: Activity[]; watermark: string };
}

/** The sequence number in an activity id `<conversationId>|<7 digits>`; NaN for another shape. */
export function seqOf(id: string): number {
  const match = /\|(\d{7})$/.exec(id);
  return match ? Number(match[1]) : Number.NaN;
}

export const isBot = (a: Activity) => a.from?.role === 'bot';
export const isUser = (a: Activity) => a.from?.role === 'user';

export function cardOf(a: Activity): Card | undefined {
  return a.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

export function promptIdOf(a: Activity): string | undefined {
  return cardOf(a)?.actions?.find((x) => x.data?.promptId)?.data?.promptId;
}

/** The texts the bot sent, short, for failure messages. */
export function transcript(list: Activity[]): string {
  return list
    .filter((a) => a.type !== 'typing')
    .map((a) => {
      const who = isUser(a) ? 'user' : (a.from?.role ?? '?');
      const card = cardOf(a)?.body?.[0]?.text;
      const what = a.type === 'message' ? (a.text ?? '') + (card ? ` [card: ${card}]` : '') : `<${a.type}${a.name ? ` ${a.name}` : ''}>`;
      return `  ${seqOf(a.id)} ${who}${a.replyToId ? ` ↩${seqOf(a.replyToId)}` : ''}: ${JSON.stringify(what).slice(0, 160)}`;
    })
    .join('\n');
}

/**
 * Waits for a card with this title (its first text block) whose promptId is not in `used`; returns
 * that promptId. On timeout, the error shows the conversation.
 */
export async function waitForCard(base: string, conversation: Conversation, title: string, used: Set<string>, timeoutMs = 30_000): Promise<string> {
  let last: Activity[] = [];
  try {
    return await waitFor(
      async () => {
        last = (await activities(base, conversation)).activities;
        const found = last.filter((a) => isBot(a) && cardOf(a)?.body?.some((b) => b.text === title)).map(promptIdOf).filter((p): p is string => Boolean(p) && !used.has(p!));
        return found.at(-1);
      },
      timeoutMs,
      `the card "${title}"`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message} in ${conversation.conversationId} (${base}):\n${transcript(last)}`);
  }
}

/** A WebSocket stream of a conversation: every activity set received, in order. */
export interface Stream {
  sets: { watermark: string; activities: Activity[] }[];
  /** Frames that were not an activity set (parse errors), kept for the failure message. */
  odd: string[];
  closed: boolean;
  close(): void;
}

export async function openStream(url: string): Promise<Stream> {
  const ws = new WebSocket(url);
  const stream: Stream = { sets: [], odd: [], closed: false, close: () => ws.terminate() };
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.trim() === '') return; // Azure's keep-alive frames are empty
    try {
      stream.sets.push(JSON.parse(text) as Stream['sets'][number]);
    } catch {
      stream.odd.push(text.slice(0, 200));
    }
  });
  ws.on('close', () => (stream.closed = true));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`stream refused: ${res.statusCode}`)));
  });
  ws.on('error', () => undefined);
  return stream;
}

// ---- identifiers -------------------------------------------------------------------------------

/** Distinct valid RPPS numbers: 11 digits starting with 1, the last one the Luhn key. */
export function rppsNumbers(count: number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) {
    const body = `1${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    // The key digit the product's own check accepts.
    seen.add(`${body}${[...'0123456789'].find((key) => luhnValid(`${body}${key}`))}`);
  }
  return [...seen];
}
