import { beforeAll, describe, expect, it } from 'vitest';
import * as AC from 'adaptivecards';
import { createI18n, type Translator } from '../src/i18n';
import type { AdaptiveCard, CardElement } from '../src/cards/adaptive';
import fs from 'node:fs';
import path from 'node:path';
import { welcomeCard } from '../src/cards/welcomeCard';
import { ticketCard } from '../src/cards/supportCards';
import { missingCard, sectionCard, sentQuestionnaireCard } from '../src/cards/questionnaireCards';
import { eprCard, eprListCard, portalCard } from '../src/cards/eprCards';
import { deskEprsCard, deskWaitCard, queueCard, summaryCard } from '../src/cards/deskCards';
import {
  agentQueueCard,
  agentSummaryCard,
  connectionCard,
  finaliseCard,
  finaliseRecapCard,
  medimailFormCard,
  medimailHubCard,
  orgMailboxCard,
  orientationCard,
  pathCard,
  regionCard,
  resendConfirmationCard,
  rppsUpdateCard,
  typesCard,
  waitingCard,
  waysCard,
} from '../src/cards/medimailCards';
import { parseQuestionnaire } from '../src/services/accreditation/questionnaires';
import type { AccountView } from '../src/services/accreditation/registry';
import type { EngagementView } from '../src/services/accreditation/engagement';
import type { EprView } from '../src/services/accreditation/epr';
import {
  adminFileCard,
  adminRecapCard,
  eligibilityCard,
  entryCard,
  hubCard,
  notEligibleCard,
  registrationCard,
  resendByNumberCard,
  resendCard,
  signInWaitCard,
} from '../src/cards/accreditationCards';

const questionnaire = parseQuestionnaire(
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'data', 'accreditation', 'questionnaires', 'default.v1.json'), 'utf8')),
  'default.v1.json',
);
const account: AccountView = {
  id: 'a',
  identifier: '10107350777',
  identifierKind: 'RPPS',
  identifierKeyOk: false,
  civility: 'dr',
  lastName: 'Durand-Lefèvre de la Tour',
  firstName: 'Jean-Baptiste',
  specialty: 'chirurgie-thoracique-cardiovasculaire',
  practice: 'team',
  email: 'jean-baptiste.durand-lefevre@chu-toulouse.fr',
  createdAt: new Date(),
  hasPersonalPassword: true,
      everSignedIn: true,
  adminFile: {
    address: '10 rue des Trente-Six-Ponts',
    postalCode: '31400',
    city: 'Toulouse',
    department: '31',
    cpamDepartment: '31',
    crfmcRegion: '76',
    practiceMode: 'mixed',
    urmlRegion: '76',
    establishments: [{ name: 'CHU de Toulouse', finess: '310781406' }],
  },
  adminFileSavedAt: new Date(),
};
const engagement: EngagementView = {
  accountId: 'a',
  status: 'SENT',
  oa: { id: 'sfctcv', name: 'SFCTCV', targetedThemes: [] },
  questionnaire,
  answers: { settings: 'theatre,icu', emergency: 'yes' },
  section: 0,
  sentAt: new Date(),
  decidedAt: undefined,
  expertComment: undefined,
  commentSection: undefined,
  attestationAt: undefined,
};
const epr: EprView = { id: 'e', status: 'SENT', answers: { date: '2026-01-15', establishment: 'CHU', targeted: 'yes', theme: 'shoulderDystocia', what: 'x' }, createdAt: new Date(), sentAt: new Date() };

const view = (values: Record<string, string> = {}, errors: Record<string, string> = {}) => ({ promptId: 'p-1', values, errors });

function every(t: Translator): [string, AdaptiveCard][] {
  return [
    ['welcome', welcomeCard(t, 'p-1')],
    ['entry', entryCard(t, 'p-1')],
    ['eligibility', eligibilityCard(t, view({}, { specialty: 'Choisissez une valeur.' }))],
    ['notEligible', notEligibleCard(t, 'p-1', 'cabinetOnly')],
    ['registration', registrationCard(t, view({ email: 'a@gmial.com' }), { notice: 'emailSuggestion', suggestion: 'a@gmail.com' })],
    ['registration badKey', registrationCard(t, view(), { notice: 'badKey', value: '10107350777' })],
    ['hub', hubCard(t, { promptId: 'p-1', signedInAs: { civility: 'dr', firstName: 'Jean', lastName: 'Durand' }, history: [{ type: 'REQUEST_CREATED', at: new Date().toISOString() }], next: 'nextAdminFile', actions: ['adminFile', 'signout', 'menu'] })],
    ['resend', resendCard(t, view({ email: 'a@b.fr' }), { date: '12/03/2026 à 14 h 02', maskedEmail: 'a•••@b.fr' }, true)],
    ['resend by number', resendByNumberCard(t, view({ identifier: '10100326494' }))],
    ['signInWait', signInWaitCard(t, 'p-1')],
    ['adminFile', adminFileCard(t, view({}, { postalCode: 'Code postal : 5 chiffres.' }))],
    ['adminRecap', adminRecapCard(t, view({ department: '31' }), [{ title: 'Adresse', value: '10 rue *des* Ponts' }])],
    ...questionnaire.sections.map((_, section): [string, AdaptiveCard] => [`section ${section + 1}`, sectionCard(t, view({}, { actsPerYear: 'x' }), { questionnaire, section, answers: {}, comment: 'Précisez' })]),
    ['missing', missingCard(t, 'p-1', [{ section: 4, question: 'q.prerequisites.accepted' }])],
    ['ticket', ticketCard(t, view({ route: 'siam', where: 'Accréditation — *Étape 1*', errorList: '« Nom » est obligatoire.\n« RPPS » : 11 chiffres' }, { description: 'Trop court.' }), true)],
    ['ticket, OA known', ticketCard(t, view({ route: 'oa' }), false)],
    ['sent questionnaire', sentQuestionnaireCard(t, 'p-1', questionnaire, { settings: 'theatre,icu', emergency: 'no' }, new Date())],
    ['portal', portalCard(t, 'p-1', 'Gynérisq', ['postpartumHaemorrhage', 'shoulderDystocia'])],
    ['epr', eprCard(t, view({}, { what: 'anonyme' }), ['postpartumHaemorrhage'], '2026-11-22')],
    ['epr list', eprListCard(t, 'p-1', [epr, { ...epr, id: 'd', status: 'DRAFT', sentAt: undefined }])],
    ['desk wait', deskWaitCard(t, 'p-1')],
    ['desk queue', queueCard(t, 'p-1', [{ accountId: 'a', name: 'Jean Durand', specialty: 'orl', sentAt: new Date(Date.now() - 3 * 86_400_000).toISOString() }], new Date())],
    ['desk summary', summaryCard(t, view(), account, engagement)],
    ['desk eprs', deskEprsCard(t, 'p-1', [epr])],
    ['mm orientation', orientationCard(t, 'p-1')],
    ['mm types', typesCard(t, 'p-1')],
    ['mm connection', connectionCard(t, view({}, { structureId: 'x' }))],
    ['mm region', regionCard(t, view())],
    ['mm ways', waysCard(t, 'p-1')],
    ['mm form', medimailFormCard(t, view({ email: 'secretariat@x.fr' }), true)],
    ['mm waiting', waitingCard(t, 'p-1', 'confirm', 'x', [{ title: 'y', verb: 'notReceived' }])],
    ['mm resend', resendConfirmationCard(t, view({ email: 'a@b.fr' }), 'Medimail <cerbere@mipih.fr>')],
    ['mm path', pathCard(t, 'p-1')],
    ['mm finalise rpps', finaliseCard(t, view(), 'rpps')],
    ['mm finalise structure', finaliseCard(t, view({}, { structureId: 'x' }), 'structure')],
    ['mm recap', finaliseRecapCard(t, view({ region: '76', department: '31' }), [{ title: 'RPPS', value: '10100326494' }])],
    ['mm hub', medimailHubCard(t, 'p-1', { account: { status: 'REJECTED', mssAddress: 'jean.durand@medecin.oc.mssante.fr', rejectReason: 'SIRET *faux*' }, actions: ['fixAndResend', 'support', 'menu'] })],
    ['mm rpps', rppsUpdateCard(t, view())],
    ['mm org', orgMailboxCard(t, view())],
    ['agent queue', agentQueueCard(t, 'p-1', [{ id: 'a', name: 'Jean Durand', profession: 'medecin', hours: 52 }])],
    ['agent summary', agentSummaryCard(t, view(), { id: 'a', status: 'SUBMITTED', lastName: 'Durand', firstName: 'Jean', email: 'j@x.fr', profession: 'medecin', mssAddress: 'jean.durand@medecin.oc.mssante.fr', details: { path: 'structure', structureKind: 'SIRET', structureId: '35600000049837', profession: 'medecin', liberal: false, phone: '0561000000', address: 'x', city: 'Toulouse', postalCode: '31000', region: '76', department: '31', directoryVisible: true, dematerialisation: true }, submittedAt: new Date(), rejectReason: undefined })],
  ];
}

function elements(items: CardElement[]): CardElement[] {
  return items.flatMap((item) => (item.type === 'Container' ? [item, ...elements(item.items)] : [item]));
}

describe.each(['fr', 'en'] as const)('every card (%s)', (locale) => {
  let t: Translator;
  beforeAll(async () => {
    t = (await createI18n('fr')).getFixedT(locale);
  });

  it('is Adaptive Card 1.5 with Action.Submit only, each carrying verb and promptId', () => {
    for (const [name, card] of every(t)) {
      expect(card.version, name).toBe('1.5');
      for (const action of card.actions ?? []) {
        expect(action.type, name).toBe('Action.Submit');
        expect(action.data.verb, name).toBeTruthy();
        expect(action.data.promptId, name).toBe('p-1');
      }
    }
  });

  it('labels every input, and gives every required input its error message (Web Chat will not draw it otherwise)', () => {
    for (const [name, card] of every(t)) {
      for (const element of elements(card.body)) {
        if (!element.type.startsWith('Input.')) continue;
        const input = element as CardElement & { label?: string; title?: string; isRequired?: boolean; errorMessage?: string };
        expect(input.label ?? input.title, `${name}: ${'id' in input ? input.id : ''}`).toBeTruthy();
        if (input.isRequired) expect(input.errorMessage, `${name}: ${'id' in input ? input.id : ''}`).toBeTruthy();
      }
    }
  });

  it("parses without warnings and validates with Microsoft's adaptivecards library (schema 1.5)", () => {
    for (const [name, json] of every(t)) {
      const parsed = new AC.AdaptiveCard();
      const context = new AC.SerializationContext(AC.Versions.v1_5);
      parsed.parse(json, context);
      const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
      expect(events, name).toEqual([]);
      expect(parsed.validateProperties().validationEvents.map((e) => e.message), name).toEqual([]);
      expect(parsed.version?.toString(), name).toBe('1.5');
      for (let i = 0; i < parsed.getActionCount(); i += 1) expect(parsed.getActionAt(i)?.getJsonTypeName(), name).toBe('Action.Submit');
    }
  });

  it('leaves no translation key untranslated', () => {
    for (const [name, card] of every(t)) {
      const json = JSON.stringify(card);
      expect(json, name).not.toMatch(/"(accreditation|common|pages|mail):[\w.]+"/);
      expect(json, name).not.toMatch(/"(welcome|validation|hub|form|adminFile|eligibility|q|card|epr|portal|queue|summary|eprs|entry|theme|orientation|connection|region|ways|finalise|agent|rpps|org|profession|step)\.[\w.]+"/);
    }
  });
});
