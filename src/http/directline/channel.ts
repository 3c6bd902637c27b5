import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { forgetDeleted, type Db, type Tx } from '../../services/db/database';
import type { Coordination } from '../../services/db/coordination';
import type { Logger } from '../../logger';
import { TooDeeplyNested, wellFormed } from '../../services/text';
import { FORGET_CONVERSATION_EVENT } from '../../services/identity/linkPurposes';

/**
 * A local Direct Line 3.0 channel: what Azure's Direct Line service does for Web Chat and any
 * Direct Line client, hosted by Sésame itself so nothing needs Azure. Conversations, tokens and
 * activities live in the database (a restart loses nothing; a client reconnects with its token).
 * User activities reach the bot over the Bot Framework protocol (an HTTP POST to /api/messages
 * whose serviceUrl points at this server's connector routes), so the bot runs its production path.
 *
 * Nothing acknowledged is lost: a user's activity is stored with its hand-over to the bot
 * (DirectLineInbox) in one transaction before the client gets its 200; the instance that stored it
 * delivers it at once under a lease, and deletes the hand-over once the bot has processed the turn.
 * After a crash, any instance takes what is left once its lease has run out (the bot recognises an
 * activity it already processed, and the channel keeps one copy of a reply sent again). Every stored
 * activity is announced to the other instances (PostgreSQL NOTIFY): a stream open on any of them
 * gets every activity of its conversation, in order, from the database.
 */

export interface DirectLineOptions {
  /** Grants access to every conversation (like Azure's Direct Line secret). Unset: anyone may start a conversation. */
  secret?: string;
  /** Where this server is reachable; known once it listens (the port may be chosen by the OS). */
  endpoint: () => LocalEndpoint;
  botId: string;
  botName: string;
  /** Header sent to the bot so it knows the activity comes from this channel. */
  botAuthorization: string;
  tokenTtlSeconds?: number;
  /** How long a hand-over is reserved for the instance that took it (then another may). */
  leaseMs?: number;
  /** How often the unfinished hand-overs whose lease ran out are looked for. */
  sweepMs?: number;
}

/** Where the bot says which turn and which rank a reply has (Sésame's own channelData, never stored). */
export const REPLY_KEY = 'sesameReply';

export interface LocalEndpoint {
  /** Our connector routes as the bot must see them (loopback), e.g. http://127.0.0.1:3978; /api/messages is the bot. */
  serviceUrl: string;
  /** Public base URL of this server, e.g. https://sesame.example.fr (for streamUrl). */
  publicUrl: string;
}

export class DirectLineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ConversationInfo {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl?: string;
  referenceGrammarId?: string;
}

/** An activity as JSON on the wire (timestamps are strings). */
export type WireActivity = Omit<Partial<Activity>, 'timestamp' | 'localTimestamp'> & { timestamp?: string };

export interface ActivitySet {
  activities: WireActivity[];
  watermark: string;
}

const userSchema = z.object({ id: z.string().min(1).max(256), name: z.string().max(256).optional() }).partial().optional();
export const tokenRequestSchema = z
  .object({ user: userSchema, locale: z.string().max(20).optional() })
  .partial()
  .default({});
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

/** The longest text a user may send; longer is refused with a clear message (the bot reads far less: see SesameBot). */
export const MAX_TEXT = 20_000;

/** What a client may post: the fields Sésame reads are typed; each refusal names the field and why. */
const incomingActivitySchema = z
  .object({
    type: z.string({ message: 'type must be a string, e.g. "message"' }).min(1).max(50),
    text: z.string({ message: 'text must be a string' }).max(MAX_TEXT, { message: `text is longer than ${MAX_TEXT} characters` }).optional(),
    name: z.string({ message: 'name must be a string' }).max(100).optional(),
    from: z
      .object({ id: z.string({ message: 'from.id must be a string' }).max(256).optional(), name: z.string({ message: 'from.name must be a string' }).max(256).optional(), role: z.string().max(20).optional() })
      .passthrough()
      .optional(),
    locale: z.string({ message: 'locale must be a string, e.g. "fr-FR"' }).max(20).optional(),
  })
  .passthrough();

/** How an attachment names a file held by the channel: never a URL the bot would fetch. */
export const UPLOAD_SCHEME = 'sesame-upload:';

/** Events only Sésame or the channel's operator may send (a page done, a live agent's answer): never a user's client. */
const RESERVED_EVENT = /^(sesame\.|handoff\.)/;

/** Who is asking: a conversation token (one conversation) or the channel secret (all). */
export type Grant = { kind: 'secret' } | { kind: 'token'; conversationId: string; browserHash: string | null };

/**
 * A request's credentials: its Authorization header, and the chat page's browser key (cookie) when
 * it comes from a browser. A token the chat page got is good only with that browser's key: copied
 * out of a shared computer's browser, it is of no use elsewhere.
 */
export interface Caller {
  authorization?: string;
  browserKey?: string;
}

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');
const newToken = () => crypto.randomBytes(32).toString('base64url');

/** A hand-over delivered this many times without the bot taking it is given up (and logged). */
const MAX_ATTEMPTS = 5;

interface HandOver {
  id: number;
  conversationId: string;
  activity: WireActivity;
  client: string | null;
}

export class DirectLineChannel {
  private readonly events = new EventEmitter();
  private readonly deliveries = new Map<string, Promise<void>>();
  /** Hand-overs this instance holds (queued or being delivered): the sweep leaves them alone. */
  private readonly held = new Set<number>();
  private forgetting: NodeJS.Timeout | undefined;
  private sweeping: NodeJS.Timeout | undefined;
  private sweepOn = false;
  private readonly ttl: number;
  private readonly leaseMs: number;
  private readonly onNews = (conversationId: string, seq: number) => this.events.emit(conversationId === '*' ? '*' : conversationId, seq);

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly options: DirectLineOptions,
    private readonly coordination?: Coordination,
  ) {
    this.ttl = options.tokenTtlSeconds ?? 1800;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.events.setMaxListeners(0);
    coordination?.news.on('activity', this.onNews);
  }

  /** Starts taking over what was acknowledged and not processed (after a crash, here or on another instance). */
  start(): void {
    this.sweepOn = true;
    const next = () => {
      if (!this.sweepOn) return;
      this.sweeping = setTimeout(() => void once(new Date()), this.options.sweepMs ?? 3_000);
      this.sweeping.unref();
    };
    const once = (at: Date) =>
      this.sweep(at)
        .catch((error: unknown) => this.logger.error({ err: error }, 'directline: could not look for unfinished hand-overs'))
        .finally(next);
    // Alone on its database (SQLite), an instance that starts knows every lease is a dead process's:
    // what it left is taken at once. Among several, a lease may be a live instance's: it is waited out.
    void once(this.coordination?.shared === false ? new Date(8.64e15) : new Date());
  }

  /** Stops the sweep (the hand-overs under way finish: see idle()). */
  stop(): void {
    this.sweepOn = false;
    clearTimeout(this.sweeping);
    this.coordination?.news.off('activity', this.onNews);
  }

  // ---- authorisation -------------------------------------------------------------------

  private async grant(caller: Caller): Promise<Grant | undefined> {
    const presented = bearer(caller);
    if (!presented) return undefined;
    if (this.options.secret && safeEqual(presented, this.options.secret)) return { kind: 'secret' };
    const row = await this.db.directLineToken.findUnique({ where: { hash: sha256(presented) } });
    if (!row || row.expiresAt.getTime() <= Date.now()) return undefined;
    if (row.browserHash && !(caller.browserKey && safeEqual(row.browserHash, sha256(caller.browserKey)))) return undefined;
    return { kind: 'token', conversationId: row.conversationId, browserHash: row.browserHash };
  }

  /** That the caller holds this conversation (its token, or the channel secret); throws otherwise. The grant is its proof. */
  async authorize(caller: Caller, conversationId: string): Promise<Grant> {
    const grant = await this.grant(caller);
    if (!grant) throw new DirectLineError(403, 'BadArgument', 'Missing, invalid or expired token.');
    if (grant.kind === 'token' && grant.conversationId !== conversationId) {
      throw new DirectLineError(403, 'BadArgument', 'This token is for another conversation.');
    }
    const exists = await this.db.directLineConversation.findUnique({ where: { id: conversationId }, select: { id: true } });
    if (!exists) throw new DirectLineError(404, 'BadArgument', 'Conversation not found.');
    return grant;
  }

  /** Starting a conversation needs the secret when one is configured; otherwise it is open (public chat page). */
  async mayStart(caller: Caller): Promise<boolean> {
    if (!this.options.secret) return true;
    return (await this.grant(caller))?.kind === 'secret';
  }

  /** `browserHash`: the token works only with that browser's key (tokens of the chat page). */
  private async issueToken(conversationId: string, browserHash: string | null = null): Promise<string> {
    const token = newToken();
    // Tokens expired for a day are of no use to anyone: they go as new ones come.
    await this.db.directLineToken.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 24 * 60 * 60 * 1000) } } });
    await this.db.directLineToken.create({
      data: { hash: sha256(token), conversationId, browserHash, expiresAt: new Date(Date.now() + this.ttl * 1000) },
    });
    return token;
  }

  // ---- client API (Direct Line 3.0) --------------------------------------------------------

  /**
   * A token bound to a new conversation (and optionally to a user), plus a long-lived resume key:
   * the bot's own chat page keeps it so that a user who comes back after the token expired
   * (a closed laptop) gets a new token for the same conversation and continues where they were.
   */
  async generateToken(request: TokenRequest, browserKey?: string): Promise<ConversationInfo & { resumeKey: string }> {
    const conversationId = crypto.randomUUID();
    const resumeKey = newToken();
    await this.db.directLineConversation.create({
      data: {
        id: conversationId,
        userId: request.user?.id ?? null,
        userName: request.user?.name ?? null,
        locale: request.locale ?? null,
        resumeHash: sha256(resumeKey),
        browserHash: browserKey ? sha256(browserKey) : null,
      },
    });
    return { conversationId, token: await this.issueToken(conversationId, browserKey ? sha256(browserKey) : null), expires_in: this.ttl, resumeKey };
  }

  /**
   * A new token for a conversation, given its resume key, in the browser that holds it; undefined if
   * the key does not match, or the browser is another one (the page then starts a new conversation).
   */
  async resumeToken(conversationId: string, resumeKey: string, browserKey: string): Promise<ConversationInfo | undefined> {
    const conversation = await this.db.directLineConversation.findUnique({ where: { id: conversationId } });
    if (!conversation?.resumeHash || !safeEqual(conversation.resumeHash, sha256(resumeKey))) return undefined;
    if (!conversation.browserHash || !safeEqual(conversation.browserHash, sha256(browserKey))) return undefined;
    return { conversationId, token: await this.issueToken(conversationId, conversation.browserHash), expires_in: this.ttl };
  }

  /** Whether a browser (its key, from the chat page's cookie) is the one that holds a conversation of this channel. */
  async isChatBrowser(reference: unknown, browserKey: string | undefined): Promise<boolean> {
    const r = reference as { channelId?: unknown; conversation?: { id?: unknown } } | null | undefined;
    if (!browserKey || r?.channelId !== 'directline' || typeof r.conversation?.id !== 'string') return false;
    const conversation = await this.db.directLineConversation.findUnique({ where: { id: r.conversation.id }, select: { browserHash: true } });
    return Boolean(conversation?.browserHash && safeEqual(conversation.browserHash, sha256(browserKey)));
  }

  /** POST /conversations: starts the conversation the token is bound to, or a new one with the secret. */
  async startConversation(caller: Caller): Promise<ConversationInfo> {
    const grant = await this.grant(caller);
    let conversationId: string;
    let token: string;
    if (grant?.kind === 'token') {
      conversationId = grant.conversationId;
      token = bearer(caller)!;
    } else if (grant?.kind === 'secret' || (!grant && !this.options.secret)) {
      conversationId = crypto.randomUUID();
      await this.db.directLineConversation.create({ data: { id: conversationId } });
      token = await this.issueToken(conversationId);
    } else {
      throw new DirectLineError(403, 'BadArgument', 'Missing, invalid or expired token.');
    }
    // The welcome is handed over like a user's message: stored before the answer, delivered once.
    const welcome = await this.db.$transaction(async (tx) => {
      const { count } = await tx.directLineConversation.updateMany({ where: { id: conversationId, started: false }, data: { started: true } });
      if (count !== 1) return undefined;
      const conversation = await tx.directLineConversation.findUniqueOrThrow({ where: { id: conversationId } });
      const user = conversation.userId ? { id: conversation.userId, name: conversation.userName ?? undefined } : undefined;
      return this.handOver(tx, conversationId, this.membersAdded(conversationId, user ? [this.botAccount(), user] : [this.botAccount()], conversation.locale));
    });
    if (welcome) this.deliver(welcome);
    return { conversationId, token, expires_in: this.ttl, streamUrl: this.streamUrl(conversationId, token), referenceGrammarId: '' };
  }

  /** GET /conversations/{id}?watermark=: reconnect (a fresh streamUrl). */
  async reconnect(caller: Caller, conversationId: string, watermark?: string): Promise<ConversationInfo> {
    const grant = await this.authorize(caller, conversationId);
    // With the secret (Botium, an operator), as Azure does: a token of this conversation for the
    // stream, never the secret itself in a URL.
    const token = grant.kind === 'secret' ? await this.issueToken(conversationId) : bearer(caller)!;
    return { conversationId, token, expires_in: this.ttl, streamUrl: this.streamUrl(conversationId, token, watermark), referenceGrammarId: '' };
  }

  /** POST /tokens/refresh: a new token for the same conversation. */
  async refreshToken(caller: Caller): Promise<ConversationInfo> {
    const grant = await this.grant(caller);
    if (grant?.kind !== 'token') throw new DirectLineError(403, 'BadArgument', 'Missing, invalid or expired token.');
    return { conversationId: grant.conversationId, token: await this.issueToken(grant.conversationId, grant.browserHash), expires_in: this.ttl };
  }

  /**
   * POST /conversations/{id}/activities: the user's activity, echoed with an id, then handed to the bot.
   * `grant`: what authorize() gave for this conversation (the route proves it once, before its limits).
   * `client`: the poster's address key, handed to the bot with the activity (for its per-client limits), never stored.
   */
  async postActivity(grant: Grant, conversationId: string, body: unknown, client?: string): Promise<{ id: string }> {
    const parsed = incomingActivitySchema.safeParse(wellFormedActivity(body));
    if (!parsed.success) throw new DirectLineError(400, 'BadArgument', `Invalid activity: ${parsed.error.issues[0]?.message ?? 'not an activity'}.`);
    const incoming = parsed.data as unknown as WireActivity;
    // The channel's operator (holding the secret) speaks as the channel; a user's token never may send reserved events.
    const role = grant.kind === 'secret' && incoming.type === 'event' ? 'channel' : 'user';
    if (incoming.type === 'event' && RESERVED_EVENT.test(incoming.name ?? '') && role !== 'channel') {
      throw new DirectLineError(403, 'BadArgument', `The event "${incoming.name}" can only be sent by Sésame or the channel, not by a client.`);
    }
    const conversation = await this.db.directLineConversation.findUniqueOrThrow({ where: { id: conversationId } });
    const fromId = incoming.from?.id;
    if (conversation.userId && fromId && fromId !== conversation.userId) {
      throw new DirectLineError(403, 'BadArgument', 'from.id does not match the user this token was issued for.');
    }
    // A client that names no user (no from.id, and a token issued for nobody) gets a user of this
    // conversation only, as Azure's Direct Line does (dl_…): its user state is shared with no other conversation.
    const userId = conversation.userId ?? fromId ?? `dl_${crypto.randomUUID()}`;
    const { sesameClient: _spoofed, [REPLY_KEY]: _alsoSpoofed, ...channelData } = (incoming.channelData ?? {}) as Record<string, unknown>;
    // Stored, handed over and only then acknowledged: in one transaction, so a crash after the 200
    // leaves the bot something to process, and one before it leaves nothing the client believes sent.
    const { echoed, handOvers } = await this.db.$transaction(async (tx) => {
      const handOvers: HandOver[] = [];
      if (!conversation.userId) {
        // The user is known from now on; greet them the way a channel does.
        const { count } = await tx.directLineConversation.updateMany({ where: { id: conversationId, userId: null }, data: { userId, userName: incoming.from?.name ?? null } });
        if (count === 1) handOvers.push(await this.handOver(tx, conversationId, this.membersAdded(conversationId, [{ id: userId, name: incoming.from?.name }], incoming.locale ?? conversation.locale)));
      }
      const echoed = await this.append(tx, conversationId, {
        ...incoming,
        channelData: Object.keys(channelData).length ? channelData : undefined,
        from: { ...incoming.from, id: userId, role },
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
        channelId: 'directline',
        recipient: this.botAccount(),
        timestamp: new Date().toISOString(),
        locale: incoming.locale ?? conversation.locale ?? undefined,
      } as WireActivity);
      handOvers.push(await this.handOver(tx, conversationId, echoed, client));
      return { echoed, handOvers };
    });
    this.published(conversationId, echoed);
    handOvers.forEach((h) => this.deliver(h));
    return { id: echoed.id! };
  }

  /**
   * POST /conversations/{id}/upload: the files are held by the channel (until the bot takes them for
   * this conversation) and the user's activity carries them as attachments — a contentUrl naming the
   * upload, never the bytes, so transcripts and the conversation's store hold no document.
   */
  async upload(grant: Grant, conversationId: string, files: { name: string; declaredType: string; bytes: Uint8Array }[], activity: unknown, userId: string | undefined, client?: string): Promise<{ id: string }> {
    const base = (activity && typeof activity === 'object' ? activity : {}) as Record<string, unknown>;
    const attachments = [];
    for (const file of files) {
      const id = crypto.randomUUID();
      const name = file.name.slice(0, 200);
      await this.db.channelUpload.create({ data: { id, conversationId, name, contentType: file.declaredType.slice(0, 100) || 'application/octet-stream', content: Buffer.from(file.bytes) } });
      attachments.push({ contentType: file.declaredType || 'application/octet-stream', name, contentUrl: `${UPLOAD_SCHEME}${id}` });
    }
    const from = (base.from && typeof base.from === 'object' ? base.from : { id: userId }) as Record<string, unknown>;
    return this.postActivity(grant, conversationId, { ...base, type: 'message', from, attachments }, client);
  }

  /** The bytes of a file uploaded in this conversation (once: it is then the bot's to keep or drop). */
  async takeUpload(conversationId: string, contentUrl: string): Promise<{ name: string; declaredType: string; bytes: Uint8Array } | undefined> {
    if (!contentUrl.startsWith(UPLOAD_SCHEME)) return undefined;
    const id = contentUrl.slice(UPLOAD_SCHEME.length);
    const row = await this.db.channelUpload.findFirst({ where: { id, conversationId } });
    if (!row) return undefined;
    await this.db.channelUpload.delete({ where: { id } });
    return { name: row.name, declaredType: row.contentType, bytes: row.content };
  }

  /** The activities after a watermark: GET /conversations/{id}/activities (polling), and a new stream's backlog. */
  async activitiesSince(conversationId: string, watermark?: string): Promise<ActivitySet> {
    const after = Number.parseInt(watermark ?? '', 10);
    const rows = await this.db.directLineActivity.findMany({
      where: { conversationId, seq: { gt: Number.isFinite(after) ? after : -1 } },
      orderBy: { seq: 'asc' },
    });
    const last = rows.at(-1)?.seq ?? (Number.isFinite(after) ? after : -1);
    return { activities: rows.map((r) => JSON.parse(r.body) as WireActivity), watermark: String(last) };
  }

  /** Authorises a WebSocket stream (token in the URL, as Azure's streamUrl does; the browser's key from its cookie). */
  async authorizeStream(conversationId: string, token: string | undefined, browserKey: string | undefined): Promise<boolean> {
    try {
      await this.authorize({ authorization: token ? `Bearer ${token}` : undefined, browserKey }, conversationId);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A conversation's activities after a watermark, then every new one as it is stored — by this
   * instance or another —, in order, without gap or repeat (for WebSocket streams). An activity that
   * comes out of order (another instance's, announced late) is read back from the database with the
   * ones before it. Returns how to stop.
   */
  follow(conversationId: string, watermark: string | undefined, send: (set: ActivitySet) => void): () => void {
    const start = Number.parseInt(watermark ?? '', 10);
    let last = Number.isFinite(start) ? start : -1;
    let chain = Promise.resolve();
    let stopped = false;
    const catchUp = () => {
      chain = chain
        .then(async () => {
          if (stopped) return;
          const set = await this.activitiesSince(conversationId, String(last));
          if (stopped || set.activities.length === 0) return;
          last = Number(set.watermark);
          send(set);
        })
        .catch((error: unknown) => this.logger.warn({ err: error, conversationId }, 'directline: a stream could not read its activities'));
    };
    const listener = (news: ActivitySet | number) => {
      if (typeof news === 'number') {
        if (news === -1 || news > last) catchUp();
        return;
      }
      chain = chain.then(() => {
        const seq = Number(news.watermark);
        if (stopped || seq <= last) return;
        // The very next one (the common case: stored here): sent as it is, no read.
        if (seq === last + 1 && news.activities.length === 1) {
          last = seq;
          send(news);
        } else catchUp();
      });
    };
    this.events.on(conversationId, listener);
    this.events.on('*', listener);
    catchUp();
    return () => {
      stopped = true;
      this.events.off(conversationId, listener);
      this.events.off('*', listener);
    };
  }

  // ---- connector side (the bot's replies) ------------------------------------------------------

  /** POST /v3/conversations/{id}/activities[/{replyTo}] from the bot. */
  async receiveFromBot(conversationId: string, body: WireActivity, replyToId?: string): Promise<{ id: string }> {
    const exists = await this.db.directLineConversation.findUnique({ where: { id: conversationId }, select: { id: true } });
    if (!exists) throw new DirectLineError(404, 'BadArgument', 'Conversation not found.');
    // The user signed out: this conversation can no longer be resumed (the page will start a new one).
    if (body.type === 'event' && body.name === FORGET_CONVERSATION_EVENT) {
      await this.db.directLineConversation.update({ where: { id: conversationId }, data: { resumeHash: null } });
    }
    const { [REPLY_KEY]: key, ...channelData } = (body.channelData ?? {}) as Record<string, unknown>;
    const replyKey = typeof key === 'string' && key.length <= 300 ? key : undefined;
    const activity = {
      ...body,
      channelData: Object.keys(channelData).length ? channelData : undefined,
      replyToId: body.replyToId ?? replyToId,
      serviceUrl: undefined,
      channelId: 'directline',
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: this.options.botId, name: this.options.botName, role: 'bot' },
      timestamp: new Date().toISOString(),
    } as WireActivity;
    try {
      const stored = await this.db.$transaction(async (tx) => {
        // The same reply of the same turn, sent again by the turn run after a crash: the one stored stands.
        // (Looked for first: a refused insert would roll back the transaction, and on SQLite whatever else
        // ran on its connection meanwhile.)
        const first = replyKey ? await tx.directLineActivity.findUnique({ where: { conversationId_replyKey: { conversationId, replyKey } }, select: { seq: true } }) : null;
        return first ? { id: activityId(conversationId, first.seq) } : { id: undefined, activity: await this.append(tx, conversationId, activity, replyKey) };
      });
      if (stored.activity) this.published(conversationId, stored.activity);
      return { id: stored.activity?.id ?? stored.id! };
    } catch (error) {
      // Two copies of one reply at the very same moment: the other one stands.
      if (!replyKey || (error as { code?: string }).code !== 'P2002') throw error;
      const first = await this.db.directLineActivity.findUnique({ where: { conversationId_replyKey: { conversationId, replyKey } }, select: { seq: true } });
      if (!first) throw error;
      return { id: activityId(conversationId, first.seq) };
    }
  }

  /** DELETE from the bot: an activity withdrawn (a password typed in the chat is not kept). */
  async deleteFromBot(conversationId: string, activityId: string): Promise<void> {
    const seq = Number(activityId.split('|')[1]);
    if (!activityId.startsWith(`${conversationId}|`) || !Number.isInteger(seq)) throw new DirectLineError(404, 'BadArgument', 'Activity not found.');
    await this.db.directLineActivity.deleteMany({ where: { conversationId, seq } });
    this.forgetSoon();
  }

  /** What was withdrawn (a password typed in the chat) leaves the database's write-ahead log too, shortly after. */
  private forgetSoon(): void {
    if (this.forgetting) return;
    this.forgetting = setTimeout(() => {
      this.forgetting = undefined;
      forgetDeleted(this.db).catch((error: unknown) => this.logger.error({ err: error }, 'directline: could not empty the write-ahead log'));
    }, 1000);
    this.forgetting.unref();
  }

  /**
   * Retention: deletes the activities older than `retentionDays`, and the conversations with nothing
   * newer — their tokens, uploads not taken and conversation state with them (a conversation still in
   * use keeps its recent activities and can be resumed). Returns how many activities and conversations went.
   */
  async prune(retentionDays: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
    const activities = (await this.db.directLineActivity.deleteMany({ where: { createdAt: { lt: cutoff } } })).count;
    let conversations = 0;
    // In batches: each one is a few statements with a bounded list of ids.
    for (let after = ''; ; ) {
      const old = (await this.db.directLineConversation.findMany({ where: { createdAt: { lt: cutoff }, id: { gt: after } }, orderBy: { id: 'asc' }, take: 500, select: { id: true } })).map((c) => c.id);
      if (old.length === 0) break;
      after = old.at(-1)!;
      const active = new Set((await this.db.directLineActivity.findMany({ where: { conversationId: { in: old } }, distinct: ['conversationId'], select: { conversationId: true } })).map((a) => a.conversationId));
      const idle = old.filter((id) => !active.has(id));
      if (idle.length === 0) continue;
      await this.db.$transaction([
        this.db.directLineToken.deleteMany({ where: { conversationId: { in: idle } } }),
        this.db.directLineInbox.deleteMany({ where: { conversationId: { in: idle } } }),
        this.db.channelUpload.deleteMany({ where: { conversationId: { in: idle } } }),
        this.db.botStateItem.deleteMany({ where: { key: { in: idle.flatMap((id) => [`directline/conversations/${id}`, `directline/conversations/${id}/user`]) } } }),
        this.db.directLineConversation.deleteMany({ where: { id: { in: idle } } }),
      ]);
      conversations += idle.length;
    }
    return activities + conversations;
  }

  /** Waits until every activity handed to the bot so far has been processed (for shutdown and tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.deliveries.values()]);
    if (this.forgetting) {
      clearTimeout(this.forgetting);
      this.forgetting = undefined;
      await forgetDeleted(this.db);
    }
  }

  // ---- internals ----------------------------------------------------------------------------

  private botAccount() {
    return { id: this.options.botId, name: this.options.botName, role: 'bot' };
  }

  private membersAdded(conversationId: string, members: { id: string; name?: string }[], locale?: string | null): WireActivity {
    return {
      type: 'conversationUpdate',
      id: `${conversationId}|update-${crypto.randomUUID()}`,
      channelId: 'directline',
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      recipient: this.botAccount(),
      from: members.find((m) => m.id !== this.options.botId) ?? this.botAccount(),
      membersAdded: members,
      timestamp: new Date().toISOString(),
      locale: locale ?? undefined,
    } as WireActivity;
  }

  /**
   * Stores an activity with the next sequence number of its conversation, in the caller's
   * transaction, and announces it to the other instances (at commit). published() tells this one's streams.
   */
  private async append(tx: Tx, conversationId: string, activity: WireActivity, replyKey?: string): Promise<WireActivity> {
    const { nextSeq } = await tx.directLineConversation.update({ where: { id: conversationId }, data: { nextSeq: { increment: 1 } } });
    const seq = nextSeq - 1;
    const full: WireActivity = { ...activity, id: activityId(conversationId, seq) };
    await tx.directLineActivity.create({ data: { conversationId, seq, body: JSON.stringify(full), replyKey } });
    await this.coordination?.announce(tx, conversationId, seq);
    return full;
  }

  /** Tells this instance's streams of an activity just committed. */
  private published(conversationId: string, activity: WireActivity): void {
    this.events.emit(conversationId, { activities: [activity], watermark: String(seqOf(activity.id!)) } satisfies ActivitySet);
  }

  /** Records, in the caller's transaction, that the bot must process this activity; this instance holds it first. */
  private async handOver(tx: Tx, conversationId: string, activity: WireActivity, client?: string): Promise<HandOver> {
    const row = await tx.directLineInbox.create({
      data: { conversationId, body: JSON.stringify(activity), client: client ?? null, leaseUntil: new Date(Date.now() + this.leaseMs), attempts: 1 },
      select: { id: true },
    });
    return { id: row.id, conversationId, activity, client: client ?? null };
  }

  /** Hands activities to the bot in order, one conversation at a time. */
  private deliver(handOver: HandOver): void {
    const { conversationId } = handOver;
    this.held.add(handOver.id);
    const previous = this.deliveries.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.process(handOver)).finally(() => this.held.delete(handOver.id));
    this.deliveries.set(conversationId, next);
    void next.then(() => {
      if (this.deliveries.get(conversationId) === next) this.deliveries.delete(conversationId);
    });
  }

  /** Delivers a hand-over; done (the turn ran, or the bot refused it for good): deleted; else left for a later attempt. */
  private async process(handOver: HandOver): Promise<void> {
    const { activity, client } = handOver;
    const outcome = await this.post(client ? { ...activity, channelData: { ...(activity.channelData as object | undefined), sesameClient: client } } : activity);
    try {
      if (outcome === 'retry') {
        const row = await this.db.directLineInbox.findUnique({ where: { id: handOver.id }, select: { attempts: true } });
        if (row && row.attempts < MAX_ATTEMPTS) {
          // Later, by whichever instance sweeps first: 5 s, 10 s, 20 s…
          await this.db.directLineInbox.updateMany({ where: { id: handOver.id }, data: { leaseUntil: new Date(Date.now() + 5_000 * 2 ** (row.attempts - 1)) } });
          return;
        }
        this.logger.error({ conversationId: handOver.conversationId, activityId: activity.id }, 'directline: the bot never processed an activity; given up');
      }
      await this.db.directLineInbox.deleteMany({ where: { id: handOver.id } });
    } catch (error) {
      // The lease runs out and the sweep tries again; the bot recognises an activity it already processed.
      this.logger.error({ err: error, conversationId: handOver.conversationId }, 'directline: could not record a hand-over as done');
    }
  }

  /**
   * Takes over the hand-overs whose lease has run out — left by a crash of this instance or another,
   * or waiting for another attempt — oldest first, each conversation in order.
   */
  async sweep(now = new Date()): Promise<number> {
    const due = await this.db.directLineInbox.findMany({ where: { leaseUntil: { lt: now } }, orderBy: { id: 'asc' }, take: 200 });
    let taken = 0;
    for (const row of due) {
      if (this.held.has(row.id)) continue;
      // Claimed: whoever moves the lease first delivers it.
      const { count } = await this.db.directLineInbox.updateMany({
        where: { id: row.id, leaseUntil: row.leaseUntil },
        data: { leaseUntil: new Date(Date.now() + this.leaseMs), attempts: { increment: 1 } },
      });
      if (count !== 1) continue;
      taken += 1;
      this.deliver({ id: row.id, conversationId: row.conversationId, activity: JSON.parse(row.body) as WireActivity, client: row.client });
    }
    if (taken) this.logger.warn({ count: taken }, 'directline: activities acknowledged but not processed were taken over');
    return taken;
  }

  /** 'done': the bot ran the turn (or refused the activity for good); 'retry': it could not be reached or failed. */
  private async post(activity: WireActivity): Promise<'done' | 'retry'> {
    const { serviceUrl } = this.options.endpoint();
    const body = { ...activity, serviceUrl, channelId: 'directline', recipient: this.botAccount() };
    try {
      const response = await fetch(`${serviceUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: this.options.botAuthorization },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      if (response.status >= 300) {
        this.logger.error({ conversationId: activity.conversation?.id, status: response.status }, 'directline: bot refused an activity');
      }
      return response.status >= 500 ? 'retry' : 'done';
    } catch (error) {
      this.logger.error({ conversationId: activity.conversation?.id, err: error }, 'directline: bot unreachable');
      return 'retry';
    }
  }

  private streamUrl(conversationId: string, token: string, watermark?: string): string {
    const base = `${this.options.endpoint().publicUrl.replace(/^http/, 'ws')}/v3/directline`;
    const query = new URLSearchParams({ t: token });
    if (watermark) query.set('watermark', watermark);
    return `${base}/conversations/${encodeURIComponent(conversationId)}/stream?${query.toString()}`;
  }
}

/** An activity's body with its text made well-formed (lone surrogates replaced); one nested too deeply is refused (400). */
export function wellFormedActivity(body: unknown): unknown {
  try {
    return wellFormed(body);
  } catch (error) {
    if (error instanceof TooDeeplyNested) throw new DirectLineError(400, 'BadArgument', `Invalid activity: ${error.message}.`);
    throw error;
  }
}

function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

function seqOf(id: string): number {
  return Number(id.slice(id.lastIndexOf('|') + 1));
}

function bearer(caller: Caller): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(caller.authorization ?? '')?.[1]?.trim() || undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
