import crypto from 'node:crypto';
import { createI18n } from '../../src/i18n';
import { Outbox } from '../../src/services/mail/outbox';
import { smtpTransport } from '../../src/services/mail/smtpTransport';
import { SecretBox } from '../../src/services/identity/secretBox';
import { PrismaAccreditationRegistry, type AccreditationRegistry, type AdministrativeFile, type RegistrationInput } from '../../src/services/accreditation/registry';
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

export const ADMIN_FILE: AdministrativeFile = {
  address: '1 place du Capitole',
  postalCode: '31000',
  city: 'Toulouse',
  department: '31',
  cpamDepartment: '31',
  crfmcRegion: '76',
  practiceMode: 'salaried',
  establishments: [{ name: 'CHU de Toulouse', finess: '310781406' }],
};

/**
 * Steps 1–2 done (signed in once, administrative file saved): where the questionnaire may open.
 * The sign-in itself is the registry's test's business; here it is only recorded.
 */
export async function throughAdminFile(db: Db, registry: AccreditationRegistry, accountId: string): Promise<void> {
  await db.accreditationAccount.update({ where: { id: accountId }, data: { firstSignInAt: new Date() } });
  await registry.saveAdministrativeFile(accountId, ADMIN_FILE);
}
