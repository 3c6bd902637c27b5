import type { i18n as I18n } from 'i18next';
import { attestationData, attestationFilename, attestationPdf } from '../../services/accreditation/attestation';
import type { EngagementService } from '../../services/accreditation/engagement';
import type { AccreditationRegistry } from '../../services/accreditation/registry';
import { ATTESTATION_PURPOSE } from '../../services/identity/linkPurposes';
import type { SecureLinks } from '../../services/identity/secureLinks';
import { expiredPage, openSecureLink } from './secretForms';

/** A file a page gives: shown in the browser (a PDF), or saved (`download`: a data export). */
export type FileResponse = { status: number; contentType: string; body: Uint8Array | string; filename?: string; download?: boolean };

/** The attestation d'engagement as a PDF, behind a personal one-time link sent in the chat (a new one on each request). */
export class AttestationPage {
  constructor(
    private readonly links: SecureLinks,
    private readonly registry: AccreditationRegistry,
    private readonly engagements: EngagementService,
    private readonly i18n: I18n,
    private readonly makePdf: typeof attestationPdf = attestationPdf,
  ) {}

  async get(token: string): Promise<FileResponse> {
    const { link, locale, t } = await openSecureLink(this.links, this.i18n, token, ATTESTATION_PURPOSE);
    const engagement = link?.accountId ? await this.engagements.get(link.accountId) : undefined;
    const account = link?.accountId ? await this.registry.account(link.accountId) : undefined;
    if (!link || !account || engagement?.status !== 'ACCEPTED') {
      const expired = expiredPage(t, locale);
      return { status: expired.status, contentType: 'text/html; charset=utf-8', body: expired.html };
    }
    const pdf = await this.makePdf(t, attestationData(t, account, engagement, new Date()));
    // Spent once the file exists: a failure leaves the link usable (a new one is asked in the chat at any time).
    await this.links.complete(link.id, account.id, true);
    return { status: 200, contentType: 'application/pdf', body: pdf, filename: attestationFilename(account) };
  }
}
