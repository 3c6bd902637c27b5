import nodemailer from 'nodemailer';
import type { MailTransport } from './outbox';

/** nodemailer over SMTP. Short timeouts: the outbox retries, a hung server must not stall it. */
export function smtpTransport(smtpUrl: string): MailTransport & { close(): void } {
  const transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    async send(mail) {
      await transporter.sendMail({ ...mail, headers: { 'Auto-Submitted': 'auto-generated' } });
    },
    close() {
      transporter.close();
    },
  };
}
