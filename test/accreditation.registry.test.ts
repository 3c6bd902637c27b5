import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dumpDatabase, tempDatabase } from './helpers/db';
import { DURAND, registryWithMail } from './helpers/registry';
import type { Db } from '../src/services/db/database';

let db: Db;
let url: string;
let cleanup: () => Promise<void>;
let env: Awaited<ReturnType<typeof registryWithMail>>;
const clock = { now: new Date('2026-03-12T13:02:00Z') };
beforeEach(async () => {
  ({ db, url, cleanup } = await tempDatabase());
  clock.now = new Date('2026-03-12T13:02:00Z');
  env = await registryWithMail(db, clock);
});
afterEach(async () => {
  await env.close();
  await cleanup();
});

describe('accreditation registry', () => {
  it('creates the request and mails the username (the number, not the name) and a temporary password', async () => {
    const result = await env.registry.register(DURAND);
    expect(result).toMatchObject({ status: 'created', maskedEmail: 'j•••@example.fr' });
    const password = await env.lastTemporaryPassword();
    expect(password).toMatch(/^[A-Za-z2-9]{14}$/);
    const mail = env.sink.mails[0];
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('jean.durand@example.fr');
    expect(mail.subject).toMatch(/nom d'utilisateur et votre mot de passe temporaire/);
    expect(mail.text).toContain("Nom d'utilisateur : 10100326494");
    expect(mail.text).toContain('pas votre nom');
    expect(mail.text).toContain('19/03/2026');
  });

  it('never creates a second account for the same identifier', async () => {
    await env.registry.register(DURAND);
    const again = await env.registry.register({ ...DURAND, email: 'autre@example.fr' });
    expect(again).toMatchObject({ status: 'duplicate', maskedEmail: 'j•••@example.fr' });
    const both = await Promise.all([env.registry.register({ ...DURAND, identifier: '10107350778' }), env.registry.register({ ...DURAND, identifier: '10107350778' })]);
    expect(both.map((r) => r.status).sort()).toEqual(['created', 'duplicate']);
    expect(await db.accreditationAccount.count()).toBe(2);
  });

  it('first sign-in with the temporary password requires a personal password; the temporary one works once', async () => {
    const { accountId } = (await env.registry.register(DURAND)) as { accountId: string };
    const temp = await env.lastTemporaryPassword();
    expect(await env.registry.signIn('101 0032 6494', temp)).toEqual({ status: 'ok', accountId, mustChangePassword: true });
    expect(await env.registry.signIn('10100326494', temp)).toMatchObject({ status: 'invalid' });

    expect(await env.registry.setPersonalPassword(accountId, 'court', 'court')).toEqual({ status: 'rejected', problems: ['tooShort'] });
    expect(await env.registry.setPersonalPassword(accountId, 'durand-est-mon-nom', 'durand-est-mon-nom')).toEqual({ status: 'rejected', problems: ['containsName'] });
    expect(await env.registry.setPersonalPassword(accountId, 'x10100326494x', 'x10100326494x')).toEqual({ status: 'rejected', problems: ['containsUsername'] });
    expect(await env.registry.setPersonalPassword(accountId, 'un-long-secret-2026', 'un-long-secret-2025')).toEqual({ status: 'rejected', problems: ['mismatch'] });
    expect(await env.registry.setPersonalPassword(accountId, 'un-long-secret-2026', 'un-long-secret-2026')).toEqual({ status: 'ok' });
    expect(await env.registry.signIn('10100326494', 'un-long-secret-2026')).toEqual({ status: 'ok', accountId, mustChangePassword: false });
  });

  it('explains a username with letters instead of counting it as a failure', async () => {
    await env.registry.register(DURAND);
    expect(await env.registry.signIn('Durand', 'whatever')).toEqual({ status: 'usernameHasLetters' });
  });

  it('locks the account for 15 minutes after 5 failures, then lets it try again', async () => {
    await env.registry.register(DURAND);
    const temp = await env.lastTemporaryPassword();
    for (const remaining of [4, 3, 2, 1]) expect(await env.registry.signIn('10100326494', 'wrong')).toEqual({ status: 'invalid', remaining });
    const locked = await env.registry.signIn('10100326494', 'wrong');
    expect(locked).toEqual({ status: 'locked', until: new Date('2026-03-12T13:17:00Z') });
    expect(await env.registry.signIn('10100326494', temp)).toMatchObject({ status: 'locked' });
    clock.now = new Date('2026-03-12T13:17:01Z');
    expect(await env.registry.signIn('10100326494', temp)).toMatchObject({ status: 'ok' });
  });

  it('an expired temporary password says so (valid 7 days)', async () => {
    await env.registry.register(DURAND);
    const temp = await env.lastTemporaryPassword();
    clock.now = new Date('2026-03-19T13:02:01Z');
    expect(await env.registry.signIn('10100326494', temp)).toEqual({ status: 'tempExpired' });
  });

  it('"Je n\'ai pas reçu le mail": a new temporary password to a corrected address, the old one stops working, a few per hour', async () => {
    const { accountId } = (await env.registry.register({ ...DURAND, email: 'jean.durand@gmial.com' })) as { accountId: string };
    const first = await env.lastTemporaryPassword();
    expect(await env.registry.resendCredentials(accountId, 'jean.durand@gmail.com')).toMatchObject({ status: 'sent', maskedEmail: 'j•••@gmail.com' });
    const second = await env.lastTemporaryPassword();
    expect(second).not.toBe(first);
    expect(env.sink.mails.at(-1)!.to && !Array.isArray(env.sink.mails.at(-1)!.to) ? (env.sink.mails.at(-1)!.to as { text: string }).text : '').toBe('jean.durand@gmail.com');
    expect(await env.registry.signIn('10100326494', first)).toMatchObject({ status: 'invalid' });
    await env.registry.resendCredentials(accountId);
    const limited = await env.registry.resendCredentials(accountId);
    expect(limited).toEqual({ status: 'rateLimited', retryAt: new Date('2026-03-12T14:02:00Z') });
    clock.now = new Date('2026-03-12T14:02:01Z');
    expect(await env.registry.resendCredentials(accountId)).toMatchObject({ status: 'sent' });
  });

  it('never stores a password or a temporary password in clear, in any column', async () => {
    const { accountId } = (await env.registry.register(DURAND)) as { accountId: string };
    const temp = await env.lastTemporaryPassword();
    await env.registry.signIn('10100326494', temp);
    await env.registry.setPersonalPassword(accountId, 'un-long-secret-2026', 'un-long-secret-2026');
    await env.registry.resendCredentials(accountId);
    const second = await env.lastTemporaryPassword();
    const dump = await dumpDatabase(url);
    for (const secret of [temp, second, 'un-long-secret-2026']) expect(dump).not.toContain(secret);
    expect(dump).toContain('scrypt$');
  });

  it('keeps the history of what happened when', async () => {
    const { accountId } = (await env.registry.register(DURAND)) as { accountId: string };
    expect((await env.registry.history(accountId)).map((e) => e.type)).toEqual(['REQUEST_CREATED', 'CREDENTIALS_SENT']);
  });
});
