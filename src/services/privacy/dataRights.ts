import type { Db } from '../db/database';
import type { AccreditationRegistry } from '../accreditation/registry';
import type { EngagementService, EngagementStatus } from '../accreditation/engagement';
import type { EprService } from '../accreditation/epr';
import type { MedimailService, MedimailStatus } from '../medimail/medimail';

/**
 * Whose data: what one conversation can prove about its user. An accreditation request counts
 * only once signed into (a request typed here but not signed into could be anybody's number); a
 * Medimail account counts when it was created in this conversation.
 */
export interface DataSubject {
  channelId: string;
  conversationId: string;
  /** The channel's user id (Bot Framework user state key). */
  userId?: string;
  accreditationAccountId?: string;
  medimailAccountId?: string;
}

/** The conversation's record (the transcript store): its activities, secrets already withheld. */
export interface ConversationRecord {
  allActivities(channelId: string, conversationId: string): Promise<unknown[]>;
  deleteTranscript(channelId: string, conversationId: string): Promise<void>;
}

/** Requests examined or decided by the OA: the accreditation procedure's records, never erased here. */
const DECIDED_OR_EXAMINED: EngagementStatus[] = ['SENT', 'TO_COMPLETE', 'ACCEPTED', 'REFUSED'];
/** A mailbox the service centre created: closing it is Medimail's procedure. */
const MAILBOX_EXISTS: MedimailStatus[] = ['VALIDATED', 'SIGNED_IN', 'ACTIVE'];

export type Kept = { what: 'accreditation'; status: EngagementStatus } | { what: 'medimail'; status: MedimailStatus };
export interface Erasure {
  /** What went, by kind, with counts. */
  erased: { preferences: number; tickets: number; accreditation: boolean; medimail: boolean };
  kept: Kept[];
}

/**
 * The user's rights over their data (RGPD art. 15 and 17) as far as Sésame holds it: a copy of
 * everything it keeps about them, and the erasure of what it may erase. What must be kept —
 * a request the OA examined or decided on, a mailbox that exists — is said, not silently kept.
 */
export class DataRights {
  constructor(
    private readonly db: Db,
    private readonly record: ConversationRecord,
    private readonly registry: AccreditationRegistry,
    private readonly engagements: EngagementService,
    private readonly eprs: EprService,
    private readonly medimail: MedimailService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Everything Sésame holds about the subject, as a document for them (no password or code, not even hashed). */
  async export(subject: DataSubject): Promise<Record<string, unknown>> {
    const key = `${subject.channelId}/${subject.conversationId}`;
    const account = subject.accreditationAccountId ? await this.registry.account(subject.accreditationAccountId) : undefined;
    const engagement = account ? await this.engagements.get(account.id) : undefined;
    const mailbox = subject.medimailAccountId ? await this.medimail.account(subject.medimailAccountId) : undefined;
    const tickets = await this.db.supportTicket.findMany({ where: { conversation: key }, orderBy: { id: 'asc' } });
    const preferences = await this.db.botStateItem.findMany({ where: { key: { in: this.stateKeys(subject) } } });
    return {
      generatedAt: this.now().toISOString(),
      // The conversation as the Bot Framework Emulator opens it (a .transcript), secrets withheld when recorded.
      conversation: { channel: subject.channelId, id: subject.conversationId, activities: await this.record.allActivities(subject.channelId, subject.conversationId) },
      preferences: preferences.map((p) => ({ key: p.key, updatedAt: p.updatedAt, data: safeJson(p.data) })),
      accreditation: account
        ? {
            request: { ...account, adminFile: account.adminFile ?? null },
            history: await this.registry.history(account.id),
            engagement: engagement
              ? {
                  status: engagement.status,
                  oa: engagement.oa.name,
                  answers: engagement.answers,
                  sentAt: engagement.sentAt,
                  decidedAt: engagement.decidedAt,
                  expertComment: engagement.expertComment,
                  attestationAt: engagement.attestationAt,
                }
              : null,
            decisions: await this.db.decision.findMany({ where: { accountId: account.id }, orderBy: { id: 'asc' }, select: { decision: true, reason: true, section: true, at: true } }),
            riskEvents: engagement ? await this.eprs.list(account.id) : [],
            // What was sent, without the bytes (the file itself is the physician's own copy).
            supportingDocuments: await this.db.supportingDocument.findMany({
              where: { accountId: account.id },
              orderBy: { receivedAt: 'asc' },
              select: { filename: true, contentType: true, size: true, sha256: true, receivedAt: true },
            }),
          }
        : null,
      medimail: mailbox
        ? {
            account: mailbox,
            // Each request with the reference the user was mailed (MM-…) and where it stands at the service centre.
            serviceCentreRequests: (await this.db.serviceCentreRequest.findMany({ where: { accountId: mailbox.id }, orderBy: { createdAt: 'asc' } })).map((r) => ({
              reference: r.reference,
              type: r.type,
              state: r.status,
              createdAt: r.createdAt,
              doneAt: r.doneAt,
              detail: safeJson(r.detail),
            })),
          }
        : null,
      helpdeskTickets: tickets.map((t) => ({ number: `SES-${String(t.id).padStart(6, '0')}`, createdAt: t.createdAt, helpdesk: t.route, description: t.description, contactEmail: t.contactEmail, transcript: t.transcript })),
    };
  }

  /** What erasure would keep, and why (said before the user confirms). */
  async wouldKeep(subject: DataSubject): Promise<Kept[]> {
    const kept: Kept[] = [];
    const engagement = subject.accreditationAccountId ? await this.engagements.get(subject.accreditationAccountId) : undefined;
    if (engagement && DECIDED_OR_EXAMINED.includes(engagement.status)) kept.push({ what: 'accreditation', status: engagement.status });
    const mailbox = subject.medimailAccountId ? await this.medimail.account(subject.medimailAccountId) : undefined;
    if (mailbox && MAILBOX_EXISTS.includes(mailbox.status)) kept.push({ what: 'medimail', status: mailbox.status });
    return kept;
  }

  /** Erases what may be erased, in one transaction per kind; says what was kept. */
  async erase(subject: DataSubject): Promise<Erasure> {
    const key = `${subject.channelId}/${subject.conversationId}`;
    const kept = await this.wouldKeep(subject);
    const keeps = (what: Kept['what']) => kept.some((k) => k.what === what);
    let accreditation = false;
    let medimail = false;

    if (subject.accreditationAccountId && !keeps('accreditation')) {
      const accountId = subject.accreditationAccountId;
      const account = await this.db.accreditationAccount.findUnique({ where: { id: accountId }, select: { email: true } });
      if (account) {
        await this.db.$transaction([
          this.db.epr.deleteMany({ where: { accountId } }),
          this.db.supportingDocument.deleteMany({ where: { accountId } }),
          this.db.decision.deleteMany({ where: { accountId } }),
          this.db.engagement.deleteMany({ where: { accountId } }),
          this.db.accreditationEvent.deleteMany({ where: { accountId } }),
          this.db.conversationLink.deleteMany({ where: { accountId } }),
          this.db.secureLink.deleteMany({ where: { accountId } }),
          this.db.outboxMail.deleteMany({ where: { to: account.email, status: 'PENDING' } }),
          this.db.accreditationAccount.delete({ where: { id: accountId } }),
        ]);
        accreditation = true;
      }
    }
    if (subject.medimailAccountId && !keeps('medimail')) {
      const id = subject.medimailAccountId;
      const account = await this.db.medimailAccount.findUnique({ where: { id }, select: { email: true } });
      if (account) {
        await this.db.$transaction([
          this.db.serviceCentreRequest.deleteMany({ where: { accountId: id } }),
          this.db.secureLink.deleteMany({ where: { accountId: id } }),
          this.db.outboxMail.deleteMany({ where: { to: account.email, status: 'PENDING' } }),
          this.db.medimailAccount.delete({ where: { id } }),
        ]);
        medimail = true;
      }
    }
    const tickets = (await this.db.supportTicket.deleteMany({ where: { conversation: key } })).count;
    // Links made for this conversation, and the notices a kept request would have sent here.
    await this.db.secureLink.deleteMany({ where: { conversationKey: key } });
    await this.db.conversationLink.deleteMany({ where: { conversation: { in: [key, subject.conversationId] } } });
    await this.record.deleteTranscript(subject.channelId, subject.conversationId);
    // The chat's history on the local channel goes with it (Teams keeps its own, under the user's control).
    if (subject.channelId === 'directline') {
      await this.db.directLineActivity.deleteMany({ where: { conversationId: subject.conversationId } });
      await this.db.channelUpload.deleteMany({ where: { conversationId: subject.conversationId } });
    }
    const preferences = (await this.db.botStateItem.deleteMany({ where: { key: { in: this.stateKeys(subject) } } })).count;
    return { erased: { preferences, tickets, accreditation, medimail }, kept };
  }

  /** The Bot Framework state keys of the conversation and of its user (src/bot/state.ts: conversationStateKey, userStateKey). */
  private stateKeys(subject: DataSubject): string[] {
    const conversation = `${subject.channelId}/conversations/${subject.conversationId}`;
    const keys = [conversation, `${conversation}/user`];
    if (subject.userId) keys.push(`${subject.channelId}/users/${subject.userId}`);
    return keys;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
