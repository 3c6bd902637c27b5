import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from './helpers/app';
import { dumpDatabase, testProvider } from './helpers/db';
import { adaptiveCard, connect } from './helpers/directline';
import { waitFor } from './helpers/smtp';
import type { App } from '../src/app';

// Issue #11 §13: what is withdrawn or sent stays nowhere — not in the database file, not in its
// write-ahead log, not in a mail waiting in the outbox — and the files are Sésame's alone.

let app: App;
let dir: string;
let databaseUrl: string;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, dir, databaseUrl, close } = await startTestApp());
});
afterAll(async () => close());

const raw = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0));
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('secrets at rest', () => {
  it('the database, its log and the caught mails are readable by Sésame only; deleted rows are overwritten', async () => {
    expect(mode(path.join(dir, 'mail'))).toBe(0o700);
    // PostgreSQL's files are its server's (README, Security).
    if (testProvider !== 'sqlite') return;
    const db = path.join(dir, 'sesame.db');
    expect(mode(db)).toBe(0o600);
    expect(mode(`${db}-wal`)).toBe(0o600);
    expect(await app.db.$queryRawUnsafe('PRAGMA secure_delete')).toEqual([{ secure_delete: 1n }]);
  });

  it('a password typed in the chat is withdrawn, then gone from the database file and its write-ahead log', async () => {
    const password = 'Zq8-withdrawn-WAL-2026';
    const session = await connect(app.url, { webSocket: false, userId: 'at-rest' });
    await session.next((a) => Boolean(adaptiveCard(a)), 'the welcome card');
    await session.send({ text: `mon mot de passe est ${password}` });
    await session.next((a) => /Ne communiquez jamais un mot de passe/.test((a as { text?: string }).text ?? ''), 'the withdrawal');
    await expect.poll(async () => (await dumpDatabase(databaseUrl)).includes(password), { timeout: 10_000 }).toBe(false);
    if (testProvider === 'sqlite') {
      const file = path.join(dir, 'sesame.db');
      await waitFor(() => !raw(file).includes(password) && !raw(`${file}-wal`).includes(password), 10_000, 'the password to leave the database files');
    }
    session.end();
  });

  it("a Medimail confirmation link waits sealed in the outbox and is erased once sent", async () => {
    const start = await app.services.medimail.startRegistration({ lastName: 'Roux', firstName: 'Anne', email: 'anne.roux@example.fr', profession: 'medecin', locale: 'fr' }, null);
    if (start.status !== 'ok') throw new Error('duplicate');
    await app.services.medimail.setPassword(start.accountId, 'le ciel est bleu ici', 'le ciel est bleu ici');
    const waiting = await app.db.outboxMail.findFirstOrThrow({ where: { to: 'anne.roux@example.fr' } });
    expect(waiting.text).toContain('{{secret:url}}');
    expect(waiting.text).not.toMatch(/confirmation\/[\w-]{20,}/);
    await app.outbox.drain();
    const mail = await waitFor(async () => (await app.mailbox!.list()).find((m) => m.to.includes('anne.roux@example.fr')), 10_000, 'the confirmation mail');
    const token = /confirmation\/([\w-]{20,})/.exec(mail.text)![1];
    const sent = await app.db.outboxMail.findUniqueOrThrow({ where: { id: waiting.id } });
    expect(sent.status).toBe('SENT');
    expect(sent.sealedSecrets).toBeNull();
    expect(JSON.stringify(sent)).not.toContain(token);
    const files = fs.readdirSync(path.join(dir, 'mail'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(mode(path.join(dir, 'mail', name))).toBe(0o600);
  });
});
