import type { Attachment, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { AccreditationConversation } from '../dialogs/accreditationDialog';
import { SESSION_IDLE_MS } from '../dialogs/accreditationDialog';
import { tr } from '../dialogs/turn';
import { plain } from '../cards/adaptive';
import { DOCUMENT_LIMITS, type SupportingDocuments } from '../services/accreditation/documents';
import type { Logger } from '../logger';

/** A file a Teams user attaches reaches the bot as this, with a pre-authorised download URL. */
export const TEAMS_FILE = 'application/vnd.microsoft.teams.file.download.info';

/** Where the bytes of an attachment come from: the local channel's store, Teams' download URL. */
export type FileSource = (context: TurnContext, attachment: Attachment) => Promise<Uint8Array | undefined>;

/**
 * Files sent in the chat: a supporting document for the signed-in physician's request, when the
 * expert asked for a complement. Handled before the dialogs (the form in progress stays as it was);
 * each file is answered for: kept, or why not.
 */
export class DocumentIntake {
  constructor(
    private readonly documents: SupportingDocuments,
    private readonly accreditation: StatePropertyAccessor<AccreditationConversation>,
    private readonly source: FileSource,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True when the message carried files (it is then answered here). */
  async handle(context: TurnContext): Promise<boolean> {
    const files = (context.activity.attachments ?? []).filter((a) => a.contentType === TEAMS_FILE || a.contentUrl?.startsWith('sesame-upload:'));
    if (!files.length) return false;
    const t = tr(context);
    const session = (await this.accreditation.get(context, {})).session;
    const accountId = session && this.now().getTime() - session.lastActiveAt <= SESSION_IDLE_MS ? session.accountId : undefined;
    for (const file of files) {
      const name = plain(file.name ?? 'document');
      const bytes = await this.source(context, file).catch((error: unknown) => {
        this.logger.warn({ err: error, conversationId: context.activity.conversation?.id }, 'a file sent in the chat could not be read');
        return undefined;
      });
      if (!accountId) {
        await context.sendActivity(t('accreditation:documents.signInFirst', { name }));
        continue;
      }
      if (!bytes) {
        await context.sendActivity(t('accreditation:documents.unreadable', { name }));
        continue;
      }
      const result = await this.documents.store(accountId, file.name ?? 'document', bytes);
      const maxMb = DOCUMENT_LIMITS.maxBytes / 1024 / 1024;
      if (result.status === 'stored') {
        await context.sendActivity(t('accreditation:documents.stored', { name: plain(result.filename), size: Math.max(1, Math.round(result.size / 1024)) }));
      } else await context.sendActivity(t(`accreditation:documents.${result.status}`, { name, max: DOCUMENT_LIMITS.perRequest, maxMb }));
    }
    return true;
  }
}

/**
 * The bytes of a Teams file attachment, from its pre-authorised download URL: https only, on
 * Microsoft's file hosts, and no more than a document may weigh. Not testable without Teams.
 */
export async function teamsFile(attachment: Attachment): Promise<Uint8Array | undefined> {
  const content = attachment.content as { downloadUrl?: unknown } | undefined;
  const url = typeof content?.downloadUrl === 'string' ? new URL(content.downloadUrl) : undefined;
  if (!url || url.protocol !== 'https:' || !/(^|\.)(sharepoint\.com|sharepoint\.us|onedrive\.com)$/.test(url.hostname)) return undefined;
  const response = await fetch(url, { redirect: 'error' });
  const length = Number(response.headers.get('content-length') ?? 0);
  if (!response.ok || length > DOCUMENT_LIMITS.maxBytes) return undefined;
  const bytes = new Uint8Array(await response.arrayBuffer());
  return bytes.length > DOCUMENT_LIMITS.maxBytes + 1 ? bytes.slice(0, DOCUMENT_LIMITS.maxBytes + 1) : bytes;
}
