import type { i18n as I18n } from 'i18next';
import type { Db } from '../db/database';
import type { Outbox } from '../mail/outbox';
import type { DeskAccounts, DeskAccountView } from '../desk/deskAccounts';
import type { Locale } from '../../i18n';
import type { AccreditationRegistry, AccountView } from './registry';
import type { ApprovedBody, OaDirectory } from './oaDirectory';
import { missingAnswers, refOf, type Answers, type Question, type Questionnaire, type QuestionnaireCatalog } from './questionnaires';
import type { SpecialtyCode } from './specialties';
import { advance, engagementStatusOf, stateOf, type EngagementStatus, type RequestEvent, type RequestState, type RequestStatus } from './requestStatus';
import { attestationData, attestationFilename, attestationPdf } from './attestation';
import { longDateTime } from '../../dates';

export type { EngagementStatus } from './requestStatus';
export type ExpertDecision = 'ACCEPTED' | 'REFUSED' | 'TO_COMPLETE';
const DECISION_EVENT: Record<ExpertDecision, RequestEvent> = { ACCEPTED: 'accept', REFUSED: 'refuse', TO_COMPLETE: 'askComplement' };

export interface EngagementView {
  accountId: string;
  status: EngagementStatus;
  oa: ApprovedBody;
  questionnaire: Questionnaire;
  answers: Answers;
  section: number;
  sentAt: Date | undefined;
  decidedAt: Date | undefined;
  expertComment: string | undefined;
  commentSection: string | undefined;
  attestationAt: Date | undefined;
}

export type SendResult = { status: 'sent'; sentAt: Date; oa: ApprovedBody } | { status: 'incomplete'; missing: { section: number; question: Question; refused?: string }[] };

/** The previous decision on a request sent again; `changes` is undefined where the answers then were not kept. */
export interface PreviousDecision {
  decision: ExpertDecision;
  reason: string | undefined;
  section: string | undefined;
  at: Date;
  expertName: string | undefined;
  changes: { question: string; before: Answers[string] | undefined; after: Answers[string] | undefined }[] | undefined;
}

export interface RequestSummary {
  account: AccountView;
  engagement: EngagementView;
  previous?: PreviousDecision;
}

/** Refused: not an expert, or not an expert of this request's OA. */
export class DeskAccessError extends Error {}

/** The questionnaire, its journey to the OA, and the expert's decision. */
export class EngagementService {
  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly i18n: I18n,
    private readonly registry: AccreditationRegistry,
    private readonly directory: OaDirectory,
    private readonly catalog: QuestionnaireCatalog,
    private readonly desk: DeskAccounts,
    private readonly options: { publicUrl: () => string; now?: () => Date },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * The questionnaire of a request, created (as a draft for the OA of the specialty) on first
   * opening — once the administrative file is saved (RequestTransitionError before).
   */
  async open(accountId: string): Promise<EngagementView> {
    const existing = await this.db.engagement.findUnique({ where: { accountId } });
    if (existing) return this.view(existing);
    const account = await this.registry.account(accountId);
    if (!account) throw new Error(`No account ${accountId}`);
    advance(stateOf({ everSignedIn: account.everSignedIn, hasAdminFile: Boolean(account.adminFile) }, undefined), 'openQuestionnaire');
    const oa = this.directory.forSpecialty(account.specialty as SpecialtyCode);
    const [created] = await this.db.$transaction([
      this.db.engagement.create({ data: { accountId, oaId: oa.id, questionnaire: refOf(this.catalog.forOa(oa.id)) } }),
      this.db.accreditationEvent.create({ data: { accountId, type: 'QUESTIONNAIRE_STARTED', at: this.now() } }),
    ]);
    return this.view(created);
  }

  /**
   * The request's one status, with what every message about it needs. Read by the hub, « où en
   * suis-je » and the notices, signed in or not (they decide what they may show).
   */
  async status(accountId: string): Promise<RequestStatus | undefined> {
    const account = await this.registry.account(accountId);
    if (!account) return undefined;
    const row = await this.db.engagement.findUnique({ where: { accountId } });
    const engagement = row ? this.view(row) : undefined;
    const state = stateOf({ everSignedIn: account.everSignedIn, hasAdminFile: Boolean(account.adminFile) }, engagement);
    const events = await this.registry.history(accountId);
    const last = (...types: string[]) => events.filter((e) => types.includes(e.type)).at(-1)?.at;
    const since: Record<RequestState, Date | undefined> = {
      CREDENTIALS_SENT: last('CREDENTIALS_SENT'),
      SIGNED_IN: events.find((e) => e.type === 'SIGNED_IN')?.at,
      FILE_COMPLETE: account.adminFileSavedAt,
      QUESTIONNAIRE: last('QUESTIONNAIRE_STARTED', 'REQUEST_RENEWED'),
      SENT: engagement?.sentAt,
      TO_COMPLETE: engagement?.decidedAt,
      ACCEPTED: engagement?.decidedAt,
      REFUSED: engagement?.decidedAt,
    };
    const oa = engagement?.oa ?? this.oaFor(account);
    const total = engagement?.questionnaire.sections.length ?? this.catalog.forOa(oa.id).sections.length;
    return {
      accountId,
      state,
      since: since[state] ?? account.createdAt,
      oa: { id: oa.id, name: oa.name },
      section: { current: state === 'SENT' || state === 'ACCEPTED' ? total : Math.min((engagement?.section ?? 0) + 1, total), total },
      sentAt: engagement?.sentAt,
      decidedAt: engagement?.decidedAt,
      comment: engagement?.expertComment,
      hasPersonalPassword: account.hasPersonalPassword,
      round: 1 + events.filter((e) => e.type === 'REQUEST_RENEWED').length,
    };
  }

  /**
   * « Faire une nouvelle demande » after a refusal: the same account and OA, the questionnaire open
   * again from its first section with the last answers in it. The refused request stays in the
   * history: its decision (who, when, the reason) in the decisions, its events in the log.
   */
  async renew(accountId: string): Promise<EngagementView> {
    const current = await this.open(accountId);
    advance(stateOf({ everSignedIn: true, hasAdminFile: true }, current), 'renew');
    const at = this.now();
    const [row] = await this.db.$transaction([
      this.db.engagement.update({
        where: { accountId, status: 'REFUSED' },
        data: {
          status: engagementStatusOf('QUESTIONNAIRE'),
          section: 0,
          sentAt: null,
          decidedAt: null,
          expertComment: null,
          commentSection: null,
          questionnaire: refOf(this.catalog.forOa(current.oa.id)),
        },
      }),
      this.db.accreditationEvent.create({ data: { accountId, type: 'REQUEST_RENEWED', at, detail: current.oa.name ?? null } }),
    ]);
    return this.view(row);
  }

  /** An OA's name, undefined where none is confirmed ("l'OA de votre spécialité"). */
  oaName(oaId: string): string | undefined {
    return this.directory.byId(oaId).name;
  }

  /** The OA a physician's request goes to (before the request exists). */
  oaFor(account: AccountView): ApprovedBody {
    return this.directory.forSpecialty(account.specialty as SpecialtyCode);
  }

  async get(accountId: string): Promise<EngagementView | undefined> {
    const row = await this.db.engagement.findUnique({ where: { accountId } });
    return row ? this.view(row) : undefined;
  }

  /** "Enregistrer le questionnaire": a draft kept at any moment, with the section the user is at. */
  async saveDraft(accountId: string, section: number, answers: Answers): Promise<EngagementView> {
    const current = await this.open(accountId);
    advance(stateOf({ everSignedIn: true, hasAdminFile: true }, current), 'saveDraft');
    const merged = { ...current.answers, ...answers };
    const last = current.questionnaire.sections.length - 1;
    const row = await this.db.engagement.update({
      where: { accountId },
      data: { answers: JSON.stringify(merged), section: Math.max(0, Math.min(section, last)) },
    });
    return this.view(row);
  }

  /** "Envoyer": only when complete; the request then waits for the OA's expert. */
  async send(accountId: string): Promise<SendResult> {
    const current = await this.open(accountId);
    const to = advance(stateOf({ everSignedIn: true, hasAdminFile: true }, current), 'send');
    const missing = missingAnswers(current.questionnaire, current.answers);
    if (missing.length) return { status: 'incomplete', missing };
    const sentAt = this.now();
    const account = await this.db.accreditationAccount.findUniqueOrThrow({ where: { id: accountId } });
    const t = this.i18n.getFixedT(account.locale as Locale);
    await this.db.$transaction(async (tx) => {
      await tx.engagement.update({ where: { accountId }, data: { status: engagementStatusOf(to), sentAt, expertComment: null, commentSection: null } });
      await tx.accreditationEvent.create({ data: { accountId, type: 'QUESTIONNAIRE_SENT', at: sentAt, detail: current.oa.name ?? null } });
      // The receipt: to whom and when, as the physician will be asked when they call about it.
      await this.outbox.enqueue(tx, {
        to: account.email,
        subject: t('mail:questionnaireSent.subject'),
        text: t('mail:questionnaireSent.text', {
          name: `${t(`mail:civility.${account.civility}`)} ${account.lastName}`,
          oa: current.oa.name ?? t('accreditation:hub.yourOa'),
          date: longDateTime(t, sentAt),
          url: this.options.publicUrl(),
        }),
      });
    });
    this.outbox.nudge();
    return { status: 'sent', sentAt, oa: current.oa };
  }

  // ---- the expert's desk ----

  private async expert(expertId: string): Promise<DeskAccountView> {
    const expert = await this.desk.get(expertId);
    if (!expert || expert.role !== 'EXPERT') throw new DeskAccessError('Only an OA expert may do this.');
    return expert;
  }

  private async ownRequest(expertId: string, accountId: string) {
    const expert = await this.expert(expertId);
    const row = await this.db.engagement.findUnique({ where: { accountId } });
    if (!row || !expert.oaIds.includes(row.oaId)) throw new DeskAccessError("This request is not one of your OA's.");
    return { expert, row };
  }

  /** A questionnaire definition by its "id@version" (cards draw from it). */
  definition(ref: string): Questionnaire {
    return this.catalog.byRef(ref);
  }

  refOf(view: EngagementView): string {
    return refOf(view.questionnaire);
  }

  /** Requests waiting for a decision in the expert's OAs, oldest first. */
  async queue(expertId: string): Promise<{ accountId: string; name: string; specialty: string; oaId: string; sentAt: Date }[]> {
    const expert = await this.expert(expertId);
    const rows = await this.db.engagement.findMany({
      where: { status: 'SENT', oaId: { in: expert.oaIds } },
      orderBy: { sentAt: 'asc' },
      include: { account: true },
    });
    return rows.map((r) => ({ accountId: r.accountId, name: `${r.account.firstName} ${r.account.lastName}`, specialty: r.account.specialty, oaId: r.oaId, sentAt: r.sentAt! }));
  }

  /**
   * What the expert reads before deciding: the file, the identifier and its key, the answers — and,
   * for a request sent again, the previous decision (who, when, why) and the answers changed since.
   */
  async summary(expertId: string, accountId: string): Promise<RequestSummary> {
    const { row } = await this.ownRequest(expertId, accountId);
    const account = await this.registry.account(accountId);
    const engagement = this.view(row);
    const last = await this.db.decision.findFirst({ where: { accountId }, orderBy: { id: 'desc' } });
    if (!last) return { account: account!, engagement };
    const expert = await this.desk.get(last.expertId);
    const before = last.answers ? (JSON.parse(last.answers) as Answers) : undefined;
    const changes = before
      ? engagement.questionnaire.sections.flatMap((s) =>
          s.questions
            .filter((q) => JSON.stringify(before[q.id] ?? null) !== JSON.stringify(engagement.answers[q.id] ?? null))
            .map((q) => ({ question: q.id, before: before[q.id], after: engagement.answers[q.id] })),
        )
      : undefined;
    return {
      account: account!,
      engagement,
      previous: { decision: last.decision as ExpertDecision, reason: last.reason ?? undefined, section: last.section ?? undefined, at: last.at, expertName: expert?.name, changes },
    };
  }

  /**
   * Accept, refuse (reason required) or ask for more (comment required). Kept with who, when
   * and why; the physician gets a mail inviting them to sign in (the decision is not in it).
   * Returns where the physician's conversations can be told.
   */
  async decide(expertId: string, accountId: string, decision: ExpertDecision, reason?: string, section?: string): Promise<{ references: unknown[] }> {
    const { expert, row } = await this.ownRequest(expertId, accountId);
    const to = advance(stateOf({ everSignedIn: true, hasAdminFile: true }, { status: row.status as EngagementStatus }), DECISION_EVENT[decision]);
    const why = reason?.trim();
    if (decision !== 'ACCEPTED' && !why) throw new DeskAccessError('A reason is required.');
    const account = await this.db.accreditationAccount.findUniqueOrThrow({ where: { id: accountId } });
    const at = this.now();
    const t = this.i18n.getFixedT(account.locale as Locale, 'mail');
    await this.db.$transaction(async (tx) => {
      await tx.engagement.update({
        // Two experts deciding at once: the second finds the request no longer SENT (P2025), never two decisions.
        where: { accountId, status: 'SENT' },
        data: {
          status: engagementStatusOf(to),
          decidedAt: at,
          expertComment: why ?? null,
          commentSection: decision === 'TO_COMPLETE' ? section || null : null,
          ...(decision === 'TO_COMPLETE' ? { section: Math.max(0, this.catalog.byRef(row.questionnaire).sections.findIndex((s) => s.id === section)) } : {}),
        },
      });
      await tx.decision.create({ data: { accountId, expertId: expert.id, decision, reason: why ?? null, section: section || null, answers: row.answers, at } });
      // The reason stays in the request's history, also after a new request.
      await tx.accreditationEvent.create({ data: { accountId, type: `DECISION_${decision}`, at, detail: why ?? null } });
      await this.outbox.enqueue(tx, {
        to: account.email,
        subject: t('evaluated.subject'),
        text: t('evaluated.text', { name: `${t(`civility.${account.civility}`)} ${account.lastName}`, url: this.options.publicUrl() }),
      });
    });
    this.outbox.nudge();
    const links = await this.db.conversationLink.findMany({ where: { accountId } });
    return { references: links.map((l) => JSON.parse(l.reference) as unknown) };
  }

  /** Every decision on a request, oldest first (for the expert and for audit). */
  async decisions(accountId: string): Promise<{ expertId: string; decision: string; reason: string | undefined; at: Date }[]> {
    const rows = await this.db.decision.findMany({ where: { accountId }, orderBy: { id: 'asc' } });
    return rows.map((d) => ({ expertId: d.expertId, decision: d.decision, reason: d.reason ?? undefined, at: d.at }));
  }

  /** The physician's conversations, to reach them when a decision is taken. */
  async rememberConversation(accountId: string, conversationId: string, reference: unknown): Promise<void> {
    await this.db.conversationLink.upsert({
      where: { accountId_conversation: { accountId, conversation: conversationId } },
      create: { accountId, conversation: conversationId, reference: JSON.stringify(reference) },
      update: { reference: JSON.stringify(reference) },
    });
  }

  /**
   * The attestation d'engagement is recorded as generated, to be posted (it goes by post to inform
   * the CME and the CPAM) — the first time the physician reads the decision, signed in — and mailed
   * to them once as a PDF with the "engagé" receipt. Claimed by a compare-and-set: two turns at once
   * mail it once.
   */
  async recordAttestation(accountId: string): Promise<Date> {
    const row = await this.db.engagement.findUnique({ where: { accountId } });
    if (row?.status !== 'ACCEPTED') throw new DeskAccessError('No attestation before the engagement is accepted.');
    if (row.attestationAt) return row.attestationAt;
    const at = this.now();
    const account = await this.registry.account(accountId);
    if (!account) throw new Error(`No account ${accountId}`);
    const locale = (await this.db.accreditationAccount.findUniqueOrThrow({ where: { id: accountId }, select: { locale: true } })).locale as Locale;
    const t = this.i18n.getFixedT(locale);
    const engagement = this.view(row);
    const pdf = await attestationPdf(t, attestationData(t, account, engagement, at));
    const claimed = await this.db.$transaction(async (tx) => {
      const { count } = await tx.engagement.updateMany({ where: { accountId, attestationAt: null }, data: { attestationAt: at } });
      if (count === 0) return false;
      await tx.accreditationEvent.create({ data: { accountId, type: 'ATTESTATION', at } });
      await this.outbox.enqueue(tx, {
        to: account.email,
        subject: t('mail:engaged.subject'),
        text: t('mail:engaged.text', {
          name: `${t(`mail:civility.${account.civility}`)} ${account.lastName}`,
          oa: engagement.oa.name ?? t('accreditation:hub.yourOa'),
          date: engagement.decidedAt ? longDateTime(t, engagement.decidedAt) : longDateTime(t, at),
          url: this.options.publicUrl(),
        }),
        attachments: [{ filename: attestationFilename(account), contentType: 'application/pdf', content: Buffer.from(pdf).toString('base64'), encoding: 'base64' }],
      });
      return true;
    });
    if (!claimed) return (await this.db.engagement.findUniqueOrThrow({ where: { accountId } })).attestationAt ?? at;
    this.outbox.nudge();
    return at;
  }

  private view(row: {
    accountId: string;
    status: string;
    oaId: string;
    questionnaire: string;
    answers: string;
    section: number;
    sentAt: Date | null;
    decidedAt: Date | null;
    expertComment: string | null;
    commentSection: string | null;
    attestationAt: Date | null;
  }): EngagementView {
    return {
      accountId: row.accountId,
      status: row.status as EngagementStatus,
      oa: this.directory.byId(row.oaId),
      questionnaire: this.catalog.byRef(row.questionnaire),
      answers: JSON.parse(row.answers) as Answers,
      section: row.section,
      sentAt: row.sentAt ?? undefined,
      decidedAt: row.decidedAt ?? undefined,
      expertComment: row.expertComment ?? undefined,
      commentSection: row.commentSection ?? undefined,
      attestationAt: row.attestationAt ?? undefined,
    };
  }
}
