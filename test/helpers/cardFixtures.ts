import fs from 'node:fs';
import path from 'node:path';
import type { Translator } from '../../src/i18n';
import type { AdaptiveCard } from '../../src/cards/adaptive';
import { renderCard, type CardData, type CardName } from '../../src/cards/render';
import { confirmData, eraseConfirmData, privacyData, recapData, welcomeData } from '../../src/cards/common';
import * as acc from '../../src/cards/accreditation';
import * as mm from '../../src/cards/medimail';
import { missingData, sectionData, sentQuestionnaireData } from '../../src/cards/questionnaire';
import { eprData, eprListData, portalData } from '../../src/cards/epr';
import { deskEprsData, deskWaitData, queueData, summaryData } from '../../src/cards/desk';
import { ticketData } from '../../src/cards/support';
import { parseQuestionnaire } from '../../src/services/accreditation/questionnaires';
import type { AccountView } from '../../src/services/accreditation/registry';
import type { EngagementView } from '../../src/services/accreditation/engagement';
import type { EprView } from '../../src/services/accreditation/epr';

// Every card with representative data — the longest names and sentences included — for the card
// tests and for the Designer's samples (scripts/card-samples.ts writes templates/**/<name>.data.json).

export const questionnaire = parseQuestionnaire(
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'data', 'accreditation', 'questionnaires', 'default.v1.json'), 'utf8')),
  'default.v1.json',
);
const longName = { lastName: 'Durand-Lefèvre de la Tour-Maubourg', firstName: 'Jean-Baptiste-Emmanuel' };
const account: AccountView = {
  id: 'a',
  identifier: '10107350777',
  identifierKind: 'RPPS',
  identifierKeyOk: false,
  civility: 'dr',
  ...longName,
  specialty: 'chirurgie-thoracique-cardiovasculaire',
  practice: 'team',
  email: 'jean-baptiste.durand-lefevre@chu-toulouse.fr',
  createdAt: new Date('2026-03-12T13:02:00Z'),
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
    establishments: [{ name: 'Centre hospitalier universitaire de Toulouse — Hôpital Rangueil', finess: '310781406' }],
  },
  adminFileSavedAt: new Date('2026-03-12T13:02:00Z'),
};
const engagement: EngagementView = {
  accountId: 'a',
  status: 'SENT',
  oa: { id: 'sfctcv', name: 'SFCTCV', targetedThemes: [] },
  questionnaire,
  answers: { settings: 'theatre,icu', emergency: 'yes', lastDeclaration: '2025-06-10' },
  section: 0,
  sentAt: new Date('2026-03-12T13:02:00Z'),
  decidedAt: undefined,
  expertComment: undefined,
  commentSection: undefined,
  attestationAt: undefined,
};
const epr: EprView = {
  id: 'e',
  status: 'SENT',
  answers: { date: '2026-01-15', establishment: 'Clinique Pasteur *Toulouse*', targeted: 'yes', theme: 'shoulderDystocia', what: 'x' },
  createdAt: new Date('2026-01-16T08:00:00Z'),
  sentAt: new Date('2026-01-16T09:00:00Z'),
  declaredBy: { civility: 'dr', ...longName, identifierKind: 'RPPS', identifier: '10107350777' },
};
const view = (values: Record<string, string> = {}, errors: Record<string, string> = {}) => ({ promptId: 'p-1', values, errors });

type Fixture = { [N in CardName]: [label: string, name: N, data: CardData<N>] }[CardName];
const f = <N extends CardName>(label: string, name: N, data: CardData<N>): Fixture => [label, name, data] as Fixture;

export function fixtures(t: Translator): Fixture[] {
  const list: Fixture[] = [
    f('welcome', 'common/welcome', welcomeData(t, 'p-1')),
    f('privacy', 'common/privacy', privacyData(t, 'p-1')),
    f('eraseConfirm (both kept)', 'common/eraseConfirm', eraseConfirmData(t, 'p-1', { accreditation: true, medimail: true }, [{ what: 'accreditation', status: 'ACCEPTED' }, { what: 'medimail', status: 'ACTIVE' }])),
    f('eraseConfirm (nothing kept)', 'common/eraseConfirm', eraseConfirmData(t, 'p-1', { accreditation: true, medimail: false }, [])),
    f('entry', 'accreditation/entry', acc.entryData(t, 'p-1')),
    f('eligibility', 'accreditation/eligibility', acc.eligibilityData(t, view({}, { specialty: 'Choisissez une valeur.' }))),
    f('notEligible', 'accreditation/notEligible', acc.notEligibleData(t, 'p-1', 'specialty')),
    f('registration', 'accreditation/registration', acc.registrationData(t, view({ email: 'jean-baptiste.durand@gmial.com', lastName: '${x}' }), { notice: 'emailSuggestion', suggestion: 'jean-baptiste.durand@gmail.com' })),
    f('registration badKey', 'accreditation/registration', acc.registrationData(t, view(), { notice: 'badKey', value: '10107350777' })),
    f('registration nationalId', 'accreditation/registration', acc.registrationData(t, view(), { notice: 'nationalId', value: '810107350777', rpps: '10107350777' })),
    f('hub', 'accreditation/hub', acc.hubData(t, { promptId: 'p-1', signedInAs: { civility: 'dr', ...longName }, line: 'REFUSED', history: [{ type: 'REQUEST_CREATED', at: '2026-03-12T13:02:00Z' }, { type: 'CREDENTIALS_SENT', detail: 'j•••@chu-toulouse.fr', at: '2026-03-12T13:02:00Z' }, { type: 'DECISION_REFUSED', detail: 'Prérequis *non* remplis', at: '2026-12-03T09:00:00Z' }], next: 'refused', about: { oa: 'SFCTCV', date: '2026-12-03T09:00:00Z', comment: 'Prérequis *non* remplis' }, contact: { reach: 'experts' }, documents: [{ name: 'attestation_*activite*.pdf', at: '2026-11-20T10:15:00Z' }], actions: ['renew', 'contactOa', 'readQuestionnaire', 'signout', 'menu'] })),
    f('hub refused, OA address configured', 'accreditation/hub', acc.hubData(t, { promptId: 'p-1', signedInAs: { civility: 'dr', ...longName }, line: 'REFUSED', history: [], next: 'refused', about: { oa: 'CFAR', date: '2026-12-03T09:00:00Z', comment: 'Prérequis non remplis' }, contact: { reach: 'address', address: 'accreditation@cfar.example' }, actions: ['renew', 'contactOa', 'history', 'signout', 'menu'] })),
    f('hub sent', 'accreditation/hub', acc.hubData(t, { promptId: 'p-1', signedInAs: { civility: 'dr', ...longName }, line: 'SENT', history: [], next: 'waiting', about: { oa: 'CFAR', date: '2026-12-03T09:00:00Z', current: 5, total: 5 }, actions: ['readQuestionnaire', 'editAdminFile', 'history', 'signout', 'menu'] })),
    f('hub questionnaire', 'accreditation/hub', acc.hubData(t, { promptId: 'p-1', line: 'RENEWED', history: [], next: 'nextResume', about: { oa: undefined, current: 2, total: 5 }, actions: ['questionnaire', 'history', 'menu'] })),
    f('hub evaluated, signed out', 'accreditation/hub', acc.hubData(t, { promptId: 'p-1', line: 'evaluated', history: [], next: 'nextSigninPersonal', about: { oa: 'Gynérisq', date: '2026-12-03T09:00:00Z' }, actions: ['signin', 'menu'] })),
    f('hub empty', 'accreditation/hub', acc.hubData(t, { promptId: 'p-1', line: 'none', history: [], next: 'nextSigninAny', actions: ['register', 'signin', 'resend', 'menu'] })),
    f('resend', 'accreditation/resend', acc.resendData(t, view({ email: 'a@b.fr' }, { email: 'Adresse invalide.' }), { date: '12/03/2026 à 14 h 02', maskedEmail: 'a•••@b.fr' }, true)),
    f('resend on file', 'accreditation/resend', acc.resendData(t, view(), { date: '', maskedEmail: '' }, false)),
    f('resend by number', 'accreditation/resendByNumber', acc.resendByNumberData(t, view({ identifier: '10100326494' }))),
    f('signInWait', 'accreditation/signInWait', acc.signInWaitData(t, 'p-1')),
    f('adminFile', 'accreditation/adminFile', acc.adminFileData(t, view({}, { postalCode: 'Code postal : 5 chiffres.' }))),
    f('adminRecap', 'accreditation/adminRecap', acc.adminRecapData(t, view({ department: '31' }), [{ title: 'Adresse', value: '10 rue *des* Ponts' }])),
    f('adminRecap, department in doubt', 'accreditation/adminRecap', acc.adminRecapData(t, view({ department: '48' }), [{ title: 'Adresse', value: 'Le Village' }], { postalCode: '48250', deduced: '48', cpam: '07' })),
    f('notEligible cabinet only', 'accreditation/notEligible', acc.notEligibleData(t, 'p-1', 'cabinetOnly', 'cardiologie')),
    ...questionnaire.sections.map((_, section) => f(`section ${section + 1}`, 'questionnaire/section', sectionData(t, view({ actsPerYear: '120' }, { actsPerYear: 'x' }), { questionnaire, section, answers: {}, comment: 'Précisez *vos* volumes' }))),
    f('missing', 'questionnaire/missing', missingData(t, 'p-1', [{ section: 4, question: 'q.prerequisites.accepted' }, { section: 1, question: 'q.volumes.actsPerYear' }])),
    f('prerequisites refused', 'questionnaire/missing', missingData(t, 'p-1', [{ section: 4, question: 'q.prerequisites.accepted', refused: 'q.prerequisites.mustAccept' }])),
    f('sent questionnaire', 'questionnaire/sent', sentQuestionnaireData(t, 'p-1', questionnaire, { settings: 'theatre,icu', emergency: 'no', lastDeclaration: '2025-06-10' }, new Date('2026-03-12T13:02:00Z'))),
    f('ticket', 'support/ticket', ticketData(t, view({ route: 'siam', where: 'Accréditation — *Étape 1*', errorList: '« Nom » est obligatoire.\n« RPPS » : 11 chiffres' }, { description: 'Trop court.' }), true)),
    f('ticket, OA known', 'support/ticket', ticketData(t, view({ route: 'oa' }), false)),
    f('portal', 'epr/portal', portalData(t, 'p-1', 'Gynérisq', ['postpartumHaemorrhage', 'shoulderDystocia'], new Date('2026-12-03T10:00:00Z'))),
    f('portal, no date', 'epr/portal', portalData(t, 'p-1', 'Gynérisq', [])),
    f('epr', 'epr/epr', eprData(t, view({}, { what: 'anonyme' }), ['postpartumHaemorrhage'], '2026-11-22')),
    f('epr no theme', 'epr/epr', eprData(t, view(), [], '2026-11-22')),
    f('epr list', 'epr/list', eprListData(t, 'p-1', [epr, { ...epr, id: 'd', status: 'DRAFT', sentAt: undefined }])),
    f('desk wait', 'desk/wait', deskWaitData(t, 'p-1')),
    f('desk queue', 'desk/queue', queueData(t, 'p-1', [{ accountId: 'a', name: `${longName.firstName} ${longName.lastName}`, specialty: 'chirurgie-thoracique-cardiovasculaire', sentAt: '2026-03-09T13:02:00Z' }], new Date('2026-03-12T13:02:00Z'))),
    f('desk summary', 'desk/summary', summaryData(t, view(), account, engagement)),
    f(
      'desk summary sent again',
      'desk/summary',
      summaryData(t, view(), account, engagement, {
        decision: 'TO_COMPLETE',
        reason: 'Précisez le nombre de *RMM* auxquelles vous avez participé en 2025',
        section: 'riskManagement',
        at: '2026-03-10T09:30:00Z',
        expertName: 'Dr Anne Le Guen-Şahin',
        changes: [{ question: 'emergency', before: 'no', after: 'yes' }, { question: 'lastDeclaration', before: undefined, after: '2025-06-10' }],
      }, [{ filename: 'attestation_activite_bloc_2025.pdf', size: 482_113, receivedAt: '2026-03-11T08:15:00Z' }, { filename: 'RMM_*maternite*.png', size: 90_000, receivedAt: '2026-03-11T08:16:00Z' }]),
    ),
    f('desk eprs', 'desk/eprs', deskEprsData(t, 'p-1', [epr])),
    f('confirm questionnaire', 'common/confirm', confirmData(t, 'p-1', 'questionnaire', [{ title: 'Type d\'établissement', value: 'Public' }], { oa: 'CFAR' })),
    f('confirm epr', 'common/confirm', confirmData(t, 'p-1', 'epr', [{ title: 'Ce qui s\'est passé', value: 'Intubation *difficile*' }], { oa: 'CFAR' })),
    f('confirm decision', 'common/confirm', confirmData(t, 'p-1', 'decision', [{ title: 'Décision', value: 'Refuser' }, { title: 'Motif', value: '${x}' }], { name: 'Claire Bernard' })),
    f('mm orientation', 'medimail/orientation', mm.orientationData(t, 'p-1')),
    f('mm types', 'medimail/types', mm.typesData(t, 'p-1')),
    f('mm connection', 'medimail/connection', mm.connectionData(t, view({}, { structureId: 'x' }))),
    f('mm region', 'medimail/region', mm.regionData(t, view())),
    f('mm ways', 'medimail/ways', mm.waysData(t, 'p-1')),
    f('mm form', 'medimail/form', mm.medimailFormData(t, view({}, { email: 'x' }))),
    f('mm form (typo)', 'medimail/form', mm.medimailFormData(t, view({ email: 'jean.durand@gmial.com', notice: 'emailSuggestion', suggestion: 'jean.durand@gmail.com' }))),
    f('mm form (MSS address)', 'medimail/form', mm.medimailFormData(t, view({ ...longName, notice: 'mss', mss: 'jean-baptiste-emmanuel.durand-lefevre-de-la-tour-maubourg2@medecin.oc.mssante.fr', mssBase: 'jean-baptiste-emmanuel.durand-lefevre-de-la-tour-maubourg@medecin.oc.mssante.fr' }))),
    f('mm waiting', 'medimail/waiting', mm.waitingData(t, 'p-1', 'confirm', t('medimail:confirm.waiting'), [{ title: t('medimail:confirm.notReceived'), verb: 'notReceived' }])),
    f('mm resend', 'medimail/resendConfirmation', mm.resendConfirmationData(t, view({ email: 'a@b.fr' }), 'Medimail <cerbere@mipih.fr>')),
    f('mm resend (typo)', 'medimail/resendConfirmation', mm.resendConfirmationData(t, view({ email: 'a@orange.fe', notice: 'emailSuggestion', suggestion: 'a@orange.fr' }), 'Medimail <cerbere@mipih.fr>')),
    f('mm path', 'medimail/path', mm.pathData(t, 'p-1')),
    f('mm finalise rpps', 'medimail/finalise', mm.finaliseData(t, view(), 'rpps')),
    f('mm finalise structure', 'medimail/finalise', mm.finaliseData(t, view({}, { structureId: 'x' }), 'structure')),
    f('mm recap', 'medimail/finaliseRecap', mm.finaliseRecapData(t, view({ region: '76', department: '31' }), [{ title: 'RPPS', value: '10100326494' }])),
    f('mm recap (RPPS already used)', 'medimail/finaliseRecap', mm.finaliseRecapData(t, view({ region: '76', department: '31' }), [{ title: 'RPPS', value: '10100326494' }], [t('medimail:recap.duplicateRpps', { email: 'j•••@gmail.com' })])),
    f('mm hub', 'medimail/hub', mm.medimailHubData(t, 'p-1', { account: { status: 'REJECTED', mssAddress: 'jean-baptiste.durand-lefevre@medecin.oc.mssante.fr', rejectReason: 'SIRET *faux*' }, actions: ['fixAndResend', 'gotRpps', 'org', 'support', 'menu'] })),
    f('mm hub active', 'medimail/hub', mm.medimailHubData(t, 'p-1', { account: { status: 'ACTIVE', mssAddress: 'jean.durand@medecin.oc.mssante.fr', rppsRequestedAt: '2026-03-12T13:02:00.000Z' }, actions: ['gotRpps', 'edit', 'org', 'support', 'accreditation', 'menu'] })),
    f('mm hub refused', 'medimail/hub', mm.medimailHubData(t, 'p-1', { account: { status: 'REJECTED', mssAddress: 'jean.durand@medecin.oc.mssante.fr', rejectReason: 'Adresse non nominative', rejectPart: 'nominative' }, actions: ['fixAndResend', 'fixIdentity', 'setPassword', 'firstSignIn', 'resend', 'support', 'menu'] })),
    f('mm hub none', 'medimail/hub', mm.medimailHubData(t, 'p-1', { actions: ['start', 'menu'] })),
    f('mm rpps', 'medimail/rppsUpdate', mm.rppsUpdateData(t, view())),
    f('mm org', 'medimail/orgMailbox', mm.orgMailboxData(t, view())),
    f('agent queue', 'centre/queue', mm.agentQueueData(t, 'p-1', [
      { id: 'a', name: `${longName.firstName} ${longName.lastName}`, profession: 'medecin', specialty: 'anesthesie-reanimation', department: '2A', liberal: true, hours: 52, flagged: true },
      { id: 'b', name: 'jean DURAND', profession: 'medecin', hours: 3 },
    ], [
      { id: 'r1', reference: 'MM-000042', type: 'CONNECTION', createdAt: '2026-03-12T13:02:00Z', detail: { structure: 'Centre hospitalier intercommunal des Vallées de l\'Ariège', structureKind: 'SIRET', structureId: '18310021300028', contactName: 'Anne Roux', contactEmail: 'a@b.fr' } },
      { id: 'r2', reference: 'MM-000043', type: 'RPPS_UPDATE', createdAt: '2026-03-13T09:00:00Z', detail: { mssAddress: 'aminata.ndiaye@medecin.oc.mssante.fr', name: 'Aminata Ndiaye', rpps: '10100326494' } },
    ])),
    f('agent summary', 'centre/summary', mm.agentSummaryData(t, view(), { id: 'a', status: 'SUBMITTED', ...longName, email: 'j@x.fr', profession: 'medecin', mssAddress: 'jean.durand@medecin.oc.mssante.fr', details: { path: 'structure', structureKind: 'SIRET', structureId: '35600000049837', profession: 'medecin', liberal: false, phone: '0561000000', address: 'x', city: 'Toulouse', postalCode: '31000', region: '76', department: '31', directoryVisible: true, dematerialisation: true }, submittedAt: new Date('2026-03-12T13:02:00Z'), decidedAt: undefined, rejectReason: undefined, rejectPart: undefined, rppsRequestedAt: undefined }, mm.concernTexts(t, [{ kind: 'duplicateRpps', rpps: '10100326494', mssAddress: 'jean.durand@medecin.oc.mssante.fr', status: 'ACTIVE' }, { kind: 'sameName', mssAddress: 'jean.durand@medecin.oc.mssante.fr', status: 'ACTIVE' }, { kind: 'borderlineAddress', reason: 'noName' }]))),
  ];
  // The recap of what was sent, made from a card above (the registration, with its answers).
  const sent = renderCard('accreditation/registration', acc.registrationData(t, view(), {}));
  list.push(f('recap', 'common/recap', recapData(t, sent, 'submit', { civility: 'dr', lastName: 'Durand *x*', specialty: 'orl', confirmKey: 'true' })));
  return list;
}

export const render = ([, name, data]: Fixture): AdaptiveCard => renderCard(name, data as never);
