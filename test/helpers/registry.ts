import crypto from 'node:crypto';
import { createI18n } from '../../src/i18n';
import { Outbox } from '../../src/services/mail/outbox';
import { smtpTransport } from '../../src/services/mail/smtpTransport';
import { SecretBox } from '../../src/services/identity/secretBox';
import { PrismaAccreditationRegistry, type RegistrationInput } from '../../src/services/accreditation/registry';
import type { Db } from '../../src/services/db/database';
import { SmtpSink } from './smtp';
import { silentLogger } from './silentLogger';

export const DURAND: RegistrationInput = {
  civility: 'dr',
  lastName: 'Durand',
  firstName: 'Jean',
  identifier: '10100326494',
  identifierKeyOk: true,
  specialty: 'anesthesie-reanimation',
  practice: 'individual',
  email: 'jean.durand@example.fr',
  locale: 'fr',
};

/** The registry on a real database, sending through the outbox to a real SMTP server on loopback. */
export async function registryWithMail(db: Db, clock?: { now: Date }) {
  const sink = new SmtpSink();
  await sink.start();
  const transport = smtpTransport(sink.url);
  const outbox = new Outbox(db, transport, silentLogger, { from: 'Sésame <sesame@test>', pollMs: 20 }, new SecretBox(crypto.randomBytes(32)));
  const registry = new PrismaAccreditationRegistry(db, outbox, await createI18n('fr'), {
    publicUrl: () => 'http://sesame.test',
    now: clock ? () => clock.now : undefined,
  });
  return {
    registry,
    outbox,
    sink,
    /** Sends what is due and returns the last temporary password mailed. */
    async lastTemporaryPassword(): Promise<string> {
      await outbox.drain();
      const text = sink.mails.at(-1)?.text ?? '';
      const match = /Mot de passe temporaire : (\S+)|Temporary password: (\S+)/.exec(text);
      if (!match) throw new Error('no temporary password in the last mail');
      return match[1] ?? match[2];
    },
    async close() {
      await outbox.stop();
      transport.close();
      await sink.stop();
    },
  };
}
