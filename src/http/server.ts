import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import restify, { type Request, type Response } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { i18n as I18n } from 'i18next';
import type { Logger } from '../logger';
import type { Locale } from '../i18n';
import type { CaughtMailbox } from '../services/mail/smtpCatcher';
import { DirectLineChannel, DirectLineError, tokenRequestSchema, type ActivitySet } from './directline/channel';
import { mailHtml, mailListPage, mailPage } from './pages/mailPages';
import { webchatPage } from './pages/webchatPage';
import type { PageResponse, SignInPages } from './pages/signInPages';
import { securePage, type Visitor } from './pages/secretForms';
import type { DeskPages } from './pages/deskPages';
import type { AttestationPage } from './pages/attestationPage';
import type { MedimailPages } from './pages/medimailPages';

/**
 * The only file that knows restify. Routes:
 *   POST /api/messages                  Bot Framework channels (CloudAdapter)
 *   /v3/directline/*                    local Direct Line 3.0 channel (+ WebSocket stream)
 *   POST /v3/conversations/{id}/...     connector routes the bot replies to (loopback only)
 *   GET  /                              Web Chat page;  POST /webchat/token: its token
 *   GET  /healthz /readyz               liveness, readiness
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
  medimailPages: MedimailPages;
  /** The public address is https: cookies are Secure and __Host- prefixed. */
  secureCookies: boolean;
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

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** What a secure page's form may post: named fields, each a plain string of reasonable length. */
const formFieldsSchema = z.record(z.string(), z.string().max(4000));

export function createHttpServer(deps: ServerDeps): HttpServer {
  const { logger, adapter, bot, channel, i18n } = deps;
  const server = restify.createServer({ name: 'sesame', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // restify's body reader honours maxBodySize; its typings omit it from the JSON parser's options.
  const bodyOptions = { mapParams: false, maxBodySize: 1024 * 1024 };
  server.use(restify.plugins.jsonBodyParser(bodyOptions));

  // One JSON line per request: method, route, status, duration. Never the query string (tokens).
  server.on('after', (req: Request, res: Response) => {
    logger.info(
      { event: 'request', method: req.method, route: req.getRoute()?.path ?? req.getPath(), status: res.statusCode, durationMs: Date.now() - req.time() },
      'request',
    );
  });

  const pageLocale = (req: Request): Locale => (req.query?.lang === 'en' ? 'en' : req.query?.lang === 'fr' ? 'fr' : deps.defaultLocale);
  const auth = (req: Request) => req.header('authorization') || undefined;
  const fail = (res: Response, error: unknown) => {
    if (error instanceof DirectLineError) {
      res.send(error.status, { error: { code: error.code, message: error.message } });
      return;
    }
    logger.error({ err: error }, 'request failed');
    res.send(500, { error: { code: 'ServiceError', message: 'Internal error' } });
  };
  const json = (handler: (req: Request) => Promise<unknown>, status = 200) => async (req: Request, res: Response) => {
    try {
      res.send(status, await handler(req));
    } catch (error) {
      fail(res, error);
    }
  };

  // ---- Bot Framework ----
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });

  // ---- local Direct Line 3.0 ----
  server.post('/v3/directline/tokens/generate', json(async (req) => {
    if (!(await channel.mayStart(auth(req)))) throw new DirectLineError(403, 'BadArgument', 'A valid Direct Line secret is required.');
    const parsed = tokenRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new DirectLineError(400, 'BadArgument', 'Invalid token request.');
    const { resumeKey: _kept, ...info } = await channel.generateToken(parsed.data);
    return info;
  }));
  server.post('/v3/directline/tokens/refresh', json((req) => channel.refreshToken(auth(req))));
  server.post('/v3/directline/conversations', json((req) => channel.startConversation(auth(req)), 201));
  server.get('/v3/directline/conversations/:conversationId', json((req) =>
    channel.reconnect(auth(req), req.params.conversationId, typeof req.query?.watermark === 'string' ? req.query.watermark : undefined),
  ));
  server.post('/v3/directline/conversations/:conversationId/activities', json((req) => channel.postActivity(auth(req), req.params.conversationId, req.body)));
  server.get('/v3/directline/conversations/:conversationId/activities', json((req) =>
    channel.getActivities(auth(req), req.params.conversationId, typeof req.query?.watermark === 'string' ? req.query.watermark : undefined),
  ));

  // ---- connector routes: the bot's replies to Direct Line conversations ----
  const fromBot = json(async (req) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) throw new DirectLineError(403, 'Forbidden', 'Connector routes accept only this server.');
    return channel.receiveFromBot(req.params.conversationId, req.body ?? {}, req.params.activityId);
  });
  server.post('/v3/conversations/:conversationId/activities', fromBot);
  server.post('/v3/conversations/:conversationId/activities/:activityId', fromBot);
  server.del(
    '/v3/conversations/:conversationId/activities/:activityId',
    json(async (req) => {
      if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) throw new DirectLineError(403, 'Forbidden', 'Connector routes accept only this server.');
      await channel.deleteFromBot(req.params.conversationId, req.params.activityId);
      return {};
    }),
  );

  // ---- the chat page ----
  server.get('/', async (req: Request, res: Response) => {
    const locale = pageLocale(req);
    sendHtml(res, webchatPage(i18n.getFixedT(locale), locale));
  });
  let bundle: Buffer | undefined;
  server.get('/webchat/webchat.js', async (_req: Request, res: Response) => {
    // The full offline bundle; the package's "exports" hide dist/, so resolve from its main file.
    bundle ??= fs.readFileSync(path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js'));
    res.writeHead(200, { 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600', 'content-length': bundle.length });
    res.end(bundle);
  });
  // The chat page's browser gets a key of its own (an HttpOnly cookie): a secure page opened in
  // this same browser is recognised as the chat's and skips its code; any other browser must type it.
  const browserCookie = deps.secureCookies ? '__Host-sesame_browser' : 'sesame_browser';
  server.post('/webchat/token', async (req: Request, res: Response) => {
    try {
      const parsed = pageTokenSchema.safeParse(req.body ?? {});
      if (!parsed.success) throw new DirectLineError(400, 'BadArgument', 'Invalid token request: userId (letters, digits, - or _), optional locale, conversationId and resumeKey.');
      const { userId, locale, conversationId, resumeKey } = parsed.data;
      let browserKey = readCookie(req, browserCookie);
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
      fail(res, error);
    }
  });

  // The privacy and terms pages the Teams manifest points to.
  for (const [route, key] of [['/confidentialite', 'privacy'], ['/conditions', 'terms']] as const) {
    server.get(route, async (req: Request, res: Response) => {
      const locale = pageLocale(req);
      const t = i18n.getFixedT(locale);
      sendHtml(res, securePage(t, locale, { title: t(`pages:${key}.title`), paragraphs: t(`pages:${key}.body`, { returnObjects: true }) as string[] }).html);
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
    const key = readCookie(req, browserCookie);
    return { isChatBrowser: (reference) => channel.isChatBrowser(reference, key) };
  };
  const pageFailed = (req: Request, res: Response, error: unknown) => {
    logger.error({ err: error, route: req.getRoute()?.path }, 'secure page failed');
    const locale = pageLocale(req);
    const t = i18n.getFixedT(locale);
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
  const postPage = (handler: (token: string, fields: Record<string, string>, visitor: Visitor) => Promise<PageResponse>) => async (req: Request, res: Response) => {
    const parsed = formFieldsSchema.safeParse(req.body && typeof req.body === 'object' ? req.body : {});
    if (!parsed.success) {
      const locale = pageLocale(req);
      const t = i18n.getFixedT(locale);
      const field = String(parsed.error.issues[0]?.path[0] ?? '?');
      respond(res, securePage(t, locale, { title: t('pages:malformed.title'), paragraphs: [t('pages:malformed.text', { field })], status: 400 }));
      return;
    }
    try {
      respond(res, await handler(String(req.params.token), parsed.data, visitorOf(req)));
    } catch (error) {
      pageFailed(req, res, error);
    }
  };
  const si = deps.signInPages;
  server.get('/compte/connexion/:token', showPage((token) => si.show(token)));
  server.post('/compte/connexion/:token', form, postPage((token, f, v) => si.submitCredentials(token, f, v)));
  server.post('/compte/connexion/:token/mot-de-passe', form, postPage((token, f, v) => si.submitPassword(token, f, v)));
  const desk = deps.deskPages;
  server.get('/compte/bureau/connexion/:token', showPage((token) => desk.showSignIn(token)));
  server.post('/compte/bureau/connexion/:token', form, postPage((token, f, v) => desk.submitSignIn(token, f, v)));
  server.get('/compte/bureau/activation/:token', showPage((token) => desk.showActivation(token)));
  server.post('/compte/bureau/activation/:token', form, postPage((token, f) => desk.submitActivation(token, f)));
  const mm = deps.medimailPages;
  server.get('/compte/medimail/mot-de-passe/:token', showPage((token) => mm.showPassword(token)));
  server.post('/compte/medimail/mot-de-passe/:token', form, postPage((token, f, v) => mm.submitPassword(token, f, v)));
  server.get('/compte/medimail/confirmation/:token', async (req: Request, res: Response) => {
    try {
      respond(res, await mm.confirm(String(req.params.token), visitorOf(req)));
    } catch (error) {
      pageFailed(req, res, error);
    }
  });
  server.get('/compte/medimail/connexion/:token', showPage((token) => mm.showSignIn(token)));
  server.post('/compte/medimail/connexion/:token', form, postPage((token, f) => mm.submitSignIn(token, f)));
  server.post('/compte/medimail/connexion/:token/code', form, postPage((token, f) => mm.submitOtp(token, f)));
  server.post('/compte/medimail/connexion/:token/cgu', form, postPage((token, f, v) => mm.submitCgu(token, f, v)));
  server.get('/compte/attestation/:token', async (req: Request, res: Response) => {
    const file = await deps.attestationPage.get(req.params.token);
    const body = typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : Buffer.from(file.body);
    res.writeHead(file.status, {
      'content-type': file.contentType,
      'content-length': body.length,
      'cache-control': 'no-store',
      ...(file.filename ? { 'content-disposition': `inline; filename="${file.filename}"` } : {}),
    });
    res.end(body);
  });

  // ---- health ----
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req: Request, res: Response) => {
    const ready = await deps.isReady();
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'database unreachable' });
  });

  // ---- development mail page ----
  const mailbox = deps.mailbox;
  if (mailbox) {
    server.get('/dev/mail', async (req: Request, res: Response) => {
      const locale = pageLocale(req);
      sendHtml(res, mailListPage(i18n.getFixedT(locale), locale, await mailbox.list()));
    });
    server.get('/dev/mail/:id', async (req: Request, res: Response) => {
      const locale = pageLocale(req);
      const t = i18n.getFixedT(locale);
      const mail = await mailbox.get(String(req.params.id));
      if (!mail) sendHtml(res, `<p>${t('pages:mail.notFound')}</p>`, 404);
      else sendHtml(res, mailPage(t, locale, mail));
    });
    server.get('/dev/mail/:id/html', async (req: Request, res: Response) => {
      const mail = await mailbox.get(String(req.params.id));
      if (!mail) return sendHtml(res, '', 404);
      res.setHeader('content-security-policy', "sandbox allow-popups allow-popups-to-escape-sandbox; script-src 'none'");
      sendHtml(res, mailHtml(mail));
    });
  }

  // ---- Direct Line WebSocket streams ----
  const wss = new WebSocketServer({ noServer: true });
  server.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/.exec(url.pathname);
      const conversationId = match ? decodeURIComponent(match[1]) : undefined;
      if (!conversationId || !(await channel.authorizeStream(conversationId, url.searchParams.get('t') ?? undefined))) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => stream(ws, conversationId, url.searchParams.get('watermark') ?? undefined));
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'directline: stream upgrade failed');
      socket.destroy();
    });
  });

  /** Sends what the client missed since its watermark, then every new activity, in order. */
  function stream(ws: WebSocket, conversationId: string, watermark: string | undefined): void {
    let last = Number.parseInt(watermark ?? '-1', 10);
    if (!Number.isFinite(last)) last = -1;
    let backlogSent = false;
    const pending: ActivitySet[] = [];
    const push = (set: ActivitySet) => {
      const seq = Number(set.watermark);
      if (seq <= last || ws.readyState !== ws.OPEN) return;
      last = seq;
      ws.send(JSON.stringify(set));
    };
    const unsubscribe = channel.subscribe(conversationId, (set) => (backlogSent ? push(set) : pending.push(set)));
    const keepAlive = setInterval(() => ws.readyState === ws.OPEN && ws.ping(), 30_000);
    ws.on('close', () => {
      unsubscribe();
      clearInterval(keepAlive);
    });
    ws.on('error', () => ws.terminate());
    void channel.activitiesSince(conversationId, String(last)).then((backlog) => {
      if (backlog.activities.length > 0) push(backlog);
      backlogSent = true;
      pending.splice(0).forEach(push);
    });
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

/** The value of one cookie of the request, if it has it. */
function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

function sendHtml(res: Response, html: string, status = 200): void {
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, 'x-content-type-options': 'nosniff' });
  res.end(body);
}
