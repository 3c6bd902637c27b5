import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database';
import type { DeskAccounts } from '../desk/deskAccounts';
import { DeskAccessError } from './engagement';
import { patientDataFindings } from '../patientData';

/** The fields of a declaration of a risk event (EPR, knowledge.md §1.5). */
export const EPR_FIELDS = ['date', 'establishment', 'targeted', 'theme', 'what', 'consequences', 'causes', 'barriersWorked', 'barriersFailed', 'actions'] as const;
export const EPR_TEXT_FIELDS = ['establishment', 'what', 'consequences', 'causes', 'barriersWorked', 'barriersFailed', 'actions'] as const;
export type EprAnswers = Partial<Record<(typeof EPR_FIELDS)[number], string>>;

export interface EprView {
  id: string;
  status: 'DRAFT' | 'SENT';
  answers: EprAnswers;
  createdAt: Date;
  sentAt: Date | undefined;
  /** Who declared it, for the expert (never shown to anyone else). */
  declaredBy?: { civility: string; firstName: string; lastName: string; identifierKind: string; identifier: string };
}

export { patientDataFindings, type PatientDataFinding } from '../patientData';

export const eprSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  establishment: z.string().trim().min(1).max(150),
  targeted: z.enum(['yes', 'no']),
  theme: z.string().optional(),
  what: z.string().trim().min(1).max(4000),
  consequences: z.string().trim().min(1).max(2000),
  causes: z.string().trim().min(1).max(2000),
  barriersWorked: z.string().trim().max(2000).optional(),
  barriersFailed: z.string().trim().max(2000).optional(),
  actions: z.string().trim().min(1).max(2000),
});

/** Declarations of risk events: draft and send like the questionnaire; the OA's experts read them. */
export class EprService {
  constructor(
    private readonly db: Db,
    private readonly desk: DeskAccounts,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async saveDraft(accountId: string, oaId: string, answers: EprAnswers, id?: string): Promise<EprView> {
    const clean = JSON.stringify(pick(answers));
    if (id) {
      const existing = await this.db.epr.findFirst({ where: { id, accountId } });
      if (existing && existing.status === 'DRAFT') return this.view(await this.db.epr.update({ where: { id }, data: { answers: clean } }));
      if (existing) return this.view(existing);
    }
    return this.view(await this.db.epr.create({ data: { id: crypto.randomUUID(), accountId, oaId, answers: clean } }));
  }

  /** Sends a complete declaration with no patient-identifying data (the caller checked both). */
  async send(accountId: string, id: string): Promise<EprView> {
    const epr = await this.db.epr.findFirstOrThrow({ where: { id, accountId } });
    if (epr.status === 'SENT') return this.view(epr);
    const answers = eprSchema.parse(JSON.parse(epr.answers));
    const leaks = EPR_TEXT_FIELDS.flatMap((f) => patientDataFindings(answers[f] ?? '', { names: true }));
    if (leaks.length) throw new Error('An EPR with patient-identifying data cannot be sent.');
    const sentAt = this.now();
    const [row] = await this.db.$transaction([
      this.db.epr.update({ where: { id }, data: { status: 'SENT', sentAt } }),
      this.db.accreditationEvent.create({ data: { accountId, type: 'EPR_SENT', at: sentAt } }),
    ]);
    return this.view(row);
  }

  async list(accountId: string): Promise<EprView[]> {
    return (await this.db.epr.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } })).map((e) => this.view(e));
  }

  async get(accountId: string, id: string): Promise<EprView | undefined> {
    const row = await this.db.epr.findFirst({ where: { id, accountId } });
    return row ? this.view(row) : undefined;
  }

  /** The EPRs sent to the expert's OAs, newest first. */
  async forExpert(expertId: string): Promise<EprView[]> {
    const expert = await this.desk.get(expertId);
    if (!expert || expert.role !== 'EXPERT') throw new DeskAccessError('Only an OA expert may do this.');
    const rows = await this.db.epr.findMany({ where: { status: 'SENT', oaId: { in: expert.oaIds } }, orderBy: { sentAt: 'desc' } });
    const accounts = await this.db.accreditationAccount.findMany({
      where: { id: { in: [...new Set(rows.map((e) => e.accountId))] } },
      select: { id: true, civility: true, firstName: true, lastName: true, identifierKind: true, identifier: true },
    });
    const byId = new Map(accounts.map(({ id, ...who }) => [id, who]));
    return rows.map((e) => ({ ...this.view(e), declaredBy: byId.get(e.accountId) }));
  }

  private view(row: { id: string; status: string; answers: string; createdAt: Date; sentAt: Date | null }): EprView {
    return { id: row.id, status: row.status as EprView['status'], answers: JSON.parse(row.answers) as EprAnswers, createdAt: row.createdAt, sentAt: row.sentAt ?? undefined };
  }
}

function pick(answers: EprAnswers): EprAnswers {
  const out: EprAnswers = {};
  for (const field of EPR_FIELDS) if (typeof answers[field] === 'string') out[field] = answers[field];
  return out;
}
