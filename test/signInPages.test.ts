import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecureLinks } from '../src/services/identity/secureLinks';
import { SignInPages } from '../src/http/pages/signInPages';
import { SIGN_IN_PURPOSE } from '../src/services/identity/linkPurposes';
import { createI18n } from '../src/i18n';
import { tempDatabase } from './helpers/db';
import { DURAND, registryWithMail } from './helpers/registry';
import type { Db } from '../src/services/db/database';

let db: Db;
let cleanup: () => Promise<void>;
let env: Awaited<ReturnType<typeof registryWithMail>>;
const clock = { now: new Date('2026-03-12T13:02:00Z') };
const reference = { conversation: { id: 'conv-A' }, locale: 'fr' };
let completed: string[];
let pages: SignInPages;
let links: SecureLinks;

beforeEach(async () => {
  ({ db, cleanup } = await tempDatabase());
  clock.now = new Date('2026-03-12T13:02:00Z');
  env = await registryWithMail(db, clock);
  links = new SecureLinks(db, () => clock.now);
  completed = [];
  pages = new SignInPages(env.registry, links, await createI18n('fr'), async (linkId) => {
    completed.push(linkId);
  });
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
    const step = await pages.submitCredentials(token, { username: '10100326494', password: temp });
    expect(text(step.html)).toContain('Choisissez votre mot de passe personnel');
    const done = await pages.submitPassword(token, { password: 'le chat dort au soleil', confirmation: 'le chat dort au soleil' });
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

  it('says plainly when the account is locked, until when, and what to do', async () => {
    await env.registry.register(DURAND);
    const { token } = await links.create(SIGN_IN_PURPOSE, reference);
    let page = await pages.submitCredentials(token, { username: '10100326494', password: 'faux' });
    expect(text(page.html)).toContain('Il vous reste 4 essais avant un blocage de 15 minutes');
    for (let i = 0; i < 4; i += 1) page = await pages.submitCredentials(token, { username: '10100326494', password: 'faux' });
    expect(text(page.html)).toContain('bloquée pendant 15 minutes, jusqu\'à 14 h 17');
    expect(text(page.html)).toContain("Je n'ai pas reçu le mail");
  });

  it('an expired temporary password says how to get a new one', async () => {
    await env.registry.register(DURAND);
    const temp = await env.lastTemporaryPassword();
    clock.now = new Date('2026-03-20T08:00:00Z');
    const { token } = await links.create(SIGN_IN_PURPOSE, reference);
    const page = await pages.submitCredentials(token, { username: '10100326494', password: temp });
    expect(text(page.html)).toContain('Ce mot de passe temporaire a expiré (il est valable 7 jours)');
  });

  it('never echoes the password back into the page', async () => {
    await env.registry.register(DURAND);
    const { token } = await links.create(SIGN_IN_PURPOSE, reference);
    const page = await pages.submitCredentials(token, { username: '10100326494', password: 'mon-secret-tape' });
    expect(page.html).not.toContain('mon-secret-tape');
    expect(page.html).toContain('value="10100326494"');
  });
});
