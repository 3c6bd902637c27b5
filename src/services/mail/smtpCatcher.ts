import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { Db } from '../db/database';
import type { Logger } from '../../logger';

const MAX_SIZE = 10 * 1024 * 1024;

/**
 * Development SMTP server on loopback: keeps every mail it receives in the database so the
 * /dev/mail page can show it. Started only when SMTP_URL is unset (never in production).
 */
export class SmtpCatcher {
  private server: SMTPServer | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  async start(port = 0): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      size: MAX_SIZE,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const rcptTo = session.envelope.rcptTo.map((r) => r.address).join(', ');
          this.db.caughtMail
            .create({ data: { mailFrom, rcptTo, raw } })
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
  id: number;
  receivedAt: Date;
  to: string;
  subject: string;
}

export interface CaughtMailDetail extends CaughtMailSummary {
  from: string;
  text: string;
  html: string | undefined;
}

/** Read side of the catcher, for the mail page and for tests. */
export class CaughtMailbox {
  constructor(private readonly db: Db) {}

  async list(limit = 100): Promise<CaughtMailSummary[]> {
    const rows = await this.db.caughtMail.findMany({ orderBy: { id: 'desc' }, take: limit });
    return Promise.all(
      rows.map(async (row) => {
        const parsed = await simpleParser(row.raw);
        return { id: row.id, receivedAt: row.receivedAt, to: row.rcptTo, subject: parsed.subject ?? '' };
      }),
    );
  }

  async get(id: number): Promise<CaughtMailDetail | undefined> {
    const row = await this.db.caughtMail.findUnique({ where: { id } });
    if (!row) return undefined;
    const parsed = await simpleParser(row.raw);
    return {
      id: row.id,
      receivedAt: row.receivedAt,
      to: row.rcptTo,
      from: parsed.from?.text ?? row.mailFrom,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : undefined,
    };
  }
}
