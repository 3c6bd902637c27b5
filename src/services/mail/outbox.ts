import crypto from 'node:crypto';
import type { Db, Tx } from '../db/database';
import type { Logger } from '../../logger';
import type { SecretBox } from '../identity/secretBox';

export interface MailMessage {
  /** Sender when it is not the configured MAIL_FROM (Medimail's own sender). */
  from?: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Where replies go (a helpdesk answering the physician directly). */
  replyTo?: string;
  /** Files joined to the mail (a ticket's transcript, an attestation). */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  /** Text as is, or a binary file (a PDF) in base64. */
  content: string;
  encoding?: 'base64';
}

/** Values for {{secret:name}} placeholders of a mail: sealed in the outbox, filled in only when sending. */
export type MailSecrets = Record<string, string>;

/** What actually talks SMTP; nodemailer in production, anything in tests. */
export interface MailTransport {
  send(mail: Omit<MailMessage, 'from'> & { from: string; messageId: string }): Promise<void>;
}

export interface OutboxOptions {
  from: string;
  pollMs: number;
  /** First retry delay; doubles at each failure up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a worker owns a mail it is sending before another may retry it. */
  leaseMs?: number;
  batchSize?: number;
}

const DEFAULTS = { baseDelayMs: 5_000, maxDelayMs: 10 * 60_000, leaseMs: 2 * 60_000, batchSize: 20 };

/**
 * Transactional outbox. `enqueue` records a mail inside the caller's transaction, so a mail
 * exists if and only if the change that causes it was committed. The worker sends due mails,
 * retrying with exponential backoff while SMTP is unreachable: an outage delays mail and loses
 * none. A mail is claimed with a lease before sending and marked SENT right after, so two
 * workers never send it twice; its Message-ID is fixed (<id@sesame>) so that, in the one case
 * no outbox can close (a crash between the SMTP server's "250 OK" and our commit), a duplicate is
 * recognisable by the receiving server. A permanent refusal (5xx) is not retried: FAILED, logged.
 */
export class Outbox {
  private readonly options: Required<OutboxOptions>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly transport: MailTransport,
    private readonly logger: Logger,
    options: OutboxOptions,
    private readonly secretBox: SecretBox,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The key that seals the secrets mails carry; services use it for their keyed MACs too. */
  get secrets(): SecretBox {
    return this.secretBox;
  }

  /** Records a mail in the caller's transaction (or alone, given the client itself). */
  async enqueue(tx: Tx, mail: MailMessage, secrets?: MailSecrets): Promise<string> {
    const id = crypto.randomUUID();
    let sealedSecrets: string | null = null;
    if (secrets) {
      sealedSecrets = this.secretBox.seal(JSON.stringify(secrets));
    }
    await tx.outboxMail.create({
      data: {
        id,
        from: mail.from ?? null,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html ?? null,
        replyTo: mail.replyTo ?? null,
        attachments: mail.attachments?.length ? JSON.stringify(mail.attachments) : null,
        sealedSecrets,
      },
    });
    return id;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Ask the worker to look now (after a transaction that enqueued mail has committed). */
  nudge(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  /** Sends every mail that is due; returns how many were sent. */
  drain(): Promise<number> {
    if (!this.running) {
      this.running = this.sendDue().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain()
        .catch((error: unknown) => this.logger.error({ err: error }, 'outbox: pass failed'))
        .finally(() => {
          if (!this.stopped && !this.timer) this.schedule(this.options.pollMs);
        });
    }, delay);
    this.timer.unref();
  }

  private async sendDue(): Promise<number> {
    const now = new Date();
    const due = await this.db.outboxMail.findMany({
      where: { status: 'PENDING', nextAttemptAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
      orderBy: { createdAt: 'asc' },
      take: this.options.batchSize,
    });
    let sent = 0;
    for (const mail of due) {
      const claimedAt = new Date();
      const { count } = await this.db.outboxMail.updateMany({
        where: { id: mail.id, status: 'PENDING', OR: [{ lockedUntil: null }, { lockedUntil: { lt: claimedAt } }] },
        data: { lockedUntil: new Date(claimedAt.getTime() + this.options.leaseMs) },
      });
      if (count === 0) continue; // another worker has it
      try {
        const secrets = mail.sealedSecrets && this.secretBox ? (JSON.parse(this.secretBox.open(mail.sealedSecrets)) as MailSecrets) : {};
        await this.transport.send({
          from: mail.from ?? this.options.from,
          to: mail.to,
          subject: mail.subject,
          text: fill(mail.text, secrets),
          html: mail.html ? fill(mail.html, secrets) : undefined,
          replyTo: mail.replyTo ?? undefined,
          attachments: mail.attachments ? (JSON.parse(mail.attachments) as MailAttachment[]) : undefined,
          messageId: `<${mail.id}@sesame>`,
        });
        await this.db.outboxMail.update({
          where: { id: mail.id },
          data: { status: 'SENT', sentAt: new Date(), attempts: { increment: 1 }, lockedUntil: null, lastError: null, sealedSecrets: null },
        });
        sent += 1;
        this.logger.info({ mailId: mail.id, attempts: mail.attempts + 1 }, 'outbox: mail sent');
      } catch (error) {
        const attempts = mail.attempts + 1;
        const permanent = isPermanent(error);
        const delay = Math.min(this.options.baseDelayMs * 2 ** (attempts - 1), this.options.maxDelayMs);
        await this.db.outboxMail.update({
          where: { id: mail.id },
          data: {
            attempts,
            status: permanent ? 'FAILED' : 'PENDING',
            nextAttemptAt: new Date(Date.now() + delay),
            lockedUntil: null,
            lastError: describe(error),
          },
        });
        const log = { mailId: mail.id, attempts, error: describe(error), retryInMs: permanent ? undefined : delay };
        if (permanent) this.logger.error(log, 'outbox: mail refused permanently');
        else this.logger.warn(log, 'outbox: mail not sent, will retry');
      }
    }
    return sent;
  }
}

function fill(template: string, secrets: MailSecrets): string {
  return template.replace(/\{\{secret:(\w+)\}\}/g, (whole, name: string) => secrets[name] ?? whole);
}

function isPermanent(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { responseCode?: unknown }).responseCode : undefined;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${(error as { code?: string }).code ?? error.name}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
}
