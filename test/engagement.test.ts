import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { createServices, type Services } from '../src/services';
import { createI18n } from '../src/i18n';
import { missingAnswers, parseQuestionnaire, QuestionnaireError } from '../src/services/accreditation/questionnaires';
import { DeskAccessError } from '../src/services/accreditation/engagement';
import { RequestTransitionError } from '../src/services/accreditation/requestStatus';
import { patientDataFindings } from '../src/services/accreditation/epr';
import { attestationPdf } from '../src/services/accreditation/attestation';
import { pdfCharacters, pdfStandardText } from './helpers/pdf';
import { redactPatientData } from '../src/services/patientData';
import { tempDatabase } from './helpers/db';
import { DURAND, registryWithMail, throughAdminFile } from './helpers/registry';
import type { Db } from '../src/services/db/database';

const definition = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'data', 'accreditation', 'questionnaires', 'default.v1.json'), 'utf8')) as {
  sections: { questions: Record<string, unknown>[] }[];
};

describe('questionnaire definitions are data, checked at start-up', () => {
  it('accepts the default definition', () => {
    expect(parseQuestionnaire(definition, 'default.v1.json').sections).toHaveLength(5);
  });

  it.each([
    ['a choice without options', (d: typeof definition) => delete d.sections[0].questions[1].options, /sections\.0\.questions\.1\.options a "single" question needs at least two options/],
    ['an unknown type', (d: typeof definition) => (d.sections[1].questions[0].type = 'slider'), /sections\.1\.questions\.0\.type/],
    ['a text that is not an i18n key', (d: typeof definition) => (d.sections[0].questions[0].label = 'Dans quel établissement ?'), /must be an i18n key/],
    ['a repeated question id', (d: typeof definition) => (d.sections[1].questions[0].id = 'establishments'), /question ids must be unique, repeated: establishments/],
    ['no section', (d: typeof definition) => (d.sections = []), /sections/],
  ])('rejects %s with a message naming the file and the place', (_what, breakIt, message) => {
    const broken = structuredClone(definition);
    breakIt(broken);
    expect(() => parseQuestionnaire(broken, 'broken.json')).toThrow(QuestionnaireError);
    expect(() => parseQuestionnaire(broken, 'broken.json')).toThrow(message);
    expect(() => parseQuestionnaire(broken, 'broken.json')).toThrow(/^Questionnaire broken\.json: /);
  });

  it('rejects a text missing from the locales', () => {
    expect(() => parseQuestionnaire(definition, 'default.v1.json', (key) => key !== 'q.volumes.onCall')).toThrow(/texts missing from locales\/\*\/questionnaire\.json: q\.volumes\.onCall/);
  });
});

describe('what sending the questionnaire needs', () => {
  const questionnaire = parseQuestionnaire(definition, 'default.v1.json');
  const complete = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', documents: 'diploma', accepted: 'yes' };
  const blocking = (answers: Record<string, string>) => missingAnswers(questionnaire, answers).map((m) => [m.question.id, m.refused]);

  it('« Non » to the earlier declarations: the count left empty blocks nothing', () => {
    expect(blocking({ ...complete, declaredBefore: 'no' })).toEqual([]);
  });

  it('« Oui »: the count is then asked for, the date stays optional', () => {
    expect(blocking({ ...complete, declaredBefore: 'yes' })).toEqual([['declaredCount', undefined]]);
    expect(blocking({ ...complete, declaredBefore: 'yes', declaredCount: '3' })).toEqual([]);
  });

  it('prerequisites refused: not sendable, with the reason', () => {
    expect(blocking({ ...complete, declaredBefore: 'no', accepted: 'no' })).toEqual([['accepted', 'q.prerequisites.mustAccept']]);
  });

  it('refuses a definition whose condition names an unknown question', () => {
    const broken = structuredClone(definition);
    broken.sections[3].questions[1].requiredIf = { question: 'nowhere', equals: 'yes' };
    expect(() => parseQuestionnaire(broken, 'broken.json')).toThrow(/declaredCount: requiredIf names "nowhere"/);
  });
});

describe('the desk: who may decide what', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let mail: Awaited<ReturnType<typeof registryWithMail>>;
  let services: Services;
  let accountId: string;

  beforeEach(async () => {
    ({ db, cleanup } = await tempDatabase());
    mail = await registryWithMail(db);
    services = createServices(db, mail.outbox, await createI18n('fr'), () => 'http://sesame.test');
    accountId = ((await services.registry.register(DURAND)) as { accountId: string }).accountId;
    const answers = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'yes' };
    await throughAdminFile(db, services.registry, accountId);
    await services.engagements.saveDraft(accountId, 0, answers);
    expect(await services.engagements.send(accountId)).toMatchObject({ status: 'sent', oa: { id: 'cfar', name: 'CFAR' } });
  });
  afterEach(async () => {
    await mail.close();
    await cleanup();
  });

  it('an expert of another OA neither sees nor decides the request', async () => {
    const { account: other } = await services.desk.create('EXPERT', 'x@gynerisq.example', 'X', ['gynerisq']);
    expect(await services.engagements.queue(other.id)).toEqual([]);
    await expect(services.engagements.summary(other.id, accountId)).rejects.toBeInstanceOf(DeskAccessError);
    await expect(services.engagements.decide(other.id, accountId, 'ACCEPTED')).rejects.toBeInstanceOf(DeskAccessError);
  });

  it('no one but an expert: a service-centre agent or an unknown id is refused', async () => {
    const { account: agent } = await services.desk.create('AGENT', 'agent@grades.example', 'Agent', ['cfar']);
    await expect(services.engagements.queue(agent.id)).rejects.toBeInstanceOf(DeskAccessError);
    await expect(services.engagements.queue(accountId)).rejects.toBeInstanceOf(DeskAccessError);
  });

  it('keeps every decision with who, when and why; a refusal needs its reason; the mail does not say the decision', async () => {
    const { account: expert } = await services.desk.create('EXPERT', 'e@cfar.example', 'E', ['cfar']);
    expect((await services.engagements.queue(expert.id)).map((r) => r.accountId)).toEqual([accountId]);
    await expect(services.engagements.decide(expert.id, accountId, 'REFUSED', '  ')).rejects.toThrow(/reason is required/);
    await services.engagements.decide(expert.id, accountId, 'TO_COMPLETE', 'Précisez les RMM', 'riskManagement');
    expect(await services.engagements.get(accountId)).toMatchObject({ status: 'TO_COMPLETE', expertComment: 'Précisez les RMM', section: 2 });
    await services.engagements.send(accountId);
    await services.engagements.decide(expert.id, accountId, 'ACCEPTED');
    await expect(services.engagements.decide(expert.id, accountId, 'REFUSED', 'trop tard')).rejects.toMatchObject({ name: 'RequestTransitionError', from: 'ACCEPTED', event: 'refuse' });
    const decisions = await services.engagements.decisions(accountId);
    expect(decisions.map((d) => [d.expertId, d.decision, d.reason])).toEqual([
      [expert.id, 'TO_COMPLETE', 'Précisez les RMM'],
      [expert.id, 'ACCEPTED', undefined],
    ]);
    await mail.outbox.drain();
    const evaluated = mail.sink.mails.filter((m) => /a été évaluée/.test(m.subject ?? ''));
    expect(evaluated).toHaveLength(2);
    for (const m of evaluated) expect(m.text).not.toMatch(/accept|refus|complément/i);
  });

  it('a questionnaire with the prerequisites refused is not sent', async () => {
    const other = ((await services.registry.register({ ...DURAND, identifier: '10108808378', email: 'claire@example.fr' })) as { accountId: string }).accountId;
    await throughAdminFile(db, services.registry, other);
    await services.engagements.saveDraft(other, 0, { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'no' });
    expect(await services.engagements.send(other)).toMatchObject({ status: 'incomplete', missing: [{ section: 4, refused: 'q.prerequisites.mustAccept' }] });
    expect(await services.engagements.get(other)).toMatchObject({ status: 'DRAFT' });
  });

  it('receipts by mail: the questionnaire sent (to whom, when), then « engagé » with the attestation attached, once', async () => {
    await mail.outbox.drain();
    const sent = mail.sink.mails.find((m) => /questionnaire d'auto-évaluation est envoyé/.test(m.subject ?? ''));
    expect(sent?.text).toMatch(/envoyé le \d{1,2} [a-zéû]+ \d{4} à \d{2} h \d{2} à CFAR/);
    expect(JSON.stringify(sent?.to)).toContain('jean.durand@example.fr');

    const { account: expert } = await services.desk.create('EXPERT', 'e@cfar.example', 'E', ['cfar']);
    await expect(services.engagements.recordAttestation(accountId)).rejects.toBeInstanceOf(DeskAccessError);
    await services.engagements.decide(expert.id, accountId, 'ACCEPTED');
    await mail.outbox.drain();
    // Not before the physician has read the decision, signed in (the seed: "connectez-vous").
    expect(mail.sink.mails.filter((m) => /vous êtes engagé/.test(m.subject ?? ''))).toHaveLength(0);
    const [first, second] = await Promise.all([services.engagements.recordAttestation(accountId), services.engagements.recordAttestation(accountId)]);
    expect(first.getTime()).toBe(second.getTime());
    await services.engagements.recordAttestation(accountId);
    await mail.outbox.drain();
    const engaged = mail.sink.mails.filter((m) => /vous êtes engagé/.test(m.subject ?? ''));
    expect(engaged).toHaveLength(1);
    expect(engaged[0].text).toContain('CFAR a accepté votre demande');
    expect(engaged[0].text).toContain('informez-en votre CME et votre CPAM');
    const attachment = engaged[0].attachments.find((a) => a.contentType === 'application/pdf');
    expect(attachment?.filename).toBe('attestation-engagement-10100326494.pdf');
    const pdf = await PDFDocument.load(attachment!.content);
    expect(pdf.getTitle()).toBe("Attestation d'engagement dans l'accréditation des médecins");
    expect(await pdfStandardText(attachment!.content)).toContain('Durand');
  });

  it('the desk: a request sent again shows the previous decision and what changed; the EPR list says who declared', async () => {
    const { account: expert } = await services.desk.create('EXPERT', 'anne@cfar.example', 'Dr Anne Le Guen', ['cfar']);
    expect((await services.engagements.summary(expert.id, accountId)).previous).toBeUndefined();
    // A complement about no section in particular: none is recorded.
    await services.engagements.decide(expert.id, accountId, 'TO_COMPLETE', 'Précisez vos RMM', '');
    expect(await services.engagements.get(accountId)).toMatchObject({ commentSection: undefined });
    await services.engagements.saveDraft(accountId, 2, { rmm: 'no', onCall: 'no' });
    await services.engagements.send(accountId);
    const { previous } = await services.engagements.summary(expert.id, accountId);
    expect(previous).toMatchObject({ decision: 'TO_COMPLETE', reason: 'Précisez vos RMM', section: undefined, expertName: 'Dr Anne Le Guen' });
    expect(previous!.changes).toEqual([
      { question: 'onCall', before: 'yes', after: 'no' },
      { question: 'rmm', before: 'yes', after: 'no' },
    ]);

    const epr = await services.eprs.saveDraft(accountId, 'cfar', { date: '2026-01-15', establishment: 'CHU', targeted: 'no', what: 'Erreur de côté évitée', consequences: 'Aucune', causes: 'Marquage absent', actions: 'Check-list' });
    await services.eprs.send(accountId, epr.id);
    const [seen] = await services.eprs.forExpert(expert.id);
    expect(seen.declaredBy).toEqual({ civility: 'dr', firstName: 'Jean', lastName: 'Durand', identifierKind: 'RPPS', identifier: '10100326494' });
  });

  it('a sent questionnaire is read-only', async () => {
    await expect(services.engagements.send(accountId)).rejects.toBeInstanceOf(RequestTransitionError);
    const before = await services.engagements.get(accountId);
    await expect(services.engagements.saveDraft(accountId, 1, { actsPerYear: '1' })).rejects.toMatchObject({ from: 'SENT', event: 'saveDraft' });
    expect((await services.engagements.get(accountId))!.answers.actsPerYear).toBe(before!.answers.actsPerYear);
  });
});

describe('EPR: anonymous by design', () => {
  it.each([
    ['NIR 1 84 12 75 116 012 34', ['nir']],
    ['numéro 184127511601234', ['nir']],
    ['patiente née le 03/04/1950', ['birthDate']],
    ['M. Dupont, 12/03/1950, admis', ['birthDate']],
    ['DDN 12/03/50', ['birthDate']],
    ['Intubation difficile chez une patiente de 75 ans le 12/03/2026', []],
    ['Dose de 10 mg à 14 h 30', []],
    // Found by attacking Sésame (#11 §5): how the check was got around.
    ['NIR 2-50-03-75-123-456-78', ['nir']],
    ['NIR 2_50_03_75_123_456_78', ['nir']],
    ['Patiente Marie DUPONT, 12/03/1950', ['birthDate']],
    ['Mme Dupont 1950-03-12', ['birthDate']],
    ['DOB 1950-03-12', ['birthDate']],
    ['ne\u0301e le 3 avril', ['birthDate']],
    ['événement du 2026-01-15 au bloc', []],
    ['patient opéré le 12/03/2026, reprise le 13/03/2026', []],
    ['Mr Durand 12 mars 1951, opéré le 2 janvier 2026', ['birthDate']],
    ['sécu : 1 85  05 78 006 084 36', ['nir']],
    ['Jean Martin né en 1950', ['birthDate']],
    ['reprise au bloc le 2 janvier 2026', []],
  ])('%s → %j', (text, findings) => {
    expect(patientDataFindings(text)).toEqual(findings);
  });

  it.each([
    ['Chute de M. Bernard Lefebvre au réveil', ['personName']],
    ['Erreur de côté chez Mme Dupont', ['personName']],
    ['Patiente Marie Durand transférée', ['personName']],
    ['Chute au réveil chez un patient de 80 ans', []],
    ['Mise à jour de la check-list, revue en RMM', []],
    ['patiente de 75 ans, M. le chef de service prévenu', []],
  ])('in an EPR, a person named alone: %s → %j', (text, findings) => {
    expect(patientDataFindings(text, { names: true })).toEqual(findings);
    // Elsewhere (a question, a ticket) a name alone may be anyone's: not a finding.
    expect(patientDataFindings(text)).toEqual([]);
  });

  it.each([
    ['NIR 1 84 12 75 116 012 34 noté', 'NIR ••• noté'],
    ['chez Mme Dupont née le 12/03/1950, admise le 02/11/2026', 'chez Mme ••• née le •••, admise le •••'],
    ['M. Dupont, 12/03/1950, admis', 'M. •••, •••, admis'],
    ['Mr Durand 12 mars 1951, opéré le 2 janvier 2026', 'Mr ••• •••, opéré le •••'],
    ['Intubation difficile chez une patiente de 75 ans le 12/03/2026', 'Intubation difficile chez une patiente de 75 ans le 12/03/2026'],
  ])('masks what identifies the patient: %s', (text, masked) => {
    expect(redactPatientData(text, '•••')).toBe(masked);
  });
});

describe('attestation d\'engagement', () => {
  it('is a PDF that says what engaged means and that it is posted', async () => {
    const t = (await createI18n('fr')).getFixedT('fr');
    const bytes = await attestationPdf(t, {
      name: 'Docteur Jean Durand',
      identifierKind: 'RPPS',
      identifier: '10100326494',
      specialty: 'Anesthésie-réanimation',
      oa: 'CFAR',
      engagedOn: '12/03/2026 à 14 h 02',
      generatedOn: '12/03/2026 à 14 h 05',
    });
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe("Attestation d'engagement dans l'accréditation des médecins");
  });

  it.each(['Docteur Anna Łukasiewicz', 'Docteur Ştefan Popescu', 'Docteur Nguyễn Văn Đức', 'Docteur 王小明', 'Docteur Ἀλέξανδρος Παπαδόπουλος'])(
    'draws %s with real glyphs, from fonts shipped with Sésame',
    async (name) => {
      const t = (await createI18n('fr')).getFixedT('fr');
      const bytes = await attestationPdf(t, { name, identifierKind: 'RPPS', identifier: '10100326494', specialty: 'Anesthésie-réanimation', oa: 'CFAR', engagedOn: '12/03/2026', generatedOn: '12/03/2026' });
      const drawn = await pdfCharacters(bytes);
      const missing = [...name.replace(/\s/g, '')].filter((c) => !drawn.has(c));
      expect(missing).toEqual([]);
    },
  );
});
