import path from 'node:path';
import type { i18n as I18n } from 'i18next';
import { ROOT } from '../paths';
import type { Db } from './db/database';
import type { Outbox } from './mail/outbox';
import { SecureLinks } from './identity/secureLinks';
import { PrismaAccreditationRegistry } from './accreditation/registry';
import { OaDirectory } from './accreditation/oaDirectory';
import { QuestionnaireCatalog } from './accreditation/questionnaires';
import { EngagementService } from './accreditation/engagement';
import { EprService } from './accreditation/epr';
import { DeskAccounts } from './desk/deskAccounts';
import { MedimailService } from './medimail/medimail';

const DATA = path.join(ROOT, 'data', 'accreditation');

/**
 * The domain services, built once over a database and an outbox. Questionnaire definitions and
 * the OA directory are read and validated here, at start-up: a malformed one stops Sésame with
 * a message naming the file and the rule.
 */
export function createServices(db: Db, outbox: Outbox, i18n: I18n, publicUrl: () => string, medimail: { from: string; serviceCentreEmail: string } = { from: 'Medimail <cerbere@mipih.fr>', serviceCentreEmail: 'centre-de-services@localhost' }) {
  const links = new SecureLinks(db);
  const registry = new PrismaAccreditationRegistry(db, outbox, i18n, { publicUrl });
  const directory = OaDirectory.load(path.join(DATA, 'oa.json'));
  const hasKey = (key: string) => ['fr', 'en'].every((lng) => i18n.exists(key, { lng, ns: 'questionnaire' }));
  const catalog = QuestionnaireCatalog.load(path.join(DATA, 'questionnaires'), hasKey);
  const desk = new DeskAccounts(db, links);
  const engagements = new EngagementService(db, outbox, i18n, registry, directory, catalog, desk, { publicUrl });
  const eprs = new EprService(db, desk);
  const medimailService = new MedimailService(db, outbox, i18n, links, desk, { publicUrl, ...medimail });
  return { links, registry, directory, catalog, desk, engagements, eprs, medimail: medimailService };
}

export type Services = ReturnType<typeof createServices>;
