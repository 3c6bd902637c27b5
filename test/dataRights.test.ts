import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activity, Message } from 'botframework-directlinejs';
import { startTestApp } from './helpers/app';
import { adaptiveCard, connect } from './helpers/directline';
import { waitFor } from './helpers/smtp';
import { DURAND, throughAdminFile } from './helpers/registry';
import type { App } from '../src/app';

let app: App;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startTestApp());
});
afterAll(async () => close());

const answers = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'yes' };
const subject = (accreditationAccountId: string) => ({ channelId: 'directline', conversationId: `c-${accreditationAccountId}`, accreditationAccountId });

describe('data rights (RGPD): the service', () => {
  it('erases a request nobody examined yet, whole; keeps one the OA received, and says so', async () => {
    const { registry, engagements, dataRights } = app.services;
    const draft = (await registry.register({ ...DURAND, identifier: '10100000001', email: 'draft@example.fr' })) as { accountId: string };
    await throughAdminFile(app.db, registry, draft.accountId);
    await engagements.saveDraft(draft.accountId, 0, answers);
    const sent = (await registry.register({ ...DURAND, identifier: '10100000019', email: 'sent@example.fr' })) as { accountId: string };
    await throughAdminFile(app.db, registry, sent.accountId);
    await engagements.saveDraft(sent.accountId, 0, answers);
    await engagements.send(sent.accountId);

    expect(await dataRights.wouldKeep(subject(draft.accountId))).toEqual([]);
    expect(await dataRights.wouldKeep(subject(sent.accountId))).toEqual([{ what: 'accreditation', status: 'SENT' }]);

    const erased = await dataRights.erase(subject(draft.accountId));
    expect(erased.erased.accreditation).toBe(true);
    expect(await registry.account(draft.accountId)).toBeUndefined();
    expect(await app.db.accreditationEvent.count({ where: { accountId: draft.accountId } })).toBe(0);
    expect(await app.db.engagement.count({ where: { accountId: draft.accountId } })).toBe(0);
    // Its credentials mail, if still waiting, does not go out after the erasure.
    expect(await app.db.outboxMail.count({ where: { to: 'draft@example.fr', status: 'PENDING' } })).toBe(0);

    const kept = await dataRights.erase(subject(sent.accountId));
    expect(kept).toMatchObject({ erased: { accreditation: false }, kept: [{ what: 'accreditation', status: 'SENT' }] });
    expect((await registry.account(sent.accountId))?.identifier).toBe('10100000019');
    expect((await engagements.get(sent.accountId))?.status).toBe('SENT');
  });

  it('gives a copy of the request with its history and questionnaire, and no password, not even hashed', async () => {
    const { registry, engagements, dataRights } = app.services;
    const { accountId } = (await registry.register({ ...DURAND, identifier: '10100000027', email: 'copy@example.fr' })) as { accountId: string };
    await throughAdminFile(app.db, registry, accountId);
    await engagements.saveDraft(accountId, 0, answers);
    const copy = await dataRights.export(subject(accountId));
    expect(copy).toMatchObject({
      accreditation: { request: { identifier: '10100000027', email: 'copy@example.fr' }, history: expect.arrayContaining([expect.objectContaining({ type: 'REQUEST_CREATED' })]), engagement: { status: 'DRAFT' } },
      medimail: null,
    });
    expect(JSON.stringify(copy)).not.toMatch(/hash|scrypt|\$s0|otp/i);
  });
});

describe('data rights (RGPD): Medimail', () => {
  it('the copy gives each request to the service centre with its reference (MM-…) and its state', async () => {
    const { medimail, dataRights } = app.services;
    const started = await medimail.startRegistration({ lastName: 'Roux', firstName: 'Inès', email: 'ines.roux@example.fr', profession: 'medecin', locale: 'fr' }, { conversation: { id: 'c-rgpd' } });
    if (started.status !== 'ok') throw new Error('registration refused');
    const accountId = started.accountId;
    await app.db.serviceCentreRequest.create({ data: { id: 'r-1', type: 'ORG_MAILBOX', accountId, detail: JSON.stringify({ name: 'Secrétariat' }), reference: 'MM-900001', status: 'RECEIVED', requesterEmail: 'ines.roux@example.fr' } });
    await app.db.serviceCentreRequest.create({ data: { id: 'r-2', type: 'RPPS_UPDATE', accountId, detail: JSON.stringify({ rpps: '10100326494' }), reference: 'MM-900002', status: 'DONE', doneAt: new Date('2026-03-02T09:00:00Z'), requesterEmail: 'ines.roux@example.fr' } });
    // Another account's request is not in this copy.
    await app.db.serviceCentreRequest.create({ data: { id: 'r-3', type: 'CHANGE', accountId: 'someone-else', detail: '{}', reference: 'MM-900003' } });
    const copy = (await dataRights.export({ channelId: 'directline', conversationId: 'c-rgpd', medimailAccountId: accountId })) as { medimail: { serviceCentreRequests: unknown[] } };
    expect(copy.medimail.serviceCentreRequests).toEqual([
      expect.objectContaining({ reference: 'MM-900001', type: 'ORG_MAILBOX', state: 'RECEIVED', doneAt: null, detail: { name: 'Secrétariat' } }),
      expect.objectContaining({ reference: 'MM-900002', type: 'RPPS_UPDATE', state: 'DONE', doneAt: new Date('2026-03-02T09:00:00Z') }),
    ]);
  });
});

describe('data rights (RGPD): in the chat', () => {
  it('« télécharger mes données » gives a one-time file; « supprimer mes données » asks, erases, and leaves nothing of the conversation', async () => {
    const session = await connect(app.url, { webSocket: false, userId: 'u-rgpd' });
    const welcome = await session.next((a) => Boolean(adaptiveCard(a)), 'the welcome');
    expect(adaptiveCard(welcome)!.actions.map((a) => a.title)).toContain('Mes données');
    const conversationId = welcome.conversation!.id;
    await session.send({ text: 'mon mail securise ne marche pas, un souci avec Medimail' });
    await session.next((a) => a.type === 'message', 'an answer');

    // In a sentence, with the typos of a hurried user.
    await session.send({ text: 'je voudrais telecharger mes donnees svp' });
    const ready = (await session.next((a) => a.type === 'message' && /\/compte\/donnees\//.test((a as Message).text ?? ''), 'the link')) as Message;
    const url = /(https?:\/\/\S+\/compte\/donnees\/[\w-]+)/.exec(ready.text!)![1].replace(/^https?:\/\/[^/]+/, app.url);
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="sesame-mes-donnees-\d{4}-\d{2}-\d{2}\.json"$/);
    const copy = (await file.json()) as { about: string[]; conversation: { activities: { type: string; text?: string; from: { role?: string } }[] } };
    expect(copy.about[0]).toMatch(/tout ce que Sésame conserve/);
    expect(copy.conversation.activities.some((a) => a.type === 'message' && a.from.role === 'user' && /un souci avec Medimail/.test(a.text ?? ''))).toBe(true);
    // One time only: the link is spent.
    expect((await fetch(url)).headers.get('content-type')).toMatch(/text\/html/);

    await session.send({ text: 'supprimer mes données' });
    const confirm = await session.next((a) => Boolean(adaptiveCard(a)?.body.some((b) => b.text === 'Supprimer mes données ?')), 'the confirmation');
    expect(adaptiveCard(confirm)!.actions.map((a) => a.title)).toEqual(['Supprimer définitivement', 'Annuler']);
    const { promptId } = adaptiveCard(confirm)!.actions[0].data;
    await session.send({ value: { verb: 'confirm', promptId } });
    await session.next((a) => a.type === 'message' && /C'est fait : vos données sont effacées/.test((a as Message).text ?? ''), 'the erasure');
    await session.next((a) => a.type === 'event' && (a as Activity & { name?: string; value?: unknown }).name === 'sesame.forgetConversation' && (a as { value?: unknown }).value === 'erased', 'the page told');

    // Nothing of the conversation is left: its transcript (this turn's too), its state, its history on the channel.
    await waitFor(async () => (await app.services.transcripts.allActivities('directline', conversationId)).length === 0, 5_000, 'the transcript to be gone');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await app.services.transcripts.allActivities('directline', conversationId)).toEqual([]);
    const state = await app.db.botStateItem.findMany({ where: { key: { startsWith: `directline/conversations/${conversationId}/` } } });
    for (const row of state) expect(JSON.stringify(JSON.parse(row.data))).not.toMatch(/dialogState|souci/);
    const kept = await app.db.directLineActivity.findMany({ where: { conversationId } });
    expect(kept.map((a) => a.body).join('\n')).not.toMatch(/un souci avec Medimail|telecharger mes donnees/);
    // The conversation cannot be resumed: the page starts a new one.
    expect((await app.db.directLineConversation.findUnique({ where: { id: conversationId } }))?.resumeHash).toBeNull();
    // No card is left behind that the erased state would not know: the next message starts afresh, and its first tap works.
    expect(session.received.slice(session.received.indexOf(confirm) + 1).filter((a) => adaptiveCard(a))).toEqual([]);
    await session.send({ text: 'bonjour' });
    const fresh = await session.next((a) => Boolean(adaptiveCard(a)?.actions.some((b) => b.data.verb === 'accreditation.start')), 'a fresh welcome');
    await session.send({ value: { verb: 'accreditation.start', promptId: adaptiveCard(fresh)!.actions[0].data.promptId } });
    await session.next((a) => Boolean(adaptiveCard(a)?.body.some((b) => b.text === 'Accréditation des médecins')), 'the accreditation entry');
    session.end();
  });
});
