import crypto from 'node:crypto';
import type { Db } from '../db/database';
import type { DeskAccounts } from '../desk/deskAccounts';
import { DeskAccessError } from './engagement';

/** What a supporting document may be: PDF, JPEG or PNG, known by their first bytes — never by the name. */
export type DocumentType = 'application/pdf' | 'image/jpeg' | 'image/png';

const SIGNATURES: [DocumentType, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

export const EXTENSIONS: Record<DocumentType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/** The type a file's bytes say it is, whatever its name or declared type claims. */
export function detectType(bytes: Uint8Array): DocumentType | undefined {
  return SIGNATURES.find(([, magic]) => magic.every((b, i) => bytes[i] === b))?.[0];
}

/** A name safe to show and to put in a header: letters, digits, dot, dash, underscore; the extension its real type's. */
export function safeFilename(name: string, type: DocumentType): string {
  const base = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\.[^.]*$/, '')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 80);
  return `${base || 'document'}.${EXTENSIONS[type]}`;
}

export const DOCUMENT_LIMITS = { maxBytes: 5 * 1024 * 1024, perRequest: 10 } as const;

export type StoreResult =
  | { status: 'stored'; id: string; filename: string; contentType: DocumentType; size: number }
  | { status: 'notAsked' }
  | { status: 'tooLarge'; maxBytes: number }
  | { status: 'badType' }
  | { status: 'tooMany'; max: number };

export interface DocumentView {
  id: string;
  filename: string;
  contentType: DocumentType;
  size: number;
  receivedAt: Date;
}

/**
 * Supporting documents of a commitment request: sent by the physician when the expert asked for a
 * complement, stored with the request, read by the experts of the request's OA only.
 */
export class SupportingDocuments {
  constructor(
    private readonly db: Db,
    private readonly desk: DeskAccounts,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async store(accountId: string, name: string, bytes: Uint8Array): Promise<StoreResult> {
    const engagement = await this.db.engagement.findUnique({ where: { accountId }, select: { status: true } });
    if (engagement?.status !== 'TO_COMPLETE') return { status: 'notAsked' };
    if (bytes.length > DOCUMENT_LIMITS.maxBytes) return { status: 'tooLarge', maxBytes: DOCUMENT_LIMITS.maxBytes };
    const type = detectType(bytes);
    if (!type) return { status: 'badType' };
    if ((await this.db.supportingDocument.count({ where: { accountId } })) >= DOCUMENT_LIMITS.perRequest) return { status: 'tooMany', max: DOCUMENT_LIMITS.perRequest };
    const id = crypto.randomUUID();
    const filename = safeFilename(name, type);
    await this.db.supportingDocument.create({
      data: { id, accountId, filename, contentType: type, size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), content: Buffer.from(bytes), receivedAt: this.now() },
    });
    return { status: 'stored', id, filename, contentType: type, size: bytes.length };
  }

  async list(accountId: string): Promise<DocumentView[]> {
    const rows = await this.db.supportingDocument.findMany({ where: { accountId }, orderBy: { receivedAt: 'asc' }, select: { id: true, filename: true, contentType: true, size: true, receivedAt: true } });
    return rows.map((r) => ({ ...r, contentType: r.contentType as DocumentType }));
  }

  /** A document's bytes, for an expert of the request's OA only. */
  async forExpert(expertId: string, documentId: string): Promise<DocumentView & { content: Uint8Array; accountId: string }> {
    const expert = await this.desk.get(expertId);
    if (!expert || expert.role !== 'EXPERT') throw new DeskAccessError('Only an OA expert may do this.');
    const doc = await this.db.supportingDocument.findUnique({ where: { id: documentId } });
    const engagement = doc ? await this.db.engagement.findUnique({ where: { accountId: doc.accountId }, select: { oaId: true } }) : null;
    if (!doc || !engagement || !expert.oaIds.includes(engagement.oaId)) throw new DeskAccessError("This document is not one of your OA's.");
    return { id: doc.id, accountId: doc.accountId, filename: doc.filename, contentType: doc.contentType as DocumentType, size: doc.size, receivedAt: doc.receivedAt, content: doc.content };
  }
}
