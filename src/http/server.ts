import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import restify, { type Request, type Response } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import helmet from 'helmet';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { i18n as I18n } from 'i18next';
import type { Logger } from '../logger';
import { preferredLocale, type Locale } from '../i18n';
import type { CaughtMailbox } from '../services/mail/smtpCatcher';
import { readUpload } from './directline/upload';
import { DOCUMENT_LIMITS } from '../services/accreditation/documents';
import { DirectLineChannel, DirectLineError, tokenRequestSchema, wellFormedActivity, type Caller, type Grant } from './directline/channel';
import { mailHtml, mailListPage, mailPage } from './pages/mailPages';
import { escapeHtml } from './pages/html';
import { WEBCHAT_START, webchatPage } from './pages/webchatPage';
import type { PageResponse, SignInPages } from './pages/signInPages';
import { securePage, type Visitor } from './pages/secretForms';
import type { DeskPages } from './pages/deskPages';
import type { AttestationPage, FileResponse } from './pages/attestationPage';
import type { DocumentPage } from './pages/documentPage';
import type { DataExportPage } from './pages/dataExportPage';
import type { MedimailPages } from './pages/medimailPages';
import { addressKey, type LimitName, type RateLimits } from '../services/rateLimits';

/**
 * The only file that knows restify. Routes:
 *   POST /api/messages                  Bot Framework channels (CloudAdapter)
 *   /v3/directline/*                    local Direct Line 3.0 channel (+ WebSocket stream)
 *   POST /v3/conversations/{id}/...     connector routes the bot replies to (loopback only)
 *   GET  /                              Web Chat page;  POST /webchat/token: its token
 *   GET|HEAD /healthz /readyz           liveness, readiness
 *   GET  /dev/mail                      mails caught by the embedded SMTP server (not in production)
 */
export interface ServerDeps {
  logger: Logger;
  adapter: CloudAdapter;
  bot: { run(context: TurnContext): Promise<void> };
  channel: DirectLineChannel;
  i18n: I18n;
  defaultLocale: Locale;
  isReady: () => Promise<boolean>;
  mailbox?: CaughtMailbox;
  signInPages: SignInPages;
  deskPages: DeskPages;
  attestationPage: AttestationPage;
  documentPage: DocumentPage;
  dataExportPage: DataExportPage;
  medimailPages: MedimailPages;
  /** The public address is https: cookies are Secure and __Host- prefixed, HSTS is sent. */
  secureCookies: boolean;
  /** Whether a request carries the local channel's per-process key (the connector routes take nothing else). */
  isLocalChannel(authorization: string | undefined): boolean;
  /** No Bot Framework credentials (development): /api/messages answers only service URLs on this machine. */
  anonymous: boolean;
  limits: RateLimits;
  /** Reverse proxies before Sésame whose X-Forwarded-For is believed (0: the connection's address). */
  trustProxy: number;
}

export interface HttpServer {
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

const pageTokenSchema = z.object({
  userId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  locale: z.string().max(20).optional(),
  conversationId: z.string().uuid().optional(),
  resumeKey: z.string().max(128).optional(),
});

/** What /api/messages reads of an activity before the Bot Framework adapter: each refusal names the field. */
const botActivitySchema = z
  .object({
    type: z.string({ message: 'type must be a string, e.g. "message"' }).min(1).max(50),
    channelId: z.string({ message: 'channelId must be a string' }).min(1).max(100),
    serviceUrl: z.string({ message: 'serviceUrl must be a URL' }).refine((v) => URL.canParse(v), { message: 'serviceUrl must be a URL' }),
    conversation: z.object({ id: z.string({ message: 'conversation.id must be a string' }).min(1).max(512) }, { message: 'conversation must be an object with an id' }).passthrough(),
    from: z.object({ id: z.string({ message: 'from.id must be a string' }).max(512) }).passthrough().optional(),
    text: z.string({ message: 'text must be a string' }).optional(),
    locale: z.string({ message: 'locale must be a string' }).max(20).optional(),
  })
  .passthrough();

/** What a secure page's form may post: named fields, each a plain string of reasonable length. */
const formFieldsSchema = z.record(z.string(), z.string().max(4000));

const isLoopback = (host: string | undefined) => /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(host ?? '');

/** The answer the edge gives for a refused restify request (bad JSON, too large, no route): what to fix, no internals. */
const EDGE_ERRORS: Record<string, string> = {
  InvalidContent: 'The request body is not valid JSON.',
  PayloadTooLarge: 'The request body is larger than 1 MB.',
  UnsupportedMediaType: 'Send application/json (or a form to the secure pages).',
  ResourceNotFound: 'No such address.',
  MethodNotAllowed: 'This address does not take this method.',
};

/** An upload: one supporting document at its largest, and the multipart's own bytes. */
const UPLOAD_MAX_BYTES = DOCUMENT_LIMITS.maxBytes + 256 * 1024;

/** What a caller is told of a failure on our side: never its internals. */
const SERVICE_ERROR = { error: { code: 'ServiceError', message: 'Something went wrong on our side; try again in a moment.' } };

export function createHttpServer(deps: ServerDeps): HttpServer {
  const { logger, adapter, bot, channel, i18n, limits } = deps;
  const server = restify.createServer({ name: 'sesame', handleUncaughtExceptions: false });
  // Headers on every answer, restify's own refusals (404, 413) included.
  server.pre(securityHeaders(deps.secureCookies));
  // A compressed body is refused before any parser reads it: restify's gunzip has no error handler
  // (a bad one stopped the process) and its size limit counts compressed bytes (a bomb passed it).
  server.pre((req: Request, res: Response, next: () => void) => {
    const encoding = (req.header('content-encoding') ?? 'identity').trim().toLowerCase();
    if (encoding === 'identity') return next();
    res.send(415, { error: { code: 'UnsupportedMediaType', message: 'Send the request body uncompressed (no Content-Encoding).' } });
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // restify's body reader honours maxBodySize; its typings omit it from the JSON parser's options.
  const bodyOptions = { mapParams: false, maxBodySize: 1024 * 1024 };
  server.use(restify.plugins.jsonBodyParser(bodyOptions));
  server.on('restifyError', (_req: Request, _res: Response, error: Error & { body?: { code?: string } }, next: () => void) => {
    const code = error.body?.code ?? error.name.replace(/Error$/, '');
    Object.assign(error, { toJSON: () => ({ error: { code, message: EDGE_ERRORS[code] ?? 'Request refused.' } }) });
    next();
  });

  // One JSON line per request: method, route, status, duration. Never the query string (tokens).
  server.on('after', (req: Request, res: Response) => {
    logger.info(
      { event: 'request', method: req.method, route: req.getRoute()?.path ?? req.getPath(), status: res.statusCode, durationMs: Date.now() - req.time() },
      'request',
    );
  });

  // A page speaks the language asked in its address (?lang=), else the browser's, else the default.
  const pageLocale = (req: Request): Locale =>
    req.query?.lang === 'en' ? 'en' : req.query?.lang === 'fr' ? 'fr' : (preferredLocale(req.header('accept-language')) ?? deps.defaultLocale);
  const auth = (req: Request) => req.header('authorization') || undefined;
  // The chat page's browser gets a key of its own (an HttpOnly cookie): a secure page opened in
  // this same browser is recognised as the chat's and skips its code, and the chat page's Direct Line
  // tokens work only with it.
  const browserCookie = deps.secureCookies ? '__Host-sesame_browser' : 'sesame_browser';
  /** Who calls a Direct Line route: its Authorization header and its browser's key. */
  const caller = (req: Request): Caller => ({ authorization: auth(req), browserKey: cookieOf(req.header('cookie'), browserCookie) });
  /** The client's address: the connection's, or the one the trusted proxies saw. */
  const clientOf = (req: IncomingMessage): string => {
    const direct = req.socket.remoteAddress ?? 'unknown';
    if (!deps.trustProxy) return addressKey(direct);
    const forwarded = req.headers['x-forwarded-for'];
    const chain = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
    return addressKey(chain[chain.length - deps.trustProxy] ?? direct);
  };
  /** Takes one unit of a limit, or throws RateLimited (answered 429 with Retry-After and a sentence the chat or page shows). */
  const limit = async (name: LimitName, key: string): Promise<void> => {
    const taken = await limits.take(name, key);
    if (!taken.ok) throw new RateLimited(name, taken.retryAt);
  };
  const tooMany = (req: Request, res: Response, error: RateLimited) => {
    const seconds = Math.max(1, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000));
    res.setHeader('retry-after', String(seconds));
    logger.warn({ event: 'rateLimited', limit: error.limit, route: req.getRoute()?.path }, 'rate limited');
    return i18n.getFixedT(pageLocale(req))('pages:tooMany', { seconds });
  };
  const fail = (req: Request, res: Response, error: unknown) => {
    if (error instanceof RateLimited) {
      res.send(429, { error: { code: 'TooManyRequests', message: tooMany(req, res, error) } });
      return;
    }
    if (error instanceof DirectLineError) {
      res.send(error.status, { error: { code: error.code, message: error.message } });
      return;
    }
    logger.error({ err: error }, 'request failed');
    res.send(500, SERVICE_ERROR);
  };
  const json = (handler: (req: Request) => Promise<unknown>, status = 200) => async (req: Request, res: Response) => {
    try {
      res.send(status, await handler(req));
    } catch (error) {
      fail(req, res, error);
    }
  };

  // ---- Bot Framework ----
  server.post('/api/messages', async (req: Request, res: Response) => {
    let body: unknown;
    try {
      // Without credentials (development) nothing authenticates the caller: its turns are limited like a chat's.
      if (deps.anonymous && !deps.isLocalChannel(auth(req))) await limit('activity', clientOf(req));
      body = wellFormedActivity(req.body);
    } catch (error) {
      fail(req, res, error);
      return;
    }
    const parsed = botActivitySchema.safeParse(body);
    if (!parsed.success) {
      res.send(400, { error: { code: 'BadArgument', message: `Invalid activity: ${parsed.error.issues[0]?.message ?? 'not an activity'}.` } });
      return;
    }
    // Without credentials anyone may call: the bot then answers only channels on this machine, never a URL given from outside.
    if (deps.anonymous && !deps.isLocalChannel(auth(req)) && !isLoopback(new URL(parsed.data.serviceUrl).hostname)) {
      res.send(403, { error: { code: 'Forbidden', message: 'Without Bot Framework credentials, Sésame answers only channels on this machine (serviceUrl on localhost).' } });
      return;
    }
    req.body = parsed.data;
    // The adapter answers a failure with its error's message: the caller is told what to fix (401), never an internal one.
    const guarded = new Proxy(res, {
      get(target, property) {
        if (property === 'send') return (body: unknown) => target.send(target.statusCode >= 500 ? SERVICE_ERROR : body);
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    await adapter.process(req, guarded, (context) => bot.run(context));
  });

  // ---- local Direct Line 3.0 ----
  // Limits per client address come first; limits per conversation only once the caller proved it is
  // that conversation's (so nobody can exhaust someone else's).
  server.post(
    '/v3/directline/tokens/generate',
    json(async (req) => {
      await limit('conversation', clientOf(req));
      if (!(await channel.mayStart(caller(req)))) throw new DirectLineError(403, 'BadArgument', 'A valid Direct Line secret is required.');
      const parsed = tokenRequestSchema.safeParse(req.body ?? {});
      if (!parsed.success) throw new DirectLineError(400, 'BadArgument', 'Invalid token request: user.id and user.name are strings, locale a language tag.');
      const { resumeKey: _kept, ...info } = await channel.generateToken(parsed.data);
      return info;
    }),
  );
  server.post(
    '/v3/directline/tokens/refresh',
    json(async (req) => {
      await limit('token', clientOf(req));
      return channel.refreshToken(caller(req));
    }),
  );
  server.post(
    '/v3/directline/conversations',
    json(async (req) => {
      await limit('conversation', clientOf(req));
      return channel.startConversation(caller(req));
    }, 201),
  );
  const watermarkOf = (req: Request) => (typeof req.query?.watermark === 'string' ? req.query.watermark : undefined);
  server.get(
    '/v3/directline/conversations/:conversationId',
    json(async (req) => {
      await limit('token', clientOf(req));
      return channel.reconnect(caller(req), String(req.params.conversationId), watermarkOf(req));
    }),
  );
  /** A conversation's route: its client's limit, then proof of holding it, then the conversation's own limit. */
  const inConversation = (perClient: LimitName, perConversation: LimitName, action: (req: Request, conversationId: string, grant: Grant) => Promise<unknown>) =>
    json(async (req) => {
      const conversationId = String(req.params.conversationId);
      await limit(perClient, clientOf(req));
      const grant = await channel.authorize(caller(req), conversationId);
      await limit(perConversation, conversationId);
      return action(req, conversationId, grant);
    });
  server.post(
    '/v3/directline/conversations/:conversationId/activities',
    inConversation('activity', 'conversationActivity', (req, id, grant) => channel.postActivity(grant, id, req.body, clientOf(req))),
  );
  server.post(
    '/v3/directline/conversations/:conversationId/upload',
    inConversation('activity', 'conversationActivity', async (req, id, grant) => {
      const { files, activity } = await readUpload(req, UPLOAD_MAX_BYTES);
      const userId = typeof req.query?.userId === 'string' ? req.query.userId : undefined;
      return channel.upload(grant, id, files, activity, userId, clientOf(req));
    }),
  );
  server.get(
    '/v3/directline/conversations/:conversationId/activities',
    inConversation('read', 'conversationRead', (req, id) => channel.activitiesSince(id, watermarkOf(req))),
  );

  // ---- connector routes: the bot's replies to Direct Line conversations ----
  // Only the bot of this process, by its key: behind a reverse proxy every caller is loopback.
  const botOnly = (req: Request) => {
    if (!deps.isLocalChannel(auth(req))) throw new DirectLineError(401, 'Unauthorized', 'Connector routes take only the bot of this server.');
  };
  const fromBot = json(async (req) => {
    botOnly(req);
    return channel.receiveFromBot(String(req.params.conversationId), req.body ?? {}, req.params.activityId);
  });
  server.post('/v3/conversations/:conversationId/activities', fromBot);
  server.post('/v3/conversations/:conversationId/activities/:activityId', fromBot);
  server.del(
    '/v3/conversations/:conversationId/activities/:activityId',
    json(async (req) => {
      botOnly(req);
      await channel.deleteFromBot(String(req.params.conversationId), String(req.params.activityId));
      return {};
    }),
  );

  // ---- the chat page ----
  server.get('/', async (req: Request, res: Response) => {
    const locale = pageLocale(req);
    sendHtml(res, webchatPage(i18n, locale));
  });
  let bundle: Buffer | undefined;
  server.get('/webchat/webchat.js', async (_req: Request, res: Response) => {
    // The full offline bundle; the package's "exports" hide dist/, so resolve from its main file.
    bundle ??= fs.readFileSync(path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js'));
    res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600', 'content-length': bundle.length });
    res.end(bundle);
  });
  server.get('/webchat/start.js', async (_req: Request, res: Response) => {
    res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache', 'content-length': Buffer.byteLength(WEBCHAT_START) });
    res.end(WEBCHAT_START);
  });
  server.post('/webchat/token', async (req: Request, res: Response) => {
    try {
      const parsed = pageTokenSchema.safeParse(req.body ?? {});
      if (!parsed.success) throw new DirectLineError(400, 'BadArgument', 'Invalid token request: userId (letters, digits, - or _), optional locale, conversationId and resumeKey.');
      const { userId, locale, conversationId, resumeKey } = parsed.data;
      await limit(conversationId && resumeKey ? 'token' : 'conversation', clientOf(req));
      let browserKey = cookieOf(req.header('cookie'), browserCookie);
      if (!browserKey || !/^[\w-]{43}$/.test(browserKey)) {
        browserKey = crypto.randomBytes(32).toString('base64url');
        const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${365 * 24 * 3600}`, ...(deps.secureCookies ? ['Secure'] : [])];
        res.header('set-cookie', `${browserCookie}=${browserKey}; ${attributes.join('; ')}`);
      }
      if (conversationId && resumeKey) {
        const resumed = await channel.resumeToken(conversationId, resumeKey, browserKey);
        if (!resumed) throw new DirectLineError(403, 'BadArgument', 'Unknown conversation or resume key.');
        res.send(200, resumed);
        return;
      }
      res.send(200, await channel.generateToken({ user: { id: userId }, locale }, browserKey));
    } catch (error) {
      fail(req, res, error);
    }
  });

  // The privacy and terms pages the Teams manifest points to, and the accessibility statement the chat page links to.
  for (const [route, key] of [['/confidentialite', 'privacy'], ['/conditions', 'terms'], ['/accessibilite', 'accessibility']] as const) {
    server.get(route, async (req: Request, res: Response) => {
      const locale = pageLocale(req);
      const t = i18n.getFixedT(locale);
      // Never a dead end: back to the chat in the same language (and, for the statement, the official remedy).
      const links = [
        ...(key === 'accessibility' ? [`<a href="https://www.defenseurdesdroits.fr/" rel="noopener">${escapeHtml(t('pages:accessibility.defenseur'))}</a>`] : []),
        `<a href="/?lang=${locale}">${escapeHtml(t('pages:backToChat'))}</a>`,
      ];
      const html = links.map((link) => `<p>${link}</p>`).join('\n');
      sendHtml(res, securePage(t, locale, { title: t(`pages:${key}.title`), paragraphs: t(`pages:${key}.body`, { returnObjects: true }) as string[], html }).html);
    });
  }

  server.get('/favicon.ico', async (_req: Request, res: Response) => {
    res.writeHead(204, { 'cache-control': 'public, max-age=86400' });
    res.end();
  });

  // ---- secure pages (secrets are typed here, never in the chat) ----
  const form = restify.plugins.urlEncodedBodyParser({ mapParams: false });
  const respond = (res: Response, page: PageResponse) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    sendHtml(res, page.html, page.status);
  };
  /** The browser asking, as the secure pages see it: the chat's own browser skips their code. */
  const visitorOf = (req: Request): Visitor => {
    const key = cookieOf(req.header('cookie'), browserCookie);
    return { isChatBrowser: (reference) => channel.isChatBrowser(reference, key) };
  };
  const pageFailed = (req: Request, res: Response, error: unknown) => {
    const locale = pageLocale(req);
    const t = i18n.getFixedT(locale);
    if (error instanceof RateLimited) {
      respond(res, securePage(t, locale, { title: t('pages:tooManyTitle'), paragraphs: [tooMany(req, res, error)], status: 429 }));
      return;
    }
    logger.error({ err: error, route: req.getRoute()?.path }, 'secure page failed');
    respond(res, securePage(t, locale, { title: t('pages:failed.title'), paragraphs: [t('pages:failed.text')], status: 500 }));
  };
  const showPage = (handler: (token: string) => Promise<PageResponse>) => async (req: Request, res: Response) => {
    try {
      respond(res, await handler(String(req.params.token)));
    } catch (error) {
      pageFailed(req, res, error);
    }
  };
  /** A form posted to a secure page: every field a plain string (a crafted `a[b]=1` is named and refused), then its handler. */
  const postPage = (handler: (token: string, fields: Record<string, string>, visitor: Visitor) => Promise<PageResponse>, alsoLimit?: LimitName) => async (req: Request, res: Response) => {
    const parsed = formFieldsSchema.safeParse(req.body && typeof req.body === 'object' ? req.body : {});
    if (!parsed.success) {
      const locale = pageLocale(req);
      const t = i18n.getFixedT(locale);
      const field = String(parsed.error.issues[0]?.path[0] ?? '?');
      respond(res, securePage(t, locale, { title: t('pages:malformed.title'), paragraphs: [t('pages:malformed.text', { field })], status: 400 }));
      return;
    }
    try {
      await limit('page', clientOf(req));
      if (alsoLimit) await limit(alsoLimit, clientOf(req));
      respond(res, await handler(String(req.params.token), parsed.data, visitorOf(req)));
    } catch (error) {
      pageFailed(req, res, error);
    }
  };
  const si = deps.signInPages;
  server.get('/compte/connexion/:token', showPage((token) => si.show(token)));
  server.post('/compte/connexion/:token', form, postPage((token, f, v) => si.submitCredentials(token, f, v)));
  server.post('/compte/connexion/:token/mot-de-passe', form, postPage((token, f, v) => si.submitPassword(token, f, v)));
  server.get('/compte/connexion/:token/oubli', showPage((token) => si.showForgot(token)));
  // A mail to a mailbox: the network's share of credentials mails, as in the chat.
  server.post('/compte/connexion/:token/oubli', form, postPage((token, f) => si.submitForgot(token, f), 'registrationNetwork'));
  const desk = deps.deskPages;
  server.get('/compte/bureau/connexion/:token', showPage((token) => desk.showSignIn(token)));
  server.post('/compte/bureau/connexion/:token', form, postPage((token, f, v) => desk.submitSignIn(token, f, v)));
  server.get('/compte/bureau/activation/:token', showPage((token) => desk.showActivation(token)));
  server.post('/compte/bureau/activation/:token', form, postPage((token, f) => desk.submitActivation(token, f)));
  const mm = deps.medimailPages;
  server.get('/compte/medimail/mot-de-passe/:token', showPage((token) => mm.showPassword(token)));
  server.post('/compte/medimail/mot-de-passe/:token', form, postPage((token, f, v) => mm.submitPassword(token, f, v)));
  server.get('/compte/medimail/confirmation/:token', showPage((token) => mm.showConfirm(token)));
  server.post('/compte/medimail/confirmation/:token', form, postPage((token, _f, v) => mm.confirm(token, v)));
  server.get('/compte/medimail/connexion/:token', showPage((token) => mm.showSignIn(token)));
  server.post('/compte/medimail/connexion/:token', form, postPage((token, f) => mm.submitSignIn(token, f)));
  server.post('/compte/medimail/connexion/:token/code', form, postPage((token, f) => mm.submitOtp(token, f)));
  server.post('/compte/medimail/connexion/:token/cgu', form, postPage((token, f, v) => mm.submitCgu(token, f, v)));
  const sendFile = (get: (token: string) => Promise<FileResponse>) => async (req: Request, res: Response) => {
    try {
      await limit('page', clientOf(req));
      const file = await get(String(req.params.token));
      const body = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : Buffer.from(file.body);
      res.writeHead(file.status, {
        'content-type': file.contentType,
        'content-length': body.length,
        'cache-control': 'no-store',
        ...(file.filename ? { 'content-disposition': `${file.download ? 'attachment' : 'inline'}; filename="${file.filename}"` } : {}),
        // A file to save is never a page: even opened, it runs nothing and loads nothing.
        ...(file.download ? { 'content-security-policy': "sandbox; default-src 'none'", 'x-content-type-options': 'nosniff' } : {}),
      });
      res.end(body);
    } catch (error) {
      pageFailed(req, res, error);
    }
  };
  server.get('/compte/attestation/:token', sendFile((token) => deps.attestationPage.get(token)));
  server.get('/compte/donnees/:token', sendFile((token) => deps.dataExportPage.get(token)));
  server.get('/compte/bureau/document/:token', sendFile((token) => deps.documentPage.get(token)));

  // ---- health ----
  // Load balancers probe with HEAD as often as with GET: both answer, HEAD without a body.
  const healthz = async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  };
  const readyz = async (_req: Request, res: Response) => {
    const ready = await deps.isReady();
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'database unreachable' });
  };
  server.get('/healthz', healthz);
  server.head('/healthz', healthz);
  server.get('/readyz', readyz);
  server.head('/readyz', readyz);

  // ---- development mail page ----
  // It shows temporary passwords and codes: only to a browser on this machine, never through a proxy.
  const mailbox = deps.mailbox;
  if (mailbox) {
    const fromThisMachine = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      if (isLoopback(req.socket.remoteAddress) && !req.header('x-forwarded-for') && !req.header('forwarded')) return handler(req, res);
      const t = i18n.getFixedT(pageLocale(req));
      sendHtml(res, `<p>${escapeHtml(t('pages:mail.localOnly'))}</p>`, 403);
    };
    server.get('/dev/mail', fromThisMachine(async (req: Request, res: Response) => {
      const locale = pageLocale(req);
      sendHtml(res, mailListPage(i18n.getFixedT(locale), locale, await mailbox.list()));
    }));
    server.get('/dev/mail/:id', fromThisMachine(async (req: Request, res: Response) => {
      const locale = pageLocale(req);
      const t = i18n.getFixedT(locale);
      const mail = await mailbox.get(String(req.params.id));
      if (!mail) sendHtml(res, `<p>${t('pages:mail.notFound')}</p>`, 404);
      else sendHtml(res, mailPage(t, locale, mail));
    }));
    server.get('/dev/mail/:id/html', fromThisMachine(async (req: Request, res: Response) => {
      const mail = await mailbox.get(String(req.params.id));
      if (!mail) return sendHtml(res, '', 404);
      // Shown inside the mail page only (this server's own frame), sandboxed, without scripts.
      res.setHeader('content-security-policy', "sandbox allow-popups allow-popups-to-escape-sandbox; script-src 'none'; frame-ancestors 'self'");
      res.setHeader('x-frame-options', 'SAMEORIGIN');
      sendHtml(res, mailHtml(mail));
    }));
  }

  // ---- Direct Line WebSocket streams ----
  const wss = new WebSocketServer({ noServer: true });
  server.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/.exec(url.pathname);
      const conversationId = match ? decodeURIComponent(match[1]) : undefined;
      const allowed = await limits.take('token', clientOf(req));
      if (!allowed.ok) {
        socket.end(`HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${Math.ceil((allowed.retryAt.getTime() - Date.now()) / 1000)}\r\n\r\n`);
        return;
      }
      if (!conversationId || !(await channel.authorizeStream(conversationId, url.searchParams.get('t') ?? undefined, cookieOf(req.headers.cookie, browserCookie)))) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => stream(ws, conversationId, url.searchParams.get('watermark') ?? undefined));
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'directline: stream upgrade failed');
      socket.destroy();
    });
  });

  /** Sends what the client missed since its watermark, then every new activity, in order, whichever instance stored it. */
  function stream(ws: WebSocket, conversationId: string, watermark: string | undefined): void {
    const stop = channel.follow(conversationId, watermark, (set) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(set));
    });
    const keepAlive = setInterval(() => ws.readyState === ws.OPEN && ws.ping(), 30_000);
    ws.on('close', () => {
      stop();
      clearInterval(keepAlive);
    });
    ws.on('error', () => ws.terminate());
  }

  return {
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => resolve((server.server.address() as AddressInfo).port));
      });
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A limit was reached: the request is answered 429, with when to retry. */
class RateLimited extends Error {
  constructor(
    readonly limit: LimitName,
    readonly retryAt: Date,
  ) {
    super(`rate limited: ${limit}`);
  }
}

/** The value of one cookie of a Cookie header, if it has it. */
function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/**
 * Headers of every answer (helmet): a Content-Security-Policy that Web Chat works under (its bundle
 * and start script from this server, its styles inline), no framing (a page where passwords are
 * typed is never shown inside another site), no referrer, HSTS on an https address.
 */
function securityHeaders(https: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        // blob: — Web Chat reads a file chosen for upload from its own blob: URL before posting it.
        connectSrc: ["'self'", 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
}

function sendHtml(res: Response, html: string, status = 200): void {
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, 'x-content-type-options': 'nosniff' });
  res.end(body);
}
