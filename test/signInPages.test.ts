import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecureLinks } from '../src/services/identity/secureLinks';
import { SignInPages } from '../src/http/pages/signInPages';
import { ELSEWHERE, type Visitor } from '../src/http/pages/secretForms';
import { SIGN_IN_PURPOSE } from '../src/services/identity/linkPurposes';
import { createI18n } from '../src/i18n';
import { tempDatabase } from './helpers/db';
import { DURAND, registryWithMail } from './helpers/registry';
import type { Db } from '../src/services/db/database';
import { RateLimits } from '../src/services/rateLimits';

let db: Db;
let cleanup: () => Promise<void>;
let env: Awaited<ReturnType<typeof registryWithMail>>;
const clock = { now: new Date('2026-03-12T13:02:00Z') };
const reference = { channelId: 'directline', conversation: { id: 'conv-A' }, locale: 'fr' };
/** The browser that holds the chat, and any other. */
const CHAT: Visitor = { isChatBrowser: async () => true };
let completed: string[];
let pages: SignInPages;
let links: SecureLinks;

beforeEach(async () => {
  ({ db, cleanup } = await tempDatabase());
  clock.now = new Date('2026-03-12T13:02:00Z');
  env = await registryWithMail(db, clock);
  links = new SecureLinks(db, env.outbox.secrets, () => clock.now);
  completed = [];
  pages = new SignInPages(env.registry, links, await createI18n('fr'), async (linkId, _reference, needsCode) => {
    completed.push(needsCode ? `${linkId} (code)` : linkId);
  }, new RateLimits(db, { store: 'memory', factor: 1 }));
});
afterEach(async () => {
  await env.close();
  await cleanup();
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ');

describe('secure sign-in page', () => {
  it('a link works once, for 15 minutes, and hands the sign-in to its own conversation only, once', async () => {
    await env.registry.register(DURAND);
    const temp = await env.lastTemporaryPassword();
    const { id, token } = await links.create(SIGN_IN_PURPOSE, reference);
    expect((await pages.show(token)).status).toBe(200);
    const step = await pages.submitCredentials(token, { username: '10100326494', password: temp }, CHAT);
    expect(text(step.html)).toContain('Choisissez votre mot de passe personnel');
    const done = await pages.submitPassword(token, { password: 'le chat dort au soleil', confirmation: 'le chat dort au soleil' }, CHAT);
    expect(text(done.html)).toContain("C'est fait");
    expect(completed).toEqual([id]);
    expect((await pages.show(token)).status).toBe(410);

    expect(await links.consume(id, 'conv-B')).toBeUndefined();
    expect(await links.consume(id, 'conv-A')).toBeTruthy();
    expect(await links.consume(id, 'conv-A')).toBeUndefined();

    const late = await links.create(SIGN_IN_PURPOSE, reference);
    clock.now = new Date('2026-03-12T13:17:01Z');
    const expired = await pages.show(late.token);
    expect(expired.status).toBe(410);
    expect(text(expired.html)).toContain("n'est plus valable");
  });

  it("done in another browser than the chat's, the page shows a code: only typed in the asking conversation does it sign in", async () => {
    await env.registry.register(DURAND);
    const temp = await env.lastTemporaryPassword();
    const { id, token } = await links.create(SIGN_IN_PURPOSE, reference);
    await pages.submitCredentials(token, { username: '10100326494', password: temp }, ELSEWHERE);
    const page = await pages.submitPassword(token, { password: 'le chat dort au soleil', confirmation: 'le chat dort au soleil' }, ELSEWHERE);
    expect(text(page.html)).toContain('écrivez ce code dans la conversation');
    const code = /class="code"[^>]*>(\d{3}) (\d{3})</.exec(page.html)!.slice(1).join('');
    expect(completed).toEqual([`${id} (code)`]);
    // The conversation cannot take the sign-in before the code is typed there.
    expect(await links.consume(id, 'conv-A')).toBeUndefined();
    // Typed in another conversation: nothing to verify there.
    expect(await links.verifyCode('directline/conv-B', code)).toEqual({ status: 'none' });
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await links.verifyCode('directline/conv-A', wrong)).toEqual({ status: 'wrong', remaining: 4 });
    expect(await links.verifyCode('directline/conv-A', code)).toEqual({ status: 'ok', linkId: id, purpose: SIGN_IN_PURPOSE });
    expect(await links.consume(id, 'conv-A')).toBeTruthy();
    // Five wrong codes spend it; a code is good for 10 minutes.
    const other = await links.create(SIGN_IN_PURPOSE, reference);
    const again = await pages.submitCredentials(other.token, { username: '10100326494', password: 'le chat dort au soleil' }, ELSEWHERE);
    const code2 = /class="code"[^>]*>(\d{3}) (\d{3})</.exec(again.html)!.slice(1).join('');
    const wrong2 = code2 === '000000' ? '111111' : '000000';
    for (const remaining of [4, 3, 2, 1, 0]) expect(await links.verifyCode('directline/conv-A', wrong2)).toEqual({ status: 'wrong', remaining });
    expect(await links.verifyCode('directline/conv-A', code2)).toEqual({ status: 'none' });
  });

  it('a link takes a few attempts, then is spent', async () => {
    await env.registry.register(DURAND);
    const { token } = await links.create(SIGN_IN_PURPOSE, reference);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => pages.submitCredentials(token, { username: `1010032649${i % 10}`, password: 'faux' }, CHAT)));
    expect(answers.filter((a) => a.status === 429)).toHaveLength(20);
    expect(text(answers.find((a) => a.status === 429)!.html)).toContain('Trop d\'essais sur ce lien');
  });

  it('says plainly when the account is locked, until when, and what to do', async () => {
    await env.registry.register(DURAND);
    const { token } = await links.create(SIGN_IN_PURPOSE, reference);
    let page = await pages.submitCredentials(token, { username: '10100326494', password: 'faux' }, CHAT);
    expect(text(page.html)).toContain('Il vous reste 4 essais avant un blocage de 15 minutes');
    for (let i = 0; i < 4; i += 1) page = await pages.submitCredentials(token, { username: '10100326494', password: 'faux' }, CHAT);
    expect(text(page.html)).toContain('bloquée pendant 15 minutes, jusqu\'à 14 h 17');
    expect(text(page.html)).toContain("Je n'ai pas reçu le mail");
  });

  it('an expired temporary password says how to get a new one', async () => {
    await env.registry.register(DURAND);
    const temp = await env.lastTemporaryPassword();
    clock.now = new Date('2026-03-20T08:00:00Z');
    const { token } = await links.create(SIGN_IN_PURPOSE, reference);
    const page = await pages.submitCredentials(token, { username: '10100326494', password: temp }, CHAT);
    expect(text(page.html)).toContain('Ce mot de passe temporaire a expiré (il est valable 7 jours)');
  });

  it('never echoes the password back into the page', async () => {
    await env.registry.register(DURAND);
    const { token } = await links.create(SIGN_IN_PURPOSE, reference);
    const page = await pages.submitCredentials(token, { username: '10100326494', password: 'mon-secret-tape' }, CHAT);
    expect(page.html).not.toContain('mon-secret-tape');
    expect(page.html).toContain('value="10100326494"');
  });

  it('« Mot de passe oublié » mails a new temporary password to the request, answers the same for an unknown number, and follows the resend rules', async () => {
    await env.registry.register(DURAND);
    const first = await env.lastTemporaryPassword();
    const { token } = await links.create(SIGN_IN_PURPOSE, reference);
    await pages.submitCredentials(token, { username: '10100326494', password: first }, CHAT);
    await pages.submitPassword(token, { password: 'le chat dort au soleil', confirmation: 'le chat dort au soleil' }, CHAT);
    await env.outbox.drain();
    const mailsBefore = env.sink.mails.length;

    const { token: again } = await links.create(SIGN_IN_PURPOSE, reference);
    expect((await pages.show(again)).html).toContain(`/compte/connexion/${again}/oubli`);
    expect(text((await pages.showForgot(again)).html)).toContain('Mot de passe oublié');
    const letters = await pages.submitForgot(again, { username: 'Durand' });
    expect(letters.status).toBe(400);
    expect(text(letters.html)).toContain("n'est pas votre nom de famille");

    const known = await pages.submitForgot(again, { username: '101 003 264 94' });
    const unknown = await pages.submitForgot(again, { username: '10100555035' });
    expect(known.status).toBe(200);
    expect(text(known.html).replace('10100326494', 'N')).toBe(text(unknown.html).replace('10100555035', 'N'));
    const temp = await env.lastTemporaryPassword();
    expect(env.sink.mails).toHaveLength(mailsBefore + 1);
    expect(JSON.stringify(env.sink.mails.at(-1)!.to)).toContain('jean.durand@example.fr');
    expect(temp).not.toBe(first);

    // The personal password still works; the temporary one leads to a new personal password.
    expect((await env.registry.signIn('10100326494', 'le chat dort au soleil')).status).toBe('ok');
    const { token: third } = await links.create(SIGN_IN_PURPOSE, reference);
    const step = await pages.submitCredentials(third, { username: '10100326494', password: temp }, CHAT);
    expect(text(step.html)).toContain('Choisissez votre mot de passe personnel');

    // Three an hour per request (the resend's rule), and the answer does not change.
    const { token: fourth } = await links.create(SIGN_IN_PURPOSE, { ...reference, conversation: { id: 'conv-C' } });
    for (let i = 0; i < 3; i += 1) expect((await pages.submitForgot(fourth, { username: '10100326494' })).status).toBe(200);
    await env.outbox.drain();
    const sent = env.sink.mails.length;
    const beyond = await pages.submitForgot(fourth, { username: '10100326494' });
    expect(text(beyond.html).replace('10100326494', 'N')).toBe(text(unknown.html).replace('10100555035', 'N'));
    await env.outbox.drain();
    expect(env.sink.mails).toHaveLength(sent);
  });

  it('« Mot de passe oublié »: five an hour from one conversation, then until when', async () => {
    const { token } = await links.create(SIGN_IN_PURPOSE, reference);
    for (let i = 0; i < 5; i += 1) expect((await pages.submitForgot(token, { username: `1010055503${i}` })).status).toBe(200);
    const refused = await pages.submitForgot(token, { username: '10100555035' });
    expect(refused.status).toBe(400);
    expect(text(refused.html)).toContain("plusieurs envois dans l'heure");
    const expired = await pages.submitForgot('x'.repeat(30), { username: '10100326494' });
    expect(expired.status).toBe(410);
  });
});
