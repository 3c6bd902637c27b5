import { SupportingDocuments } from './accreditation/documents';
import type { HotPath } from './db/hotPath';
import { DataRights } from './privacy/dataRights';
import path from 'node:path';
import type { i18n as I18n } from 'i18next';
import { ROOT } from '../paths';
import { parseConfig, type Config } from '../config';
import type { Db } from './db/database';
import type { Outbox } from './mail/outbox';
import { SecureLinks } from './identity/secureLinks';
import { PrismaAccreditationRegistry } from './accreditation/registry';
import { OaDirectory } from './accreditation/oaDirectory';
import { QuestionnaireCatalog } from './accreditation/questionnaires';
import { EngagementService } from './accreditation/engagement';
import { EprService } from './accreditation/epr';
import { DeskAccounts } from './desk/deskAccounts';
import { lockedMail } from './identity/lockNotice';
import { MedimailService } from './medimail/medimail';
import { mssLabelFor } from './medimail/mssDomains';
import { SupportTickets, type HelpdeskAddresses } from './support/tickets';
import { TranscriptStore } from './support/transcripts';
import { UnderstandingLog } from './support/understandingLog';
import { RateLimits, type RateLimitOptions } from './rateLimits';

const DATA = path.join(ROOT, 'data', 'accreditation');

/**
 * The domain services, built once over a database and an outbox. Questionnaire definitions and
 * the OA directory are read and validated here, at start-up: a malformed one stops Sésame with
 * a message naming the file and the rule.
 */
export interface ServiceSettings {
  medimail: { from: string; serviceCentreEmail: string; mssLabel: string };
  helpdesks: HelpdeskAddresses;
  rateLimits: RateLimitOptions;
}

/** What the services take from the configuration. */
export function serviceSettings(config: Config): ServiceSettings {
  return {
    medimail: { from: config.MEDIMAIL_FROM, serviceCentreEmail: config.SERVICE_CENTRE_EMAIL, mssLabel: mssLabelFor(config.MEDIMAIL_REGIONS) },
    helpdesks: { siam: config.HELPDESK_SIAM_EMAIL, siamSubject: config.HELPDESK_SIAM_SUBJECT, medimail: config.HELPDESK_MEDIMAIL_EMAIL, oa: config.HELPDESK_OA_EMAILS },
    rateLimits: { store: config.RATE_LIMIT_STORE, factor: config.RATE_LIMIT_FACTOR },
  };
}

/** The embedded defaults (config.ts's), for tests that do not care. */
export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = serviceSettings(parseConfig({}));

export function createServices(db: Db, outbox: Outbox, i18n: I18n, publicUrl: () => string, settings: ServiceSettings = DEFAULT_SERVICE_SETTINGS, hot?: HotPath) {
  const links = new SecureLinks(db, outbox.secrets);
  const registry = new PrismaAccreditationRegistry(db, outbox, i18n, { publicUrl });
  const directory = OaDirectory.load(path.join(DATA, 'oa.json'));
  const hasKey = (key: string) => ['fr', 'en'].every((lng) => i18n.exists(key, { lng, ns: 'questionnaire' }));
  const catalog = QuestionnaireCatalog.load(path.join(DATA, 'questionnaires'), hasKey);
  const desk = new DeskAccounts(db, links, undefined, async (email, until) => {
    await outbox.enqueue(db, lockedMail(i18n, 'fr', email, 'desk', until, publicUrl()));
    outbox.nudge();
  });
  const engagements = new EngagementService(db, outbox, i18n, registry, directory, catalog, desk, { publicUrl });
  const eprs = new EprService(db, desk);
  const documents = new SupportingDocuments(db, desk);
  const medimailService = new MedimailService(db, outbox, i18n, links, desk, outbox.secrets, { publicUrl, ...settings.medimail });
  const transcripts = new TranscriptStore(db, undefined, hot);
  const tickets = new SupportTickets(db, outbox, i18n, directory, desk, settings.helpdesks);
  const limits = new RateLimits(db, settings.rateLimits);
  const dataRights = new DataRights(db, transcripts, registry, engagements, eprs, medimailService);
  const understanding = new UnderstandingLog(db);
  return { links, registry, directory, catalog, desk, engagements, eprs, documents, medimail: medimailService, transcripts, tickets, limits, dataRights, understanding };
}

export type Services = ReturnType<typeof createServices>;
