import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advance, REQUEST_EVENTS, REQUEST_STATES, RequestTransitionError, stateOf, type RequestEvent, type RequestState } from '../src/services/accreditation/requestStatus';
import { createServices, type Services } from '../src/services';
import { createI18n } from '../src/i18n';
import { tempDatabase } from './helpers/db';
import { DURAND, registryWithMail, throughAdminFile } from './helpers/registry';
import type { Db } from '../src/services/db/database';

// The procedure as the seed tells it (000, steps 1–4), written out here rather than read from the
// machine: each line is one allowed transition; every other (state, event) pair must be refused.
const ALLOWED: [RequestState, RequestEvent, RequestState][] = [
  ['CREDENTIALS_SENT', 'signIn', 'SIGNED_IN'],
  ['SIGNED_IN', 'signIn', 'SIGNED_IN'],
  ['SIGNED_IN', 'saveFile', 'FILE_COMPLETE'],
  ['FILE_COMPLETE', 'signIn', 'FILE_COMPLETE'],
  ['FILE_COMPLETE', 'saveFile', 'FILE_COMPLETE'],
  ['FILE_COMPLETE', 'openQuestionnaire', 'QUESTIONNAIRE'],
  ['QUESTIONNAIRE', 'signIn', 'QUESTIONNAIRE'],
  ['QUESTIONNAIRE', 'saveFile', 'QUESTIONNAIRE'],
  ['QUESTIONNAIRE', 'saveDraft', 'QUESTIONNAIRE'],
  ['QUESTIONNAIRE', 'send', 'SENT'],
  ['SENT', 'signIn', 'SENT'],
  ['SENT', 'saveFile', 'SENT'],
  ['SENT', 'accept', 'ACCEPTED'],
  ['SENT', 'refuse', 'REFUSED'],
  ['SENT', 'askComplement', 'TO_COMPLETE'],
  ['TO_COMPLETE', 'signIn', 'TO_COMPLETE'],
  ['TO_COMPLETE', 'saveFile', 'TO_COMPLETE'],
  ['TO_COMPLETE', 'saveDraft', 'TO_COMPLETE'],
  ['TO_COMPLETE', 'send', 'SENT'],
  ['ACCEPTED', 'signIn', 'ACCEPTED'],
  ['ACCEPTED', 'saveFile', 'ACCEPTED'],
  ['REFUSED', 'signIn', 'REFUSED'],
  ['REFUSED', 'saveFile', 'REFUSED'],
  ['REFUSED', 'renew', 'QUESTIONNAIRE'],
];
const allowed = new Set(ALLOWED.map(([from, event]) => `${from} ${event}`));
const REFUSED_PAIRS = REQUEST_STATES.flatMap((from) => REQUEST_EVENTS.filter((event) => !allowed.has(`${from} ${event}`)).map((event) => [from, event] as const));

describe('the request status machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(advance(from, event)).toBe(to);
  });

  it.each(REFUSED_PAIRS)('%s refuses %s with a typed error', (from, event) => {
    expect(() => advance(from, event)).toThrow(RequestTransitionError);
    try {
      advance(from, event);
    } catch (error) {
      expect(error).toMatchObject({ from, event });
    }
  });

  it('has a way out of every state but « engagé », and « engagé » is reached from the start', () => {
    const reachable = new Set<RequestState>(['CREDENTIALS_SENT']);
    for (let i = 0; i < REQUEST_STATES.length; i += 1) for (const [from, , to] of ALLOWED) if (reachable.has(from)) reachable.add(to);
    expect([...reachable].sort()).toEqual([...REQUEST_STATES].sort());
    for (const state of REQUEST_STATES.filter((s) => s !== 'ACCEPTED')) expect(ALLOWED.some(([from, , to]) => from === state && to !== state), state).toBe(true);
  });

  it('reads the status from the account before the questionnaire, from the engagement after', () => {
    expect(stateOf({ everSignedIn: false, hasAdminFile: false }, undefined)).toBe('CREDENTIALS_SENT');
    expect(stateOf({ everSignedIn: true, hasAdminFile: false }, undefined)).toBe('SIGNED_IN');
    expect(stateOf({ everSignedIn: true, hasAdminFile: true }, undefined)).toBe('FILE_COMPLETE');
    expect(stateOf({ everSignedIn: true, hasAdminFile: true }, { status: 'DRAFT' })).toBe('QUESTIONNAIRE');
    expect(stateOf({ everSignedIn: true, hasAdminFile: true }, { status: 'REFUSED' })).toBe('REFUSED');
  });
});

describe('the services keep to it', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let mail: Awaited<ReturnType<typeof registryWithMail>>;
  let services: Services;
  const answers = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'yes' };

  beforeEach(async () => {
    ({ db, cleanup } = await tempDatabase());
    mail = await registryWithMail(db);
    services = createServices(db, mail.outbox, await createI18n('fr'), () => 'http://sesame.test');
  });

  afterEach(async () => {
    await mail.close();
    await cleanup();
  });

  it('refuses the questionnaire and the file before their step', async () => {
    const { accountId } = (await services.registry.register(DURAND)) as { accountId: string };
    expect((await services.engagements.status(accountId))?.state).toBe('CREDENTIALS_SENT');
    await expect(services.engagements.open(accountId)).rejects.toMatchObject({ from: 'CREDENTIALS_SENT', event: 'openQuestionnaire' });
    await expect(services.registry.saveAdministrativeFile(accountId, (await import('./helpers/registry')).ADMIN_FILE)).rejects.toMatchObject({ from: 'CREDENTIALS_SENT', event: 'saveFile' });
    expect(await db.engagement.count()).toBe(0);
  });

  it('refused, then a new request prefilled and reopened, then accepted; the refusal and its reason stay in the history', async () => {
    const { accountId } = (await services.registry.register(DURAND)) as { accountId: string };
    await throughAdminFile(db, services.registry, accountId);
    expect((await services.engagements.status(accountId))?.state).toBe('FILE_COMPLETE');
    await services.engagements.saveDraft(accountId, 2, { establishments: 'CHU' });
    expect(await services.engagements.status(accountId)).toMatchObject({ state: 'QUESTIONNAIRE', section: { current: 3, total: 5 }, round: 1 });
    await expect(services.engagements.renew(accountId)).rejects.toMatchObject({ from: 'QUESTIONNAIRE', event: 'renew' });
    await services.engagements.saveDraft(accountId, 4, answers);
    await services.engagements.send(accountId);
    const { account: expert } = await services.desk.create('EXPERT', 'e@cfar.example', 'E', ['cfar']);
    await services.engagements.decide(expert.id, accountId, 'REFUSED', 'Attestation d’activité manquante');
    expect(await services.engagements.status(accountId)).toMatchObject({ state: 'REFUSED', comment: 'Attestation d’activité manquante', oa: { name: 'CFAR' } });

    const renewed = await services.engagements.renew(accountId);
    expect(renewed).toMatchObject({ status: 'DRAFT', section: 0, sentAt: undefined, expertComment: undefined });
    expect(renewed.answers).toEqual(answers);
    expect(await services.engagements.status(accountId)).toMatchObject({ state: 'QUESTIONNAIRE', section: { current: 1, total: 5 }, round: 2 });
    await expect(services.engagements.renew(accountId)).rejects.toBeInstanceOf(RequestTransitionError);

    await services.engagements.send(accountId);
    await services.engagements.decide(expert.id, accountId, 'ACCEPTED');
    expect((await services.engagements.status(accountId))?.state).toBe('ACCEPTED');
    const history = await services.registry.history(accountId);
    expect(history.filter((e) => e.type.startsWith('DECISION_') || e.type === 'REQUEST_RENEWED').map((e) => [e.type, e.detail])).toEqual([
      ['DECISION_REFUSED', 'Attestation d’activité manquante'],
      ['REQUEST_RENEWED', 'CFAR'],
      ['DECISION_ACCEPTED', undefined],
    ]);
    expect((await services.engagements.decisions(accountId)).map((d) => [d.decision, d.reason])).toEqual([
      ['REFUSED', 'Attestation d’activité manquante'],
      ['ACCEPTED', undefined],
    ]);
  });

  it('two experts deciding at once: one decision, the other refused', async () => {
    const { accountId } = (await services.registry.register(DURAND)) as { accountId: string };
    await throughAdminFile(db, services.registry, accountId);
    await services.engagements.saveDraft(accountId, 0, answers);
    await services.engagements.send(accountId);
    const { account: a } = await services.desk.create('EXPERT', 'a@cfar.example', 'A', ['cfar']);
    const { account: b } = await services.desk.create('EXPERT', 'b@cfar.example', 'B', ['cfar']);
    const results = await Promise.allSettled([services.engagements.decide(a.id, accountId, 'ACCEPTED'), services.engagements.decide(b.id, accountId, 'REFUSED', 'non')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await services.engagements.decisions(accountId)).toHaveLength(1);
  });
});
