import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { testDatabaseUrl, tempDir } from './helpers/db';
import { freePort } from './helpers/net';
import { SmtpSink, waitFor } from './helpers/smtp';
import { startConnector } from './helpers/connector';

// Issue #11 §2: the whole server in production mode, with Bot Framework credentials, started as
// `npm start` starts it. No internet here: only what reaches Microsoft's login endpoints is stubbed
// (test/helpers/microsoftStub.ts sends it to the stand-in below); everything else is the real thing.

const root = path.resolve(__dirname, '..');
const dir = tempDir();
// A file in `dir`, or a PostgreSQL database of its own (SESAME_TEST_DB=postgres).
const database = testDatabaseUrl(dir);
const appId = '6f1c2b9e-0000-4000-8000-00000000b07a';
const tenantId = '72f988bf-0000-4000-8000-0000000000aa';
const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'stub-key-1';
const issued: string[] = [];

let child: ChildProcess | undefined;
let stderr = '';
let microsoft: http.Server;
let sink: SmtpSink;
let connector: Awaited<ReturnType<typeof startConnector>>;
let base: string;

/** What Microsoft's login endpoints answer: the channel's OpenID metadata and keys, and a bot token. */
function microsoftStandIn(req: http.IncomingMessage, res: http.ServerResponse): void {
  const host = String(req.headers['x-stubbed-host']);
  const url = req.url ?? '';
  const json = (body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  req.resume();
  req.on('end', () => {
    if (host === 'login.botframework.com' && url.includes('openidconfiguration')) {
      return json({ issuer: 'https://api.botframework.com', jwks_uri: 'https://login.botframework.com/v1/.well-known/keys', id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (host === 'login.botframework.com' && url.includes('keys')) {
      return json({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
    }
    const authority = `https://login.microsoftonline.com/${tenantId}`;
    if (url.includes('discovery/instance')) {
      return json({ tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com'] }] });
    }
    if (url.includes('openid-configuration')) {
      return json({
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
      });
    }
    if (url.includes('/oauth2/v2.0/token')) {
      const token = `stub-bot-token-${issued.length + 1}`;
      issued.push(token);
      return json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    res.writeHead(404).end();
  });
}

/** A token as the Bot Framework channel service signs it for this bot. */
function channelToken(serviceUrl: string): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode({ iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600 })}`;
  return `${unsigned}.${crypto.sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

beforeAll(async () => {
  microsoft = http.createServer(microsoftStandIn);
  await new Promise<void>((r) => microsoft.listen(0, '127.0.0.1', () => r()));
  sink = new SmtpSink();
  await sink.start();
  connector = await startConnector('/teams/');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', '--import', './test/helpers/microsoftStub.ts', 'src/index.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://sesame.example.fr',
      DATABASE_URL: (await database).url, DATA_DIR: dir,
      SMTP_URL: sink.url,
      SERVICE_CENTRE_EMAIL: 'centre@esante-occitanie.example',
      SECRETS_KEY: crypto.randomBytes(32).toString('base64'),
      MicrosoftAppId: appId,
      MicrosoftAppPassword: 'a-client-secret-for-the-stub',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: tenantId,
      MICROSOFT_STUB_PORT: String((microsoft.address() as AddressInfo).port),
      RATE_LIMIT_FACTOR: '20',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok, 30_000, 'the production server to be ready');
}, 60_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await new Promise<void>((r) => microsoft.close(() => r()));
  await sink.stop();
  await connector.close();
  await (await database).drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Activity = { id: string; type: string; text?: string; from: { role?: string }; attachments?: { content: { body: { text?: string }[] } }[] };

describe('in production, with Bot Framework credentials', () => {
  it('Web Chat on the local channel is welcomed and answered', async () => {
    const started = await fetch(`${base}/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'u-prod' }) });
    const session = (await started.json()) as { conversationId: string; token: string };
    const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0];
    const headers = { authorization: `Bearer ${session.token}`, 'content-type': 'application/json', cookie };
    await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers });
    const activities = async () =>
      ((await (await fetch(`${base}/v3/directline/conversations/${session.conversationId}/activities`, { headers })).json()) as { activities: Activity[] }).activities;
    const welcome = await waitFor(async () => (await activities()).find((a) => a.attachments?.[0]?.content.body.some((b) => b.text === 'Bonjour, je suis Sésame')), 20_000, `the welcome (stderr: ${stderr.slice(-500)})`);
    expect(welcome).toBeTruthy();
    await fetch(`${base}/v3/directline/conversations/${session.conversationId}/activities`, { method: 'POST', headers, body: JSON.stringify({ type: 'message', from: { id: 'u-prod' }, text: 'aide' }) });
    await waitFor(async () => (await activities()).some((a) => a.from.role === 'bot' && /aide|menu/i.test(a.text ?? '')), 15_000, 'the answer to "aide"');
    expect(stderr).not.toMatch(/Invalid appId/);
  });

  it('/api/messages takes a channel token signed by the Bot Framework, and answers with its own token', async () => {
    const activity = {
      type: 'message',
      id: 'teams-1',
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      conversation: { id: 'a:prod-conversation', conversationType: 'personal', tenantId },
      from: { id: '29:prod-user', name: 'Jean Durand', aadObjectId: 'aad-prod-user' },
      recipient: { id: `28:${appId}`, name: 'Sésame' },
      text: 'menu',
      locale: 'fr-FR',
      timestamp: new Date().toISOString(),
    };
    const refused = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(refused.status).toBe(401);
    const forged = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${channelToken('https://evil.example/')}` }, body: JSON.stringify(activity) });
    expect(forged.status).toBe(401);

    const before = connector.recorded.length;
    const accepted = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${channelToken(connector.serviceUrl)}` }, body: JSON.stringify(activity) });
    expect(accepted.status).toBe(200);
    const reply = await waitFor(() => connector.recorded.slice(before).find((r) => r.method === 'POST' && r.body.type === 'message'), 20_000, `the bot's reply (stderr: ${stderr.slice(-500)})`);
    expect(reply.path).toContain('/teams/v3/conversations/a%3Aprod-conversation/activities');
    expect(reply.headers.authorization).toMatch(/^Bearer stub-bot-token-\d+$/);
  });

  it('keeps its production guards: connector routes need the key, no mail page, HSTS on', async () => {
    const injected = await fetch(`${base}/v3/conversations/any/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'x' }) });
    expect(injected.status).toBe(401);
    expect((await fetch(`${base}/dev/mail`)).status).toBe(404);
    const page = await fetch(base);
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(page.headers.get('set-cookie') ?? '').toBe('');
    const token = await fetch(`${base}/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'u-cookie' }) });
    expect(token.headers.get('set-cookie')).toMatch(/^__Host-sesame_browser=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
  });
});
