import type { i18n as I18n } from 'i18next';
import { z } from 'zod';
import { DeskAccessError } from '../../services/accreditation/engagement';
import type { SupportingDocuments } from '../../services/accreditation/documents';
import { DOCUMENT_PURPOSE } from '../../services/identity/linkPurposes';
import type { SecureLinks } from '../../services/identity/secureLinks';
import type { FileResponse } from './attestationPage';
import { expiredPage, openSecureLink } from './secretForms';

const linkDocument = z.object({ documentId: z.string().uuid() });

/**
 * A supporting document for the OA's expert, behind a one-time link (15 minutes) made in the desk's
 * conversation for that expert: the same rules as the other files Sésame gives (attestation, data
 * copy). Always a download, never shown inline: its type is the one its bytes proved (PDF, JPEG,
 * PNG), sent with nosniff and a sandboxing CSP.
 */
export class DocumentPage {
  constructor(
    private readonly links: SecureLinks,
    private readonly documents: SupportingDocuments,
    private readonly i18n: I18n,
  ) {}

  async get(token: string): Promise<FileResponse> {
    const { link, locale, t } = await openSecureLink(this.links, this.i18n, token, DOCUMENT_PURPOSE);
    const parsed = link ? linkDocument.safeParse(link.conversation) : undefined;
    const expired = () => {
      const page = expiredPage(t, locale);
      return { status: page.status, contentType: 'text/html; charset=utf-8', body: page.html };
    };
    if (!link?.accountId || !parsed?.success) return expired();
    try {
      // The expert may have lost the OA since the link was made: checked again now.
      const doc = await this.documents.forExpert(link.accountId, parsed.data.documentId);
      await this.links.complete(link.id, link.accountId, true);
      return { status: 200, contentType: doc.contentType, body: doc.content, filename: doc.filename, download: true };
    } catch (error) {
      if (error instanceof DeskAccessError) return expired();
      throw error;
    }
  }
}
