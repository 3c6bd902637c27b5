import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from './helpers/app';
import { startConnector } from './helpers/connector';
import { adaptiveCard, connect } from './helpers/directline';
import { waitFor } from './helpers/smtp';
import { pdfCharacters } from './helpers/pdf';
import { DURAND, throughAdminFile } from './helpers/registry';
import { createI18n } from '../src/i18n';
import { AttestationPage } from '../src/http/pages/attestationPage';
import { attestationPdf } from '../src/services/accreditation/attestation';
import { ATTESTATION_PURPOSE, SIGN_IN_PURPOSE } from '../src/services/identity/linkPurposes';
import type { App } from '../src/app';

// Issue #11, attacked from outside as a pen-tester would: nothing but HTTP, Direct Line and the pages.

let app: App;
let close: () => Promise<void>;
let connector: Awaited<ReturnType<typeof startConnector>>;
beforeAll(async () => {
  ({ app, close } = await startTestApp());
  connector = await startConnector('/emulator/');
});
afterAll(async () => {
  await close();
  await connector.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const form = (path: string, body: string) => fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
const emulated = (activity: Record<string, unknown>) =>
  post('/api/messages', { channelId: 'emulator', serviceUrl: connector.serviceUrl, recipient: { id: 'sesame' }, from: { id: 'attacker', role: 'user' }, conversation: { id: 'emu-1' }, locale: 'fr-FR', ...activity });

async function conversation(userId: string) {
  const session = await connect(app.url, { webSocket: false, userId });
  const welcome = await session.next((a) => Boolean(adaptiveCard(a)), 'the welcome card');
  const token = (session.client as unknown as { token: string }).token;
  return { session, id: welcome.conversation!.id, token };
}

describe('/api/messages in development (no credentials)', () => {
  it('names what is wrong with a malformed activity instead of failing inside (§14)', async () => {
    const typed = await post('/api/messages', { type: 123 });
    expect(typed.status).toBe(400);
    expect(await typed.json()).toEqual({ error: { code: 'BadArgument', message: 'Invalid activity: type must be a string, e.g. "message".' } });
    const text = await emulated({ type: 'message', text: 5 });
    expect(text.status).toBe(400);
    expect(JSON.stringify(await text.json())).toContain('text must be a string');
    const broken = await post('/api/messages', '{"type": "message",');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: { code: 'InvalidContent', message: 'The request body is not valid JSON.' } });
  });

  it('replies only to service URLs on this machine (§8: no SSRF)', async () => {
    const response = await emulated({ type: 'message', text: 'bonjour', serviceUrl: 'http://169.254.169.254/latest/' });
    expect(response.status).toBe(403);
    expect(JSON.stringify(await response.json())).toContain('only channels on this machine');
  });

  it('cannot act in a conversation of the local channel whose id it learnt (§8)', async () => {
    const { session, id } = await conversation('victim-1');
    const before = connector.recorded.length;
    const response = await post('/api/messages', { type: 'message', text: 'où en suis-je', channelId: 'directline', serviceUrl: connector.serviceUrl, conversation: { id }, from: { id: 'victim-1' }, recipient: { id: 'sesame' } });
    expect(response.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.recorded.length).toBe(before);
    session.end();
  });

  it("ignores Sésame's own events posted by a client, and a handoff answer no handoff asked for (§11)", async () => {
    const before = connector.recorded.length;
    expect((await emulated({ type: 'message', text: 'bonjour' })).status).toBe(200);
    await waitFor(() => connector.recorded.length > before, 10_000, 'the bot to answer the emulator');
    const afterHello = connector.recorded.length;
    expect((await emulated({ type: 'event', name: 'sesame.notice', value: { kind: 'medimail', status: 'VALIDATED' } })).status).toBe(200);
    expect((await emulated({ type: 'event', name: 'sesame.signedIn', value: { linkId: 'x' } })).status).toBe(200);
    expect((await emulated({ type: 'event', name: 'handoff.status', from: { id: 'agent-hub', role: 'channel' }, value: { state: 'accepted' } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const said = connector.recorded.slice(afterHello).map((r) => r.body.text ?? '').join(' ');
    expect(said).not.toMatch(/validé|conseiller a pris|connecté/i);
  });
});

describe('the local Direct Line channel', () => {
  it('refuses reserved events from a user, and names a non-string text (§11, §14)', async () => {
    const { session, id, token } = await conversation('client-1');
    const auth = { authorization: `Bearer ${token}` };
    const spoofed = await post(`/v3/directline/conversations/${id}/activities`, { type: 'event', name: 'sesame.notice', from: { id: 'client-1' }, value: { kind: 'medimail', status: 'VALIDATED' } }, auth);
    expect(spoofed.status).toBe(403);
    const handoff = await post(`/v3/directline/conversations/${id}/activities`, { type: 'event', name: 'handoff.status', from: { id: 'client-1' }, value: { state: 'accepted' } }, auth);
    expect(handoff.status).toBe(403);
    const typed = await post(`/v3/directline/conversations/${id}/activities`, { type: 'message', text: { evil: true }, from: { id: 'client-1' } }, auth);
    expect(typed.status).toBe(400);
    expect(await typed.json()).toEqual({ error: { code: 'BadArgument', message: 'Invalid activity: text must be a string.' } });
    session.end();
  });

  it('refuses a compressed body without reading it, and a body nested too deep (found by attacking Sésame)', async () => {
    const { gzipSync } = await import('node:zlib');
    const broken = await fetch(`${app.url}/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{"userId":"a"}' });
    expect(broken.status).toBe(415);
    expect(await broken.json()).toEqual({ error: { code: 'UnsupportedMediaType', message: 'Send the request body uncompressed (no Content-Encoding).' } });
    const bomb = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(20_000_000, ' ')) });
    expect(bomb.status).toBe(415);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const deep = await post('/api/messages', `{"type":"message","value":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(deep.status).toBe(400);
    expect(JSON.stringify(await deep.json())).toContain('nested deeper than 32 levels');
  });

  it('stores a lone surrogate as a replacement character, answers a 5,000-character message, refuses 1 MB (§14)', async () => {
    const { session, id, token } = await conversation('client-2');
    const auth = { authorization: `Bearer ${token}` };
    const lone = await post(`/v3/directline/conversations/${id}/activities`, `{"type":"message","from":{"id":"client-2"},"text":"bonjour \\ud800 ?"}`, auth);
    expect(lone.status).toBe(200);
    const stored = await app.db.directLineActivity.findMany({ where: { conversationId: id } });
    expect(stored.map((a) => a.body).join()).toContain('bonjour \ufffd ?');

    const long = 'a'.repeat(5000);
    expect((await post(`/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'client-2' }, text: long }, auth)).status).toBe(200);
    await session.next((a) => /5000 caractères/.test((a as { text?: string }).text ?? ''), 'the too-long answer');

    const huge = await post(`/v3/directline/conversations/${id}/activities`, { type: 'message', from: { id: 'client-2' }, text: 'a'.repeat(1_100_000) }, auth);
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ error: { code: 'PayloadTooLarge', message: 'The request body is larger than 1 MB.' } });
    session.end();
  });
});

describe('the secure pages', () => {
  it('parse every form field as plain text, and name the one that is not (§14)', async () => {
    const { token } = await app.services.links.create(SIGN_IN_PURPOSE, { channelId: 'directline', conversation: { id: 'c' } });
    const nested = await form(`/compte/connexion/${token}`, 'username[x]=1&password=a');
    expect(nested.status).toBe(400);
    const html = await nested.text();
    expect(html).toContain('le champ « username » n&#39;est pas un simple texte');
    expect(html).not.toMatch(/TypeError|trim is not a function|at .*\.ts/);
    const desk = await app.services.links.create('desk.signIn', { channelId: 'directline', conversation: { id: 'c' } });
    const array = await form(`/compte/bureau/connexion/${desk.token}`, 'email[]=a&password=b');
    expect(array.status).toBe(400);
    expect(await array.text()).toContain('« email »');
  });

  it('answer an unknown number like a known one, and give no more than four "tries left" to a crowd of guesses (§1, §12)', async () => {
    await app.services.registry.register({ ...DURAND, identifier: '10100555019', email: 'known@example.fr' });
    const page = async (username: string) => {
      const { token } = await app.services.links.create(SIGN_IN_PURPOSE, { channelId: 'directline', conversation: { id: 'c' } });
      const html = await (await form(`/compte/connexion/${token}`, `username=${username}&password=wrong`)).text();
      return html.replace(new RegExp(token, 'g'), 'TOKEN').replace(/value="\d+"/, 'value="N"');
    };
    expect(await page('10100555027')).toBe(await page('10100555019'));

    const { token } = await app.services.links.create(SIGN_IN_PURPOSE, { channelId: 'directline', conversation: { id: 'c' } });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => form(`/compte/connexion/${token}`, `username=10100555035&password=guess-${i}`).then((r) => r.text())));
    expect(answers.filter((a) => a.includes('Il vous reste')).length).toBeLessThanOrEqual(4);
    expect(answers.some((a) => a.includes("C'est fait"))).toBe(false);
  });

  it('« Mot de passe oublié » over HTTP: the same page for a known and an unknown number, no-store', async () => {
    await app.services.registry.register({ ...DURAND, identifier: '10100555084', email: 'forgot@example.fr' });
    const page = async (username: string) => {
      const { token } = await app.services.links.create(SIGN_IN_PURPOSE, { channelId: 'directline', conversation: { id: `forgot-${username}` } });
      const shown = await fetch(`${app.url}/compte/connexion/${token}/oubli`);
      expect(shown.status).toBe(200);
      const response = await form(`/compte/connexion/${token}/oubli`, `username=${username}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      return (await response.text()).replace(new RegExp(token, 'g'), 'TOKEN').replace(username, 'N');
    };
    expect(await page('10100555050')).toBe(await page('10100555084'));
  });

  it('send the headers of a page where passwords are typed: CSP, no framing, no referrer (§15)', async () => {
    const { token } = await app.services.links.create(SIGN_IN_PURPOSE, { channelId: 'directline', conversation: { id: 'c' } });
    for (const path of ['/', `/compte/connexion/${token}`]) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // The chat page runs no inline script: Web Chat starts from this server's own file.
    const chat = await (await fetch(app.url)).text();
    expect(chat).not.toMatch(/<script>(?!\s*<\/script>)/);
    expect(chat).toContain('<script src="webchat/start.js"></script>');
  });

  it('attestation: any name, and a failed PDF does not spend the link (§6)', async () => {
    const { accountId } = (await app.services.registry.register({ ...DURAND, identifier: '10100555043', lastName: 'Łukasiewicz-王', firstName: 'Ştefan Nguyễn', email: 'stefan@example.fr' })) as { accountId: string };
    const answers = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'yes' };
    await throughAdminFile(app.db, app.services.registry, accountId);
    await app.services.engagements.saveDraft(accountId, 0, answers);
    await app.services.engagements.send(accountId);
    const { account: expert } = await app.services.desk.create('EXPERT', 'expert@cfar.example', 'Paul Expert', ['cfar']);
    await app.services.engagements.decide(expert.id, accountId, 'ACCEPTED');

    const link = await app.services.links.create(ATTESTATION_PURPOSE, { locale: 'fr' }, 15, accountId);
    let failures = 1;
    const page = new AttestationPage(app.services.links, app.services.registry, app.services.engagements, await createI18n('fr'), (...args) => {
      if (failures-- > 0) return Promise.reject(new Error('disk full'));
      return attestationPdf(...args);
    });
    await expect(page.get(link.token)).rejects.toThrow('disk full');
    const second = await page.get(link.token);
    expect(second.status).toBe(200);
    expect((await page.get(link.token)).status).toBe(410);

    // Over HTTP, with the real builder.
    const other = await app.services.links.create(ATTESTATION_PURPOSE, { locale: 'fr' }, 15, accountId);
    const response = await fetch(`${app.url}/compte/attestation/${other.token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const drawn = await pdfCharacters(new Uint8Array(await response.arrayBuffer()));
    expect([...'Łukasiewicz-王Ştefan Nguyễn'.replace(/\s/g, '')].filter((c) => !drawn.has(c))).toEqual([]);
  });
});

describe('the development mail page', () => {
  it('opens only for a browser on this machine, never through a proxy (§8)', async () => {
    expect((await fetch(`${app.url}/dev/mail`)).status).toBe(200);
    const proxied = await fetch(`${app.url}/dev/mail`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(proxied.status).toBe(403);
    expect(await proxied.text()).toContain('ne s&#39;ouvre que depuis la machine');
  });
});

describe('rate limits at the edge (§9)', () => {
  let limited: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    limited = await startTestApp({ RATE_LIMIT_FACTOR: '1', TRUST_PROXY: '1' });
  });
  afterAll(async () => limited.close());
  const from = (address: string) => ({ 'x-forwarded-for': address, 'content-type': 'application/json' });
  /** A chat page's conversation, as a browser at that address gets it: its token and its cookie. */
  const pageSession = async (address: string, userId: string) => {
    const response = await fetch(`${limited.app.url}/webchat/token`, { method: 'POST', headers: from(address), body: JSON.stringify({ userId }) });
    return { session: (await response.json()) as { conversationId: string; token: string }, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] };
  };

  it('a client gets 20 conversations a minute, then 429 with Retry-After and a sentence; another client is not held back', async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 25; i++) {
      const response = await fetch(`${limited.app.url}/webchat/token`, { method: 'POST', headers: from('198.51.100.1'), body: JSON.stringify({ userId: `u-${i}` }) });
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refused!.json()) as unknown).toMatchObject({ error: { code: 'TooManyRequests', message: expect.stringMatching(/^Trop de demandes venues de votre connexion/) } });
    const other = await fetch(`${limited.app.url}/webchat/token`, { method: 'POST', headers: from('198.51.100.2'), body: JSON.stringify({ userId: 'u-x' }) });
    expect(other.status).toBe(200);
  });

  it("the chat page's token works only in its browser: copied off a shared computer, it reads, posts and refreshes nothing (found by attacking Sésame)", async () => {
    const { session, cookie } = await pageSession('198.51.100.11', 'u-shared');
    const url = `${limited.app.url}/v3/directline/conversations/${session.conversationId}/activities`;
    const elsewhere = { ...from('198.51.100.12'), authorization: `Bearer ${session.token}` };
    expect((await fetch(url, { headers: elsewhere })).status).toBe(403);
    expect((await fetch(url, { method: 'POST', headers: elsewhere, body: JSON.stringify({ type: 'typing' }) })).status).toBe(403);
    expect((await fetch(`${limited.app.url}/v3/directline/tokens/refresh`, { method: 'POST', headers: elsewhere })).status).toBe(403);
    expect((await fetch(url, { headers: { ...elsewhere, cookie } })).status).toBe(200);
  });

  it("nobody exhausts someone else's conversation: its own limits count only its holder's requests", async () => {
    const { session: victim, cookie } = await pageSession('198.51.100.8', 'u-victim');
    for (let i = 0; i < 35; i++) {
      const r = await fetch(`${limited.app.url}/v3/directline/conversations/${victim.conversationId}/activities`, { method: 'POST', headers: from('198.51.100.9'), body: JSON.stringify({ type: 'typing' }) });
      expect(r.status).toBe(403);
    }
    const own = await fetch(`${limited.app.url}/v3/directline/conversations/${victim.conversationId}/activities`, {
      method: 'POST',
      headers: { ...from('198.51.100.8'), authorization: `Bearer ${victim.token}`, cookie },
      body: JSON.stringify({ type: 'typing', from: { id: 'u-victim' } }),
    });
    expect(own.status).toBe(200);
  });

  it('behind a proxy, a client flooding stream upgrades is limited by its own forwarded address, not everyone (found by attacking Sésame)', async () => {
    const { default: WebSocket } = await import('ws');
    const upgrade = (address: string, path: string, cookie = '') =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${limited.app.url.replace('http', 'ws')}${path}`, { headers: { 'x-forwarded-for': address, cookie } });
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => resolve(0));
      });
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push(await upgrade('203.0.113.66', '/v3/directline/conversations/nothing/stream?t=bogus'));
    expect(statuses.at(-1)).toBe(429);
    const { session: other, cookie } = await pageSession('198.51.100.10', 'u-ws');
    expect(await upgrade('198.51.100.10', `/v3/directline/conversations/${other.conversationId}/stream?t=${other.token}`, cookie)).toBe(101);
  });

  it('a conversation posts 30 messages a minute; the secure pages take 60 forms per quarter hour per client', async () => {
    const { session: started, cookie } = await pageSession('198.51.100.3', 'u-typist');
    const headers = { ...from('198.51.100.3'), authorization: `Bearer ${started.token}`, cookie };
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) {
      const r = await fetch(`${limited.app.url}/v3/directline/conversations/${started.conversationId}/activities`, { method: 'POST', headers, body: JSON.stringify({ type: 'typing', from: { id: 'u-typist' } }) });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429]);

    const pages: number[] = [];
    for (let i = 0; i < 62; i++) {
      const r = await fetch(`${limited.app.url}/compte/connexion/unknown-token-${'x'.repeat(20)}`, { method: 'POST', headers: { 'x-forwarded-for': '198.51.100.4', 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=1&password=2' });
      pages.push(r.status);
      if (r.status === 429) expect(await r.text()).toContain('Réessayez dans');
    }
    expect(pages.filter((s) => s === 429)).toHaveLength(2);
  });
});
