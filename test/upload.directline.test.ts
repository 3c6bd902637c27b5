import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationState, MemoryStorage, TestAdapter, type TurnContext } from 'botbuilder';
import { startTestApp } from './helpers/app';
import { waitFor } from './helpers/smtp';
import { adaptiveCard, connect } from './helpers/directline';
import { DocumentIntake } from '../src/bot/documentIntake';
import { setTurnLanguage } from '../src/dialogs/turn';
import { DOCUMENT_LIMITS } from '../src/services/accreditation/documents';
import type { AccreditationConversation } from '../src/dialogs/accreditationDialog';
import { DURAND, throughAdminFile } from './helpers/registry';
import { silentLogger } from './helpers/silentLogger';
import { createI18n } from '../src/i18n';
import type { App } from '../src/app';
import { DOCUMENT_PURPOSE } from '../src/services/identity/linkPurposes';

let app: App;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startTestApp());
});
afterAll(async () => {
  await close();
});

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 0x20), Buffer.from('\n%%EOF\n')]);
/** What the user reads: the invisible space that keeps « x.pdf » from becoming a link is not read. */
const textOf = (a: unknown) => ((a as { text?: string }).text ?? '').replace(/\u200b/g, '');

describe('a file sent through Direct Line (POST /v3/directline/conversations/{id}/upload)', () => {
  it('reaches the bot as an attachment naming the held file, never its bytes; the bot answers for it and the channel lets it go', async () => {
    const session = await connect(app.url, { webSocket: false, userId: 'dl-upload' });
    const welcome = await session.next((a) => Boolean(adaptiveCard(a)), 'the welcome card');
    const id = welcome.conversation!.id;
    const token = (session.client as unknown as { token: string }).token;
    const form = new FormData();
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'attestation activité.pdf');
    form.append('activity', new Blob([JSON.stringify({ type: 'message', from: { id: 'dl-upload' } })], { type: 'application/vnd.microsoft.activity' }));
    const response = await fetch(`${app.url}/v3/directline/conversations/${id}/upload?userId=dl-upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(response.status).toBe(200);
    const echoed = (await waitFor(async () => session.received.find((a) => a.from.role === 'user' && Boolean((a as { attachments?: unknown[] }).attachments?.length)), 5000, 'the echoed upload')) as unknown as { attachments: unknown[] };
    expect(echoed.attachments[0]).toMatchObject({ contentType: 'application/pdf', name: 'attestation activité.pdf', contentUrl: expect.stringMatching(/^sesame-upload:/) });
    const answer = await session.next((a) => /n'a pas été gardé : pour joindre un document/.test(textOf(a)), 'the answer for the file');
    expect(textOf(answer)).toContain('attestation activité.pdf');
    expect(JSON.stringify(echoed)).not.toContain('%PDF');
    expect(await app.db.channelUpload.count({ where: { conversationId: id } })).toBe(0);

    const noToken = await fetch(`${app.url}/v3/directline/conversations/${id}/upload`, { method: 'POST', body: form });
    expect(noToken.status).toBeGreaterThanOrEqual(401);
    expect(noToken.status).toBeLessThan(404);
    const big = new FormData();
    big.append('file', new Blob([PDF, new Uint8Array(DOCUMENT_LIMITS.maxBytes + 300 * 1024)], { type: 'application/pdf' }), 'big.pdf');
    expect((await fetch(`${app.url}/v3/directline/conversations/${id}/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: big })).status).toBe(413);
    const notMultipart = await fetch(`${app.url}/v3/directline/conversations/${id}/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/html' }, body: '<p>x</p>' });
    expect(notMultipart.status).toBe(415);
    session.end();
  });
});

describe('the intake: a signed-in physician whose request the expert returned', () => {
  it('keeps the document with the request and says so; an HTML file named .pdf is refused', async () => {
    const services = app.services;
    const accountId = ((await services.registry.register({ ...DURAND, identifier: '10100555068', email: 'docs@example.fr' })) as { accountId: string }).accountId;
    await throughAdminFile(app.db, services.registry, accountId);
    const answers = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'yes' };
    await services.engagements.saveDraft(accountId, 0, answers);
    await services.engagements.send(accountId);
    const expert = (await services.desk.create('EXPERT', 'docs@cfar.example', 'E', ['cfar'])).account.id;
    await services.engagements.decide(expert, accountId, 'TO_COMPLETE', 'Joignez votre attestation');

    const state = new ConversationState(new MemoryStorage());
    const accreditation = state.createProperty<AccreditationConversation>('accreditation');
    const files: Record<string, Uint8Array> = { 'sesame-upload:a': PDF, 'sesame-upload:b': new TextEncoder().encode('<html><script>x</script>') };
    const intake = new DocumentIntake(services.documents, accreditation, async (_c, a) => files[a.contentUrl ?? ''], silentLogger);
    const t = (await createI18n('fr')).getFixedT('fr');
    const adapter = new TestAdapter(async (context: TurnContext) => {
      setTurnLanguage(context, 'fr', t);
      await accreditation.set(context, { session: { accountId, lastActiveAt: Date.now() } });
      await intake.handle(context);
    });
    await adapter
      .send({ type: 'message', attachments: [{ contentType: 'application/pdf', name: 'attestation.pdf', contentUrl: 'sesame-upload:a' }, { contentType: 'application/pdf', name: 'piège.pdf', contentUrl: 'sesame-upload:b' }] })
      .assertReply((a) => expect(textOf(a)).toMatch(/^Document reçu : attestation\.pdf \(1 Ko\), joint à votre demande/))
      .assertReply((a) => expect(textOf(a)).toContain("« piège.pdf » n'a pas été gardé : ce n'est ni un PDF"))
      .startTest();
    expect((await services.documents.list(accountId)).map((d) => [d.filename, d.contentType])).toEqual([['attestation.pdf', 'application/pdf']]);
  });
});

describe("the expert's secure page for a document (/compte/bureau/document/{token})", () => {
  it('gives the file once, as a download that runs nothing, to an expert of the OA only', async () => {
    const services = app.services;
    const accountId = ((await services.registry.register({ ...DURAND, identifier: '10100555076', email: 'page@example.fr' })) as { accountId: string }).accountId;
    await throughAdminFile(app.db, services.registry, accountId);
    const answers = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'yes' };
    await services.engagements.saveDraft(accountId, 0, answers);
    await services.engagements.send(accountId);
    const expert = (await services.desk.create('EXPERT', 'page@cfar.example', 'E', ['cfar'])).account.id;
    const stranger = (await services.desk.create('EXPERT', 'page@gynerisq.example', 'G', ['gynerisq'])).account.id;
    await services.engagements.decide(expert, accountId, 'TO_COMPLETE', 'Joignez votre attestation');
    const stored = (await services.documents.store(accountId, 'attestation.pdf', PDF)) as { id: string };

    const { token } = await services.links.create(DOCUMENT_PURPOSE, { documentId: stored.id, locale: 'fr' }, 15, expert);
    const file = await fetch(`${app.url}/compte/bureau/document/${token}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="attestation.pdf"');
    expect(file.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await fetch(`${app.url}/compte/bureau/document/${token}`)).status).toBe(410);

    const other = await services.links.create(DOCUMENT_PURPOSE, { documentId: stored.id, locale: 'fr' }, 15, stranger);
    const refused = await fetch(`${app.url}/compte/bureau/document/${other.token}`);
    expect(refused.status).toBe(410);
    expect(await refused.text()).not.toContain('%PDF');
  });
});
