import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { SecretBox } from '../src/services/identity/secretBox';
import { Outbox } from '../src/services/mail/outbox';
import { smtpTransport } from '../src/services/mail/smtpTransport';
import { tempDatabase } from './helpers/db';
import { SmtpSink, waitFor } from './helpers/smtp';
import { freePort } from './helpers/net';
import { silentLogger } from './helpers/silentLogger';
import type { Db } from '../src/services/db/database';

let db: Db;
const box = new SecretBox(crypto.randomBytes(32));
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await tempDatabase());
});
afterEach(async () => cleanup());


describe('mail outbox', () => {
  it('records a mail only if the transaction that causes it commits', async () => {
    const sink = new SmtpSink();
    await sink.start();
    const transport = smtpTransport(sink.url);
    const outbox = new Outbox(db, transport, silentLogger, { from: 'Sésame <sesame@test>', pollMs: 50 }, box);
    await expect(
      db.$transaction(async (tx) => {
        await outbox.enqueue(tx, { to: 'a@example.fr', subject: 'rolled back', text: 'x' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await db.$transaction(async (tx) => {
      await outbox.enqueue(tx, { to: 'b@example.fr', subject: 'committed', text: 'y' });
    });
    expect(await outbox.drain()).toBe(1);
    expect(sink.mails.map((m) => m.subject)).toEqual(['committed']);
    transport.close();
    await sink.stop();
  });

  it('SMTP down, then up: every mail is delivered exactly once', async () => {
    const port = await freePort();
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
    const outbox = new Outbox(db, transport, silentLogger, { from: 'Sésame <sesame@test>', pollMs: 30, baseDelayMs: 40, maxDelayMs: 200 }, box);
    for (let i = 1; i <= 5; i += 1) await outbox.enqueue(db, { to: `user${i}@example.fr`, subject: `mail ${i}`, text: `body ${i}` });

    outbox.start();
    // Nobody listens: attempts fail and are rescheduled, nothing is lost.
    await waitFor(async () => (await db.outboxMail.findMany()).every((m) => m.attempts >= 2), 10_000, 'retries while SMTP is down');
    expect(await db.outboxMail.count({ where: { status: 'PENDING' } })).toBe(5);
    const failed = await db.outboxMail.findFirstOrThrow();
    expect(failed.lastError).toMatch(/ECONNREFUSED|ESOCKET|connect/i);

    const sink = new SmtpSink();
    await sink.start(port);
    await waitFor(async () => (await db.outboxMail.count({ where: { status: 'SENT' } })) === 5, 10_000, 'delivery once SMTP is back');
    // Give the worker a few more passes: nothing is sent again.
    await new Promise((r) => setTimeout(r, 300));
    await outbox.stop();
    expect(sink.mails.map((m) => m.subject).sort()).toEqual(['mail 1', 'mail 2', 'mail 3', 'mail 4', 'mail 5']);
    expect(new Set(sink.mails.map((m) => m.messageId)).size).toBe(5);
    transport.close();
    await sink.stop();
  });

  it('two workers on one database never send the same mail twice', async () => {
    const sink = new SmtpSink();
    await sink.start();
    const t1 = smtpTransport(sink.url);
    const t2 = smtpTransport(sink.url);
    const a = new Outbox(db, t1, silentLogger, { from: 's@test', pollMs: 20 }, box);
    const b = new Outbox(db, t2, silentLogger, { from: 's@test', pollMs: 20 }, box);
    for (let i = 0; i < 20; i += 1) await a.enqueue(db, { to: `u${i}@example.fr`, subject: `m${i}`, text: 't' });
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    await waitFor(async () => (await db.outboxMail.count({ where: { status: 'SENT' } })) === 20, 10_000, 'all sent');
    expect(sink.mails).toHaveLength(20);
    t1.close();
    t2.close();
    await sink.stop();
  });

  it('a secret waits sealed in the outbox, is filled in only when sending, then erased', async () => {
    const sink = new SmtpSink();
    await sink.start();
    const transport = smtpTransport(sink.url);
    const outbox = new Outbox(db, transport, silentLogger, { from: 's@test', pollMs: 20 }, box);
    await outbox.enqueue(db, { to: 'a@example.fr', subject: 'Identifiants', text: 'Mot de passe : {{secret:password}}' }, { password: 'Xk7-secret-Pw9' });
    const stored = await db.outboxMail.findFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain('Xk7-secret-Pw9');
    expect(stored.sealedSecrets).toBeTruthy();
    await outbox.drain();
    expect(sink.mails[0].text).toContain('Mot de passe : Xk7-secret-Pw9');
    expect((await db.outboxMail.findFirstOrThrow()).sealedSecrets).toBeNull();
    transport.close();
    await sink.stop();
  });

  it('a permanent refusal (5xx) is not retried forever', async () => {
    const outbox = new Outbox(
      db,
      {
        async send() {
          throw Object.assign(new Error('550 mailbox unavailable'), { responseCode: 550 });
        },
      },
      silentLogger,
      { from: 's@test', pollMs: 20 },
      box,
    );
    await outbox.enqueue(db, { to: 'nobody@example.fr', subject: 's', text: 't' });
    await outbox.drain();
    const mail = await db.outboxMail.findFirstOrThrow();
    expect(mail.status).toBe('FAILED');
    expect(mail.lastError).toContain('550');
  });
});
