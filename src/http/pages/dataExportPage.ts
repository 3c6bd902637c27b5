import type { i18n as I18n } from 'i18next';
import { DATA_EXPORT_PURPOSE } from '../../services/identity/linkPurposes';
import type { SecureLinks } from '../../services/identity/secureLinks';
import type { DataRights, DataSubject } from '../../services/privacy/dataRights';
import { z } from 'zod';
import type { FileResponse } from './attestationPage';
import { expiredPage, openSecureLink } from './secretForms';

/** What the link made in the chat says of whose data to give: its conversation, and the accounts that conversation proved. */
const linkSubject = z.object({
  channelId: z.string().min(1),
  conversation: z.object({ id: z.string().min(1) }),
  user: z.object({ id: z.string() }).optional(),
  sesameSubject: z.object({ accreditationAccountId: z.string().optional(), medimailAccountId: z.string().optional() }).default({}),
});

/**
 * "Télécharger mes données": a copy of everything Sésame holds about the user (RGPD art. 15), as a
 * JSON file, behind a personal one-time link sent in the chat — never in the chat itself.
 */
export class DataExportPage {
  constructor(
    private readonly links: SecureLinks,
    private readonly rights: DataRights,
    private readonly i18n: I18n,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(token: string): Promise<FileResponse> {
    const { link, locale, t } = await openSecureLink(this.links, this.i18n, token, DATA_EXPORT_PURPOSE);
    const parsed = link ? linkSubject.safeParse(link.conversation) : undefined;
    if (!link || !parsed?.success) {
      const expired = expiredPage(t, locale);
      return { status: expired.status, contentType: 'text/html; charset=utf-8', body: expired.html };
    }
    const { channelId, conversation, user, sesameSubject } = parsed.data;
    const subject: DataSubject = { channelId, conversationId: conversation.id, userId: user?.id, ...sesameSubject };
    const document = { about: t('pages:dataExport.about', { returnObjects: true }) as string[], ...(await this.rights.export(subject)) };
    // Spent once the file exists: a failure leaves the link usable.
    await this.links.complete(link.id, link.accountId ?? '', true);
    const day = this.now().toISOString().slice(0, 10);
    return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(document, null, 2), filename: `sesame-${t('pages:dataExport.file')}-${day}.json`, download: true };
  }
}
