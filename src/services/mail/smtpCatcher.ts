import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { simpleParser as SimpleParser } from 'mailparser';
import type { Logger } from '../../logger';

const MAX_SIZE = 10 * 1024 * 1024;

/**
 * Development SMTP server on loopback, standing in for the users' mailboxes: it keeps every
 * mail it receives as an .eml file (outside Sésame's database, like a real mailbox would be)
 * so the /dev/mail page can show it. Started only when SMTP_URL is unset (never in production).
 */
export class SmtpCatcher {
  private server: SMTPServer | undefined;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  async start(port = 0): Promise<number> {
    // The caught mails hold temporary passwords and codes: readable by Sésame's user only.
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.dir, 0o700);
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      size: MAX_SIZE,
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const name = `${Date.now().toString().padStart(15, '0')}-${process.hrtime.bigint().toString().slice(-6)}.eml`;
          fs.promises
            .writeFile(path.join(this.dir, name), Buffer.concat(chunks), { mode: 0o600 })
            .then(() => callback())
            .catch((error: unknown) => {
              this.logger.error({ err: error }, 'smtp catcher: could not store a mail');
              callback(new Error('451 temporary storage failure'));
            });
        });
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.on('error', (error) => this.logger.warn({ err: error }, 'smtp catcher error'));
    return (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface CaughtMailSummary {
  id: string;
  receivedAt: Date;
  to: string;
  subject: string;
}

export interface CaughtMailDetail extends CaughtMailSummary {
  from: string;
  replyTo: string;
  text: string;
  html: string | undefined;
  attachments: { filename: string; contentType: string; content: string }[];
}

/** Read side of the catcher, for the mail page and for tests. Newest first. */
export class CaughtMailbox {
  constructor(private readonly dir: string) {}

  async list(limit = 100): Promise<CaughtMailDetail[]> {
    if (!fs.existsSync(this.dir)) return [];
    const names = (await fs.promises.readdir(this.dir)).filter((n) => n.endsWith('.eml')).sort().reverse().slice(0, limit);
    const mails = await Promise.all(names.map((n) => this.get(n.slice(0, -4))));
    return mails.filter((m): m is CaughtMailDetail => Boolean(m));
  }

  async get(id: string): Promise<CaughtMailDetail | undefined> {
    if (!/^[\d-]+$/.test(id)) return undefined;
    const file = path.join(this.dir, `${id}.eml`);
    if (!fs.existsSync(file)) return undefined;
    // Loaded when a caught mail is first read (/dev/mail, tests), not at every start.
    const { simpleParser } = require('mailparser') as { simpleParser: typeof SimpleParser };
    const parsed = await simpleParser(await fs.promises.readFile(file));
    const to = parsed.to ? (Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : parsed.to.text) : '';
    return {
      id,
      receivedAt: parsed.date ?? (await fs.promises.stat(file)).mtime,
      to,
      from: parsed.from?.text ?? '',
      replyTo: parsed.replyTo?.text ?? '',
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : undefined,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? 'attachment', contentType: a.contentType, content: a.content.toString('utf8') })),
    };
  }
}
