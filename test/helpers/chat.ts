import fs from 'node:fs';
import type { App } from '../../src/app';
import { expect } from 'vitest';
import { z } from 'zod';
import { waitFor } from './smtp';
import { UNSENT_CARD } from '../../src/cards/form';

/**
 * Readable conversation scripts (test/chats/*.chat), replayed against the real server through the
 * Direct Line API, its secure pages and the mails caught by its SMTP server. They follow the
 * Chatdown convention (`user:` and `bot:` lines) with the steps this project needs in brackets;
 * each run's real Bot Framework `.transcript` is written to var/transcripts/ (open it in the Emulator).
 *
 *   user: text                      the user types
 *   [type=text | a=1; b=two]        the user types while the latest card holds these entries, unsent
 *                                   (Sésame's chat page sends them along; Teams would not)
 *   bot: text                       a bot message or card (the last matched one or a later one) contains the text
 *   [bot-lacks=text]                the bot's answer to the last message contains nowhere the text
 *   [click=Button title]            clicks the button on the latest card that has it
 *   [click-old=Button title]        clicks the button on the oldest card that has it (a card superseded since)
 *   [card-has=text]                 the latest card the bot sent contains the text
 *   [card-lacks=text]               the latest card the bot sent does not contain the text (a stale warning gone)
 *   [submit=Button | a=1; b=two]    fills the latest card that has the button, then clicks it
 *   [mail=address | text]           a mail to the address arrives, containing the text
 *   [mail-has=text]                 the last mail (subject, Reply-To, text, attachments) contains the text
 *   [mail-lacks=text]               the last mail contains nowhere the text (a secret)
 *   [event=name | text]             the bot sent an event with that name, its JSON containing the text
 *   [channel-event=name | a=1]      the channel's operator (holding the Direct Line secret) sends the bot an event
 *                                   (a live-agent platform's handoff.status); a user's token may not
 *   [capture=name = regex]          a group of the last mail (or page), kept as {name}
 *   [secret=name = value]           a value the user will type on a page (checked never to leak)
 *   [page=open]                     opens the last secure link the bot sent
 *   [page=post [/suffix] | a=1]     posts a form to that link
 *   [page-sees=text]                the last page shows the text
 *   [browser=elsewhere|chat]        the next pages open in another browser (no chat cookie: the page shows a
 *                                   code to type in the chat) or, by default, in the chat's own browser
 *   [page=open <url>]               opens a given page (an activation link)
 *   [as=name]                       the next lines are another person's, in their own conversation
 *   [desk=add-expert | email=..; name=..; oa=cfar]   creates a desk account; {activationLink}
 *   [restart]                       the server is stopped and started again (same database)
 *   [upload=name | pdf|png|html]    the user sends a file through Web Chat's upload (Direct Line upload)
 * A directive is the whole line: "[" verb, optionally "=" and its argument, then the line's last "]".
 * Lines starting with # are comments. {name} is replaced by a captured value.
 */

type Card = { body?: CardItem[]; actions?: { title: string; data: Record<string, string> }[] };
type CardItem = { type: string; id?: string; text?: string; label?: string; value?: string; title?: string; items?: CardItem[]; facts?: { title: string; value: string }[] };
type Activity = {
  id: string;
  type: string;
  text?: string;
  from: { id: string; role?: string };
  attachments?: { contentType: string; content: Card }[];
  suggestedActions?: { actions: { title: string }[] };
};

/** A Bot Framework .transcript (the Emulator's JSON array of activities), as far as a replay reads it. */
export const transcriptSchema = z.array(
  z
    .object({
      type: z.string(),
      from: z.object({ id: z.string(), role: z.string().optional() }).passthrough(),
      text: z.string().optional(),
      value: z.unknown().optional(),
      name: z.string().optional(),
      attachments: z.array(z.object({ contentType: z.string(), content: z.unknown().optional() }).passthrough()).optional(),
      suggestedActions: z.object({ actions: z.array(z.object({ title: z.string() }).passthrough()) }).optional(),
    })
    .passthrough(),
);
export type TranscriptActivity = z.infer<typeof transcriptSchema>[number];

/** What a replay compares: type, text, event name, cards (without prompt ids), buttons. */
function comparable(activity: TranscriptActivity | Activity): unknown {
  const a = activity as TranscriptActivity;
  const withoutIds = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(withoutIds)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'promptId').map(([key, v]) => [key, withoutIds(v)]))
        : value;
  return {
    type: a.type,
    text: a.text ?? '',
    ...(a.name ? { name: a.name } : {}),
    attachments: (a.attachments ?? []).map((x) => ({ contentType: x.contentType, content: withoutIds(x.content) })),
    buttons: a.suggestedActions?.actions.map((b) => b.title) ?? [],
  };
}

export interface ChatOptions {
  app: () => App;
  userId: string;
  onRestart?: () => Promise<void>;
  timeoutMs?: number;
  /** DIRECTLINE_SECRET of the server: how channel-event> speaks as the channel. */
  channelSecret?: string;
}

interface Session {
  userId: string;
  conversationId: string;
  token: string;
  /** The chat page's browser cookie: the secure pages recognise the chat's browser by it. */
  cookie: string;
  activities: Activity[];
  cursor: number;
}

export class ChatRunner {
  private readonly sessions = new Map<string, Session>();
  private session!: Session;
  private readonly vars: Record<string, string> = {};
  private lastText = '';
  private lastPage = '';
  private lastLink = '';
  private elsewhere = false;
  /** The last mail matched by mail>, everything in it (subject, Reply-To, text, attachments). */
  private lastMail = '';
  /** What happened, line by line, to print when a step fails. */
  readonly log: string[] = [];

  /** The secrets the script captured ({password...}), to check they never leaked anywhere. */
  secrets(): string[] {
    return Object.entries(this.vars)
      .filter(([name]) => /password|code|secret/i.test(name))
      .map(([, value]) => value);
  }

  /** Every activity of every conversation of the script, as the channel stored them. */
  async conversation(): Promise<string> {
    const all: Activity[] = [];
    for (const session of this.sessions.values()) {
      this.session = session;
      await this.refresh();
      all.push(...session.activities);
    }
    return JSON.stringify(all);
  }

  constructor(private readonly options: ChatOptions) {}

  /**
   * Replays a Bot Framework .transcript (as the Emulator saves it) against the server: the user's
   * messages and card submits are sent in order (a submit without its promptId: the ids of the
   * recording are not this run's), and after each the bot's messages and events must be the
   * recorded ones — same type, text, cards and buttons. Ids, timestamps, channel, typing and traces
   * are ignored.
   */
  async replay(recorded: TranscriptActivity[]): Promise<void> {
    await this.switchTo('user');
    const turns: { sent?: TranscriptActivity; expected: TranscriptActivity[] }[] = [{ expected: [] }];
    for (const activity of recorded) {
      if (activity.from.role === 'user') {
        if (activity.type === 'message') turns.push({ sent: activity, expected: [] });
      } else if (activity.type === 'message' || activity.type === 'event') {
        turns.at(-1)!.expected.push(activity);
      }
    }
    for (const [index, turn] of turns.entries()) {
      const before = this.session.activities.length;
      if (turn.sent) {
        const { promptId: _recorded, ...value } = (turn.sent.value ?? {}) as Record<string, unknown>;
        await this.post({ ...(turn.sent.text !== undefined ? { text: turn.sent.text } : {}), ...(turn.sent.value !== undefined ? { value } : {}) });
      } else {
        await waitFor(async () => (await this.refresh(), this.botActivities(0).length >= turn.expected.length), this.options.timeoutMs ?? 15_000, 'the welcome');
      }
      const received = this.botActivities(turn.sent ? before : 0);
      const what = turn.sent ? `after the user's activity n° ${index} (${turn.sent.text ?? JSON.stringify(turn.sent.value)})` : 'as the conversation starts';
      this.log.push(`replayed ${what}: ${received.length} bot activities`);
      expect(received.map(comparable), `the bot's activities ${what}`).toEqual(turn.expected.map(comparable));
    }
  }

  private botActivities(from: number): Activity[] {
    return this.session.activities.slice(from).filter((a) => a.from.role !== 'user' && (a.type === 'message' || a.type === 'event'));
  }

  /** Each actor's Direct Line conversation ("user" first). */
  conversationIds(): { actor: string; conversationId: string }[] {
    return [...this.sessions.entries()].map(([actor, session]) => ({ actor, conversationId: session.conversationId }));
  }

  async run(file: string): Promise<void> {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    await this.switchTo('user');
    for (const [index, raw] of lines.entries()) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      this.log.push(`${index + 1}: ${line}`);
      try {
        await this.step(line);
      } catch (error) {
        const seen = this.session.activities.slice(-6).map((a) => `   ${a.from.role === 'user' ? 'user' : 'bot'}: ${describe(a).slice(-700)}`);
        throw new Error(`${file}:${index + 1} "${line}" failed: ${(error as Error).message}\nLast activities:\n${seen.join('\n')}`);
      }
    }
  }

  private get base(): string {
    return this.options.app().url;
  }

  /** Each actor ("user", "expert"...) has their own conversation, like two people at two screens. */
  private async switchTo(actor: string): Promise<void> {
    const known = this.sessions.get(actor);
    if (known) {
      this.session = known;
      return;
    }
    const userId = actor === 'user' ? this.options.userId : `${this.options.userId}-${actor}`;
    const response = await fetch(`${this.base}/webchat/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, locale: 'fr-FR' }),
    });
    const started = (await response.json()) as { conversationId: string; token: string };
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
    this.session = { userId, conversationId: started.conversationId, token: started.token, cookie, activities: [], cursor: 0 };
    this.sessions.set(actor, this.session);
    await fetch(`${this.base}/v3/directline/conversations`, { method: 'POST', headers: this.headers() });
  }

  /** A page opens in the chat's browser (its cookie) unless the script said elsewhere. */
  private pageHeaders(): Record<string, string> {
    return this.elsewhere || !this.session.cookie ? {} : { cookie: this.session.cookie };
  }

  /** The chat page's requests: its token, and its browser's cookie (the token works only with it). */
  private headers() {
    return { authorization: `Bearer ${this.session.token}`, 'content-type': 'application/json', cookie: this.session.cookie };
  }

  private async refresh(): Promise<void> {
    const response = await fetch(`${this.base}/v3/directline/conversations/${this.session.conversationId}/activities`, { headers: this.headers() });
    this.session.activities = ((await response.json()) as { activities: Activity[] }).activities;
  }

  /** Posts, then waits for the bot's answer to settle (a reply to it, then no new activity for a moment). */
  /** A file sent as Web Chat sends one: multipart to the upload route, with the activity; then the bot's answer. */
  private async upload(name: string, kind: string): Promise<void> {
    const bytes: Record<string, [Uint8Array<ArrayBuffer>, string]> = {
      pdf: [new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n'), 'application/pdf'],
      png: [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'image/png'],
      html: [new TextEncoder().encode('<!doctype html><script>alert(1)</script>'), 'application/pdf'],
    };
    const [content, type] = bytes[kind] ?? bytes.pdf;
    const form = new FormData();
    form.append('file', new Blob([content], { type }), name);
    form.append('activity', new Blob([JSON.stringify({ type: 'message', from: { id: this.session.userId }, locale: 'fr-FR' })], { type: 'application/vnd.microsoft.activity' }));
    const { authorization, cookie } = this.headers();
    const response = await fetch(`${this.base}/v3/directline/conversations/${this.session.conversationId}/upload?userId=${encodeURIComponent(this.session.userId)}`, {
      method: 'POST',
      headers: { authorization, cookie },
      body: form,
    });
    if (!response.ok) throw new Error(`upload failed: ${response.status}`);
    const { id } = (await response.json()) as { id: string };
    await this.answerTo(id, 'the bot to answer the upload');
  }

  /** Waits until the bot has answered the activity `id` with a message. */
  private async answerTo(id: string, what: string): Promise<void> {
    await waitFor(
      async () => {
        await this.refresh();
        return this.session.activities.some((a) => (a as { replyToId?: string }).replyToId === id && a.type === 'message');
      },
      this.options.timeoutMs ?? 15_000,
      what,
    );
  }

  /** Where the answer to the last message posted starts, in the conversation's activities. */
  private answerFrom = 0;

  private async post(body: object, asChannel = false): Promise<void> {
    this.answerFrom = this.session.activities.length;
    if (asChannel && !this.options.channelSecret) throw new Error('channel-event> needs the server\'s DIRECTLINE_SECRET (channelSecret)');
    const response = await fetch(`${this.base}/v3/directline/conversations/${this.session.conversationId}/activities`, {
      method: 'POST',
      headers: asChannel ? { ...this.headers(), authorization: `Bearer ${this.options.channelSecret}` } : this.headers(),
      body: JSON.stringify({ type: 'message', from: { id: this.session.userId }, locale: 'fr-FR', ...body }),
    });
    if (!response.ok) throw new Error(`post failed: ${response.status}`);
    const { id } = (await response.json()) as { id: string };
    await this.answerTo(id, 'the bot to answer');
    let count = -1;
    while (count !== this.session.activities.length) {
      count = this.session.activities.length;
      await new Promise((r) => setTimeout(r, 150));
      await this.refresh();
    }
  }

  private fill(value: string): string {
    return value.replace(/\{(\w+)\}/g, (whole, name: string) => this.vars[name] ?? whole);
  }

  private async step(line: string): Promise<void> {
    const { verb, rest } = parseLine(line);
    const [head, fields] = rest.split(/\s+\|\s+/, 2).map((p) => this.fill(p ?? '').trim());
    const timeout = this.options.timeoutMs ?? 15_000;
    switch (verb) {
      case 'user':
        return this.post({ text: head });
      case 'bot': {
        const found = await waitFor(
          async () => {
            await this.refresh();
            const i = this.session.activities.findIndex((a, k) => k >= this.session.cursor && a.from.role !== 'user' && a.type === 'message' && describe(a).includes(head));
            return i >= 0 ? i + 1 : undefined;
          },
          timeout,
          `a bot message containing "${head}"`,
        );
        // The same message may satisfy the next bot> line too (a card shows several things).
        this.session.cursor = found - 1;
        return;
      }
      case 'bot-lacks': {
        const said = this.session.activities.slice(this.answerFrom).filter((a) => a.from.role !== 'user' && a.type === 'message').map(describe);
        if (said.some((text) => text.includes(head))) throw new Error(`the answer to the last message contains "${head}":\n${said.join('\n---\n')}`);
        return;
      }
      case 'channel-event':
        return this.post({ type: 'event', name: head, value: parseFields(fields ?? '') }, true);
      case 'card-has':
      case 'card-lacks': {
        await this.refresh();
        const card = [...this.session.activities].reverse().find((a) => a.from.role !== 'user' && a.attachments?.some((x) => x.contentType === 'application/vnd.microsoft.card.adaptive'));
        if (!card) throw new Error('no card from the bot yet');
        const seen = describe(card);
        if ((verb === 'card-has') !== seen.includes(head)) throw new Error(`the latest card ${verb === 'card-has' ? 'does not contain' : 'contains'} "${head}": ${seen.slice(0, 1500)}`);
        return;
      }
      case 'click':
      case 'click-old':
      case 'submit': {
        const card = await waitFor(
          async () => {
            await this.refresh();
            const cards = this.session.activities.flatMap((a) => a.attachments ?? []).map((x) => x.content);
            return (verb === 'click-old' ? cards : cards.reverse()).find((c) => c?.actions?.some((b) => b.title === head));
          },
          timeout,
          `a card with the button "${head}"`,
        );
        const action = card.actions!.find((b) => b.title === head)!;
        // Like Web Chat and Teams, every button sends the card's inputs along with its data.
        const values = { ...inputDefaults(card.body ?? []), ...parseFields(fields ?? '') };
        return this.post({ value: { ...values, ...action.data } });
      }
      case 'type': {
        const card = [...this.session.activities].reverse().flatMap((a) => a.attachments ?? []).map((x) => x.content).find((c) => c.actions?.some((b) => b.data?.promptId));
        if (!card) throw new Error('[type=…] needs a card on screen');
        const promptId = card.actions!.find((b) => b.data?.promptId)!.data.promptId;
        return this.post({ text: head, channelData: { [UNSENT_CARD]: { promptId, values: { ...inputDefaults(card.body ?? []), ...parseFields(fields ?? '') } } } });
      }
      case 'mail': {
        const mailbox = this.options.app().mailbox!;
        const mail = await waitFor(
          async () => (await mailbox.list()).find((m) => m.to.includes(head) && (!fields || m.text.includes(fields)) && !this.vars[`seen:${m.id}`]),
          timeout,
          `a mail to ${head}${fields ? ` containing "${fields}"` : ''}`,
        );
        this.vars[`seen:${mail.id}`] = '1';
        this.lastText = `${mail.subject}\n${mail.text}`;
        this.lastMail = [mail.subject, mail.replyTo, mail.text, ...mail.attachments.map((a) => `${a.filename}\n${a.content}`)].join('\n');
        return;
      }
      case 'mail-has':
        if (!this.lastMail.includes(head)) throw new Error(`the last mail does not contain "${head}":\n${this.lastMail.slice(0, 3000)}`);
        return;
      case 'mail-lacks':
        if (!this.lastMail || this.lastMail.includes(head)) throw new Error(`the last mail contains "${head}" (or no mail was read)`);
        return;
      case 'event': {
        await waitFor(
          async () => {
            await this.refresh();
            return this.session.activities.some((a) => a.type === 'event' && (a as { name?: string }).name === head && (!fields || JSON.stringify(a).includes(fields)));
          },
          timeout,
          `an event "${head}"${fields ? ` containing "${fields}"` : ''}`,
        );
        return;
      }
      case 'capture': {
        const [, name, pattern] = /^(\w+)\s*=\s*(.+)$/.exec(head) ?? [];
        const match = new RegExp(pattern).exec(this.lastPage && pattern.includes('<') ? this.lastPage : this.lastText);
        if (!match) throw new Error(`/${pattern}/ not found`);
        this.vars[name] = match[1] ?? match[0];
        return;
      }
      case 'secret': {
        const [, name, value] = /^(\w+)\s*=\s*(.+)$/.exec(head) ?? [];
        this.vars[name] = value;
        return;
      }
      case 'page': {
        if (head.startsWith('open')) {
          await this.refresh();
          const given = head.slice('open'.length).trim();
          const link = given || [...this.session.activities].reverse().map((a) => /https?:\/\/\S+\/compte\/[^\s)]+/.exec(a.text ?? '')?.[0]).find(Boolean);
          if (!link) throw new Error('no secure link in the conversation');
          this.lastLink = link;
          const response = await fetch(link, { headers: this.pageHeaders() });
          this.lastPage = await response.text();
          return;
        }
        const [, suffix = ''] = /^post\s*(\S*)$/.exec(head) ?? [];
        const response = await fetch(`${this.lastLink}${suffix}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.pageHeaders() },
          body: new URLSearchParams(parseFields(fields ?? '')).toString(),
        });
        this.lastPage = await response.text();
        return;
      }
      case 'page-sees':
        if (!decodeHtml(this.lastPage).includes(head)) throw new Error(`the page does not show "${head}":\n${decodeHtml(this.lastPage).replace(/<style>[^]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 600)}`);
        return;
      case 'upload':
        return this.upload(head, (fields ?? 'pdf').trim());
      case 'as':
        return this.switchTo(head);
      case 'browser':
        this.elsewhere = head === 'elsewhere';
        return;
      case 'desk': {
        const f = parseFields(fields ?? '');
        const role = head === 'add-agent' ? 'AGENT' : 'EXPERT';
        const { token } = await this.options.app().services.desk.create(role, f.email, f.name, (f.oa ?? '').split(',').filter(Boolean));
        this.vars.activationLink = `${this.base}/compte/bureau/activation/${token}`;
        return;
      }
      case 'restart':
        if (!this.options.onRestart) throw new Error('no restart hook');
        await this.options.onRestart();
        return;
      default:
        throw new Error(`unknown step "${verb}"`);
    }
  }
}

/** A `user:` or `bot:` line (Chatdown), or a bracketed step: `[verb]`, `[verb=argument]`. */
function parseLine(line: string): { verb: string; rest: string } {
  const said = /^(user|bot):\s*(.*)$/.exec(line);
  if (said) return { verb: said[1], rest: said[2] };
  const directive = /^\[([\w-]+)(?:=(.*))?\]$/.exec(line);
  if (directive) return { verb: directive[1], rest: directive[2]?.trim() ?? '' };
  throw new Error('not a chat line: "user: ...", "bot: ..." or "[step=...]"');
}

function parseFields(fields: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of fields.split(/\s*;\s*/).filter(Boolean)) {
    const at = pair.indexOf('=');
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

function inputDefaults(items: CardItem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    if (item.id && item.type.startsWith('Input.') && item.value !== undefined) out[item.id] = item.value;
    if (item.items) Object.assign(out, inputDefaults(item.items));
  }
  return out;
}

/** Everything a person would read in an activity: its text, its card's texts, labels, what its text fields hold, facts and buttons. */
export function describe(activity: Activity): string {
  const parts: string[] = [activity.text ?? ''];
  const walk = (items: CardItem[]) => {
    for (const item of items) {
      parts.push(item.text ?? '', item.label ?? '', item.title ?? '', item.type === 'Input.Text' ? (item.value ?? '') : '');
      item.facts?.forEach((f) => parts.push(`${f.title} ${f.value}`));
      if (item.items) walk(item.items);
    }
  };
  for (const attachment of activity.attachments ?? []) {
    walk(attachment.content?.body ?? []);
    attachment.content?.actions?.forEach((a) => parts.push(`[${a.title}]`));
  }
  activity.suggestedActions?.actions.forEach((a) => parts.push(`[${a.title}]`));
  return parts.filter(Boolean).join(' | ');
}

function decodeHtml(html: string): string {
  return html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
