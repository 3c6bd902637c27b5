import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../src/services';
import { createI18n } from '../src/i18n';
import { detectType, DOCUMENT_LIMITS, safeFilename } from '../src/services/accreditation/documents';
import { DeskAccessError } from '../src/services/accreditation/engagement';
import { tempDatabase } from './helpers/db';
import { DURAND, registryWithMail, throughAdminFile } from './helpers/registry';
import type { Db } from '../src/services/db/database';

export const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 0x20), Buffer.from('\n%%EOF\n')]);
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const HTML = Buffer.from('<!doctype html><script>alert(1)</script>');

describe('supporting documents: the type from the bytes, never the name', () => {
  it('knows PDF, JPEG and PNG by their first bytes only', () => {
    expect(detectType(PDF)).toBe('application/pdf');
    expect(detectType(PNG)).toBe('image/png');
    expect(detectType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(detectType(HTML)).toBeUndefined();
    expect(detectType(Buffer.from('%PD'))).toBeUndefined();
  });

  it('gives a name safe for a header, with the extension of the real type', () => {
    expect(safeFilename('Attestation d’activité été 2025.pdf', 'application/pdf')).toBe('Attestation_d_activite_ete_2025.pdf');
    expect(safeFilename('../../evil".html', 'image/png')).toBe('evil_.png');
    expect(safeFilename('', 'image/jpeg')).toBe('document.jpg');
  });
});

describe('supporting documents: stored with the request when the expert asked for more', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let mail: Awaited<ReturnType<typeof registryWithMail>>;
  let services: Services;
  let accountId: string;
  let expertId: string;

  beforeEach(async () => {
    ({ db, cleanup } = await tempDatabase());
    mail = await registryWithMail(db);
    services = createServices(db, mail.outbox, await createI18n('fr'), () => 'http://sesame.test');
    accountId = ((await services.registry.register(DURAND)) as { accountId: string }).accountId;
    await throughAdminFile(db, services.registry, accountId);
    const answers = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'yes' };
    await services.engagements.saveDraft(accountId, 0, answers);
    await services.engagements.send(accountId);
    expertId = (await services.desk.create('EXPERT', 'e@cfar.example', 'E', ['cfar'])).account.id;
  });
  afterEach(async () => {
    await mail.close();
    await cleanup();
  });

  it('only once a complement is asked; PDF/JPEG/PNG by their bytes, size- and count-limited; read by the OA’s experts only', async () => {
    expect(await services.documents.store(accountId, 'a.pdf', PDF)).toEqual({ status: 'notAsked' });
    await services.engagements.decide(expertId, accountId, 'TO_COMPLETE', 'Joignez votre attestation d’activité');
    expect(await services.documents.store(accountId, 'page.pdf', HTML)).toEqual({ status: 'badType' });
    expect(await services.documents.store(accountId, 'big.pdf', Buffer.concat([PDF, Buffer.alloc(DOCUMENT_LIMITS.maxBytes)]))).toMatchObject({ status: 'tooLarge' });
    const stored = await services.documents.store(accountId, 'scan.jpeg.html', PNG);
    expect(stored).toMatchObject({ status: 'stored', filename: 'scan.jpeg.png', contentType: 'image/png', size: PNG.length });
    expect((await services.documents.list(accountId)).map((d) => d.filename)).toEqual(['scan.jpeg.png']);

    const { id } = stored as { id: string };
    const read = await services.documents.forExpert(expertId, id);
    expect(Buffer.from(read.content).equals(PNG)).toBe(true);
    const other = (await services.desk.create('EXPERT', 'x@gynerisq.example', 'X', ['gynerisq'])).account.id;
    await expect(services.documents.forExpert(other, id)).rejects.toBeInstanceOf(DeskAccessError);
    await expect(services.documents.forExpert(accountId, id)).rejects.toBeInstanceOf(DeskAccessError);

    for (let i = 1; i < DOCUMENT_LIMITS.perRequest; i += 1) expect((await services.documents.store(accountId, `p${i}.pdf`, PDF)).status).toBe('stored');
    expect(await services.documents.store(accountId, 'one-too-many.pdf', PDF)).toEqual({ status: 'tooMany', max: DOCUMENT_LIMITS.perRequest });

    // The physician's copy of their data names what was sent, without the bytes.
    const copy = JSON.stringify(await services.dataRights.export({ channelId: 'directline', conversationId: 'c', accreditationAccountId: accountId }));
    expect(copy).toContain('scan.jpeg.png');
    expect(copy).not.toContain('PNG\\r\\n');
    expect(copy).not.toMatch(/"content"/);
  });
});
