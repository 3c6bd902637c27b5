import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createI18n } from '../src/i18n';
import { SecureLinks } from '../src/services/identity/secureLinks';
import { DeskAccounts } from '../src/services/desk/deskAccounts';
import { MedimailService } from '../src/services/medimail/medimail';
import type { Db } from '../src/services/db/database';
import { tempDatabase } from './helpers/db';
import { DURAND, registryWithMail } from './helpers/registry';

// Security issue #11 §1 and §12: parallel guessing cannot get around the lock, and an unknown
// username is answered like a known one (same counter, same lock, same answer).

let db: Db;
let cleanup: () => Promise<void>;
let env: Awaited<ReturnType<typeof registryWithMail>>;
beforeEach(async () => {
  ({ db, cleanup } = await tempDatabase());
  env = await registryWithMail(db);
});
afterEach(async () => {
  await env.close();
  await cleanup();
});

/** 300 wrong passwords at once, the right one as the 250th: what each attempt was answered. */
async function guessInParallel<T extends { status: string }>(signIn: (password: string) => Promise<T>, right: string): Promise<T[]> {
  return Promise.all(Array.from({ length: 300 }, (_, i) => signIn(i === 249 ? right : `wrong-guess-${i}`)));
}

describe('sign-in under parallel guessing', () => {
  it('accreditation: at most 5 passwords are ever checked per lock window, the right one included', async () => {
    await env.registry.register(DURAND);
    const temp = await env.lastTemporaryPassword();
    const answers = await guessInParallel((p) => env.registry.signIn('10100326494', p), temp);
    const counts = tally(answers);
    expect(counts.ok ?? 0, 'the right password was checked after the lock').toBe(0);
    expect((counts.invalid ?? 0) + (counts.ok ?? 0)).toBeLessThanOrEqual(4);
    expect(counts.locked).toBeGreaterThanOrEqual(296);
    // The holder is told once, by mail, that the account locked.
    await env.outbox.drain();
    const lockMails = env.sink.mails.filter((m) => /bloqué pour 15 minutes/.test(m.subject ?? ''));
    expect(lockMails).toHaveLength(1);
    expect(lockMails[0].text).toContain('Cinq mots de passe erronés');
  });

  it('desk: the same for an expert account', async () => {
    const desk = new DeskAccounts(db, new SecureLinks(db, env.outbox.secrets));
    const { account } = await desk.create('EXPERT', 'expert@cfar.example', 'Anne Expert', ['cfar']);
    await desk.setPassword(account.id, 'un-long-secret-expert', 'un-long-secret-expert');
    const answers = await guessInParallel((p) => desk.signIn('expert@cfar.example', p), 'un-long-secret-expert');
    const counts = tally(answers);
    expect(counts.ok ?? 0).toBe(0);
    expect(counts.invalid ?? 0).toBeLessThanOrEqual(4);
  });

  it('medimail: the same for a Medimail account, and for its one-time code', async () => {
    const links = new SecureLinks(db, env.outbox.secrets);
    const desk = new DeskAccounts(db, links);
    const medimail = new MedimailService(db, env.outbox, await createI18n('fr'), links, desk, env.outbox.secrets, {
      publicUrl: () => 'http://sesame.test',
      from: 'Medimail <cerbere@mipih.fr>',
      serviceCentreEmail: 'centre@example.fr',
    });
    const { accountId } = (await medimail.startRegistration({ lastName: 'Durand', firstName: 'Jean', email: 'jean@example.fr', profession: 'medecin', locale: 'fr' }, null)) as { accountId: string };
    await medimail.setPassword(accountId, 'un-long-secret-medimail', 'un-long-secret-medimail');
    const counts = tally(await guessInParallel((p) => medimail.signIn('jean@example.fr', p), 'un-long-secret-medimail'));
    expect(counts.otpSent ?? 0).toBe(0);
    expect(counts.invalid ?? 0).toBeLessThanOrEqual(4);

    // The one-time code: 1,000 codes at once, at most 5 compared.
    await db.medimailAccount.update({ where: { id: accountId }, data: { status: 'VALIDATED' } });
    await medimail.sendOtp(accountId);
    await env.outbox.drain();
    const code = /(\d{6})/.exec(env.sink.mails.at(-1)?.text ?? '')![1];
    const tries = await Promise.all(Array.from({ length: 1000 }, (_, i) => medimail.verifyOtp(accountId, i === 700 ? code : wrongCode(code, i))));
    const otp = tally(tries);
    expect(otp.ok ?? 0).toBe(0);
    expect(otp.wrong ?? 0).toBeLessThanOrEqual(5);
    // Kept as a keyed MAC, not a plain hash of six digits.
    const stored = await db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    const { createHash } = await import('node:crypto');
    expect(stored.otpHash).not.toBe(createHash('sha256').update(`${accountId}:${code}`).digest('hex'));
  });
});

describe('an unknown username is answered like a known one', () => {
  it('same answers, one after the other, then the same lock', async () => {
    await env.registry.register(DURAND);
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      known.push(strip(await env.registry.signIn('10100326494', 'wrong')));
      unknown.push(strip(await env.registry.signIn('10107350778', 'wrong')));
    }
    expect(unknown).toEqual(known);
    expect(known.at(-1)).toEqual({ status: 'locked' });
  });

  it('someone keeping an account locked does not flood its holder: one lock mail a day', async () => {
    const clock = { now: new Date('2026-03-12T13:02:00Z') };
    const timed = await registryWithMail(db, clock);
    try {
      await timed.registry.register(DURAND);
      for (let lock = 0; lock < 3; lock++) {
        for (let i = 0; i < 5; i++) await timed.registry.signIn('10100326494', 'wrong');
        clock.now = new Date(clock.now.getTime() + 16 * 60_000);
      }
      await timed.outbox.drain();
      expect(timed.sink.mails.filter((m) => /bloqué pour 15 minutes/.test(m.subject ?? ''))).toHaveLength(1);
      clock.now = new Date(clock.now.getTime() + 24 * 60 * 60_000);
      for (let i = 0; i < 5; i++) await timed.registry.signIn('10100326494', 'wrong');
      await timed.outbox.drain();
      expect(timed.sink.mails.filter((m) => /bloqué pour 15 minutes/.test(m.subject ?? ''))).toHaveLength(2);
    } finally {
      await timed.close();
    }
  });

  it('a desk account never activated answers like a wrong password', async () => {
    const desk = new DeskAccounts(db, new SecureLinks(db, env.outbox.secrets));
    await desk.create('AGENT', 'agent@grades.example', 'Nina Agent');
    expect(await desk.signIn('agent@grades.example', 'whatever-it-is')).toEqual({ status: 'invalid', remaining: 4 });
    expect(await desk.signIn('nobody@grades.example', 'whatever-it-is')).toEqual({ status: 'invalid', remaining: 4 });
  });
});

/** The i-th six-digit code that is not the right one. */
function wrongCode(right: string, i: number): string {
  const candidate = String(i).padStart(6, '9');
  return candidate === right ? '000000' : candidate;
}

function tally(answers: { status: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

function strip(answer: { status: string }) {
  return answer.status === 'locked' ? { status: 'locked' } : answer;
}
