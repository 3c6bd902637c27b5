import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MEDIMAIL_CONFIRM, MEDIMAIL_PASSWORD } from '../src/services/identity/linkPurposes';
import { MedimailTransitionError } from '../src/services/medimail/accountStatus';
import { borderlineAddress, distinctAddress, isRoleAddress, mssAddressFor } from '../src/services/medimail/mssAddress';
import { businessHoursBetween, isOpen, publicHolidays } from '../src/services/businessHours';
import { MedimailService, type MedimailDetails } from '../src/services/medimail/medimail';
import { SecureLinks } from '../src/services/identity/secureLinks';
import { DeskAccounts } from '../src/services/desk/deskAccounts';
import { DeskAccessError } from '../src/services/accreditation/engagement';
import { createI18n } from '../src/i18n';
import { tempDatabase } from './helpers/db';
import { registryWithMail } from './helpers/registry';
import type { Db } from '../src/services/db/database';
import { PROFESSION_CODES, SPECIALTIES } from '../src/services/medimail/nomenclature';
import { SPECIALTIES as ACCREDITATION_SPECIALTIES } from '../src/services/accreditation/specialties';

describe('MSS address', () => {
  it.each([
    ['Jean', 'Durand', 'medecin', 'jean.durand@medecin.oc.mssante.fr'],
    ['Élise', 'Lefèvre-Durand', 'pharmacien', 'elise.lefevre-durand@pharmacien.oc.mssante.fr'],
    ['Hélène', 'Łęcka-Şahin', 'medecin', 'helene.lecka-sahin@medecin.oc.mssante.fr'],
    ['Søren', 'Groß', 'medecin', 'soren.gross@medecin.oc.mssante.fr'],
    ['Jean-Baptiste', 'de la Tour', 'sage-femme', 'jean-baptiste.de-la-tour@sage-femme.oc.mssante.fr'],
    ['Ana Maria', 'Núñez García', 'medecin', 'ana-maria.nunez-garcia@medecin.oc.mssante.fr'],
    ['  Anne  ', ' Le  Gall - Roux ', 'medecin', 'anne.le-gall-roux@medecin.oc.mssante.fr'],
    ['Aminata', "N'Diaye", 'medecin', 'aminata.ndiaye@medecin.oc.mssante.fr'],
    ['Zoë', 'Lœwy', 'infirmier', 'zoe.loewy@infirmier.oc.mssante.fr'],
  ] as const)('%s %s (%s) → %s', (first, last, profession, address) => {
    expect(mssAddressFor(first, last, profession)).toBe(address);
  });

  it('a collision gets a distinct address', () => {
    const taken = new Set(['jean.durand@medecin.oc.mssante.fr', 'jean.durand2@medecin.oc.mssante.fr']);
    expect(distinctAddress('jean.durand@medecin.oc.mssante.fr', (a) => taken.has(a))).toBe('jean.durand3@medecin.oc.mssante.fr');
    expect(distinctAddress('anne.roux@medecin.oc.mssante.fr', (a) => taken.has(a))).toBe('anne.roux@medecin.oc.mssante.fr');
  });

  it.each(['contact@cabinet.fr', 'secretariat@pharmacie.fr', 'accueil@clinique.fr', 'cabinet@durand.fr', 'secretariat.medical@chu.fr'])('%s is a role address', (email) => {
    expect(isRoleAddress(email)).toBe(true);
  });
  it.each(['jean.durand@gmail.com', 'jdurand@pharmacie.du.centre.fr', 'contactless.jean@example.fr'])('%s is nominative', (email) => {
    expect(isRoleAddress(email)).toBe(false);
  });

  it('a borderline address is accepted but named for the agent', () => {
    expect(borderlineAddress('durand.cabinet@orange.fr', 'Jean', 'Durand')).toBe('roleWord');
    expect(borderlineAddress('jb31@orange.fr', 'Jean-Baptiste', 'Durand')).toBe('noName');
    expect(borderlineAddress('jdurand@pharmacie.du.centre.fr', 'Jean', 'Durand')).toBeUndefined();
    expect(borderlineAddress('ana.nunez@gmail.com', 'Ana Maria', 'Núñez García')).toBeUndefined();
  });
});

describe('service centre hours (Paris time, public holidays)', () => {
  it('knows the French public holidays, Easter-based ones included', () => {
    expect([...publicHolidays(2026)].sort()).toEqual(['01-01', '04-06', '05-01', '05-08', '05-14', '05-25', '07-14', '08-15', '11-01', '11-11', '12-25']);
  });
  it.each([
    ['2026-11-23T07:29:00Z', false, 'Monday 8:29 Paris'],
    ['2026-11-23T07:31:00Z', true, 'Monday 8:31 Paris'],
    ['2026-11-23T17:29:00Z', true, 'Monday 18:29 Paris'],
    ['2026-11-23T17:31:00Z', false, 'Monday 18:31 Paris'],
    ['2026-11-22T10:00:00Z', false, 'Sunday'],
    ['2026-11-11T10:00:00Z', false, 'Armistice (Wednesday)'],
    ['2026-07-15T06:45:00Z', true, 'summer time: 8:45 Paris'],
  ])('%s → %s (%s)', (at, open) => {
    expect(isOpen(new Date(at))).toBe(open);
  });
  it('counts business hours only: a weekend does not make an account late', () => {
    expect(businessHoursBetween(new Date('2026-11-20T16:30:00Z'), new Date('2026-11-23T08:30:00Z'))).toBe(2);
    expect(businessHoursBetween(new Date('2026-11-23T07:30:00Z'), new Date('2026-11-27T17:30:00Z'))).toBe(50);
  });
});

describe('Medimail accounts', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let mail: Awaited<ReturnType<typeof registryWithMail>>;
  let medimail: MedimailService;
  let desk: DeskAccounts;
  let links: SecureLinks;
  const clock = { now: new Date('2026-03-12T13:02:00Z') };
  const details: MedimailDetails = {
    path: 'rpps',
    rpps: '10100326494',
    profession: 'medecin',
    liberal: true,
    phone: '0561000000',
    address: '1 place du Capitole',
    city: 'Toulouse',
    postalCode: '31000',
    region: '76',
    department: '31',
    directoryVisible: true,
    dematerialisation: true,
  };

  beforeEach(async () => {
    ({ db, cleanup } = await tempDatabase());
    clock.now = new Date('2026-03-12T13:02:00Z');
    mail = await registryWithMail(db);
    links = new SecureLinks(db, mail.outbox.secrets, () => clock.now);
    desk = new DeskAccounts(db, links);
    medimail = new MedimailService(db, mail.outbox, await createI18n('fr'), links, desk, mail.outbox.secrets, {
      publicUrl: () => 'http://sesame.test',
      from: 'Medimail <cerbere@mipih.fr>',
      serviceCentreEmail: 'centre@example.fr',
      now: () => clock.now,
    });
  });
  afterEach(async () => {
    await mail.close();
    await cleanup();
  });

  async function registered(email = 'jean.durand@example.fr') {
    const start = await medimail.startRegistration({ lastName: 'Durand', firstName: 'Jean', email, profession: 'medecin', locale: 'fr' }, { conversation: { id: 'c' } });
    if (start.status !== 'ok') throw new Error('duplicate');
    await medimail.setPassword(start.accountId, 'le ciel est bleu ici', 'le ciel est bleu ici');
    await mail.outbox.drain();
    const link = /(http\S+\/compte\/medimail\/confirmation\/(\S+))/.exec(mail.sink.mails.at(-1)!.text ?? '')!;
    return { ...start, confirmToken: link[2] };
  }

  it('the confirmation mail comes from Medimail; its link works once and for 24 hours', async () => {
    const first = await registered();
    const sent = mail.sink.mails.at(-1)!;
    expect(sent.from?.value[0]).toMatchObject({ name: 'Medimail', address: 'cerbere@mipih.fr' });
    const link = await links.open(first.confirmToken, MEDIMAIL_CONFIRM);
    expect(link?.accountId).toBe(first.accountId);
    await links.complete(link!.id, first.accountId, true);
    expect(await links.open(first.confirmToken, MEDIMAIL_CONFIRM)).toBeUndefined();
    const second = await registered('anne.roux@example.fr');
    clock.now = new Date('2026-03-13T13:02:01Z');
    expect(await links.open(second.confirmToken, MEDIMAIL_CONFIRM)).toBeUndefined();
  });

  it('a password link cannot flood the address, and a form begun elsewhere is not taken over (found by attacking Sésame)', async () => {
    const start = await medimail.startRegistration({ lastName: 'Roux', firstName: 'Anne', email: 'anne.roux@example.fr', profession: 'medecin', locale: 'fr' }, { channelId: 'directline', conversation: { id: 'mine' } });
    if (start.status !== 'ok') throw new Error('duplicate');
    // Someone else, in another conversation, types the same address the same day: refused.
    expect(await medimail.startRegistration({ lastName: 'Intrus', firstName: 'Paul', email: 'anne.roux@example.fr', profession: 'medecin', locale: 'fr' }, { channelId: 'directline', conversation: { id: 'theirs' } })).toMatchObject({ status: 'duplicate' });
    for (let i = 0; i < 4; i++) expect((await medimail.setPassword(start.accountId, 'le ciel est bleu ici', 'le ciel est bleu ici')).status).toBe('ok');
    await mail.outbox.drain();
    expect(mail.sink.mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === 'anne.roux@example.fr')).toHaveLength(1);
    // Abandoned for a day, the form may be taken up from another conversation.
    const other = await medimail.startRegistration({ lastName: 'Ndiaye', firstName: 'Aminata', email: 'aminata@example.fr', profession: 'medecin', locale: 'fr' }, { channelId: 'directline', conversation: { id: 'first' } });
    clock.now = new Date(clock.now.getTime() + 25 * 60 * 60_000);
    expect(await medimail.startRegistration({ lastName: 'Ndiaye', firstName: 'Aminata', email: 'aminata@example.fr', profession: 'medecin', locale: 'fr' }, { channelId: 'directline', conversation: { id: 'second' } })).toMatchObject({ status: 'ok', accountId: (other as { accountId: string }).accountId });
  });

  it('two people with the same name get distinct MSS addresses; one e-mail, one account', async () => {
    const first = await registered();
    expect(first.mssAddress).toBe('jean.durand@medecin.oc.mssante.fr');
    const second = await medimail.startRegistration({ lastName: 'Durand', firstName: 'Jean', email: 'jdurand@example.fr', profession: 'medecin', locale: 'fr' }, null);
    expect(second).toMatchObject({ status: 'ok', mssAddress: 'jean.durand2@medecin.oc.mssante.fr' });
    const again = await medimail.startRegistration({ lastName: 'X', firstName: 'Y', email: 'jean.durand@example.fr', profession: 'medecin', locale: 'fr' }, null);
    expect(again).toEqual({ status: 'duplicate', maskedEmail: 'j•••@example.fr' });
  });

  it('a second account with the same RPPS or the same name is told to the user and shown to the agent', async () => {
    const first = await registered();
    await medimail.emailConfirmed(first.accountId);
    await medimail.submit(first.accountId, details);
    // Same name: the address shown before validating is numbered, and says which one is taken.
    expect(await medimail.proposedAddress({ firstName: 'Jean', lastName: 'Durand', email: 'secretariat.durand@cabinet.fr', profession: 'medecin' })).toEqual({
      mss: 'jean.durand2@medecin.oc.mssante.fr',
      base: 'jean.durand@medecin.oc.mssante.fr',
    });
    const second = await registered('jb31@cabinet.fr');
    expect(await medimail.othersWithRpps('10100326494', second.accountId)).toEqual([expect.objectContaining({ id: first.accountId, email: 'jean.durand@example.fr', status: 'SUBMITTED' })]);
    expect(await medimail.othersWithRpps('10107350778', second.accountId)).toEqual([]);
    await medimail.emailConfirmed(second.accountId);
    await medimail.submit(second.accountId, details);
    expect(await medimail.concerns(second.accountId)).toEqual([
      { kind: 'duplicateRpps', rpps: '10100326494', mssAddress: 'jean.durand@medecin.oc.mssante.fr', status: 'SUBMITTED' },
      { kind: 'sameName', mssAddress: 'jean.durand@medecin.oc.mssante.fr', status: 'SUBMITTED' },
      { kind: 'borderlineAddress', reason: 'noName' },
    ]);
    // Another person's namesake prefix (jean.durandal) is no homonym.
    const other = await medimail.startRegistration({ lastName: 'Durandal', firstName: 'Jean', email: 'jean.durandal@example.fr', profession: 'medecin', locale: 'fr' }, null);
    expect(other).toMatchObject({ mssAddress: 'jean.durandal@medecin.oc.mssante.fr' });
    expect((await medimail.concerns(first.accountId)).map((c) => c.kind)).toEqual(['duplicateRpps', 'sameName']);
  });

  it('a raccordement request gets a reference, an acknowledgement to its contact, and a line on the agent desk until handled', async () => {
    const { reference } = await medimail.requestConnection({ structure: 'Cabinet des Carmes', structureKind: 'SIRET', structureId: '18310021300028', contactName: 'Anne Roux', contactEmail: 'anne.roux@example.fr' });
    expect(reference).toBe('MM-000001');
    await mail.outbox.drain();
    const toCentre = mail.sink.mails.find((m) => m.subject === "Demande de raccordement d'une structure à Medimail — MM-000001")!;
    expect(toCentre.text).toContain('Identifiant de la structure : 18310021300028');
    expect(toCentre.text).not.toMatch(/structureKind|contactEmail/);
    const ack = mail.sink.mails.find((m) => m.subject === 'Votre demande MM-000001 est transmise au centre de services')!;
    expect(ack.text).toContain('enregistrée sous la référence MM-000001');
    expect(JSON.stringify(ack.to)).toContain('anne.roux@example.fr');
    const { account: expert } = await desk.create('EXPERT', 'e@cfar.example', 'E', ['cfar']);
    await expect(medimail.openRequests(expert.id)).rejects.toBeInstanceOf(DeskAccessError);
    const { account: agent } = await desk.create('AGENT', 'a@grades.example', 'A');
    const open = await medimail.openRequests(agent.id);
    expect(open).toEqual([expect.objectContaining({ reference: 'MM-000001', type: 'CONNECTION', status: 'RECEIVED', requesterEmail: 'anne.roux@example.fr' })]);
    expect((await medimail.requestConnection({ structure: 'Clinique Pasteur', structureKind: 'FINESS', structureId: '310781406', contactName: 'Paul', contactEmail: 'paul@example.fr' })).reference).toBe('MM-000002');
    await medimail.closeRequest(agent.id, open[0].id);
    expect((await medimail.openRequests(agent.id)).map((r) => r.reference)).toEqual(['MM-000002']);
    await expect(medimail.closeRequest(agent.id, open[0].id)).rejects.toBeInstanceOf(DeskAccessError);
    await mail.outbox.drain();
    expect(mail.sink.mails.at(-1)!.subject).toBe('Votre demande MM-000001 a été traitée');
  });

  it('only an agent validates; a rejection needs its reason; no sign-in before validation', async () => {
    const { accountId } = await registered();
    await medimail.emailConfirmed(accountId);
    await medimail.submit(accountId, details);
    expect(await medimail.signIn('jean.durand@example.fr', 'le ciel est bleu ici')).toEqual({ status: 'notYet', accountStatus: 'SUBMITTED' });
    const { account: expert } = await desk.create('EXPERT', 'e@cfar.example', 'E', ['cfar']);
    await expect(medimail.queue(expert.id)).rejects.toBeInstanceOf(DeskAccessError);
    const { account: agent } = await desk.create('AGENT', 'a@grades.example', 'A');
    expect((await medimail.queue(agent.id)).map((a) => a.id)).toEqual([accountId]);
    await expect(medimail.decide(agent.id, accountId, 'REJECTED', ' ')).rejects.toThrow(/reason is required/);
    await medimail.decide(agent.id, accountId, 'VALIDATED');
    await mail.outbox.drain();
    expect(mail.sink.mails.at(-1)!.subject).toBe('Medimail : votre compte est validé');
  });

  it('the one-time code: 6 digits, 10 minutes, 5 tries, a new one replaces the old, never stored in clear', async () => {
    const { accountId } = await registered();
    await medimail.emailConfirmed(accountId);
    await medimail.submit(accountId, details);
    const { account: agent } = await desk.create('AGENT', 'a@grades.example', 'A');
    await medimail.decide(agent.id, accountId, 'VALIDATED');
    expect(await medimail.signIn('jean.durand@example.fr', 'le ciel est bleu ici')).toEqual({ status: 'otpSent', accountId });
    await mail.outbox.drain();
    const code = /: (\d{6})/.exec(mail.sink.mails.at(-1)!.text ?? '')![1];
    const row = await db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect(JSON.stringify(row)).not.toContain(code);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await medimail.verifyOtp(accountId, wrong)).toEqual({ status: 'wrong', remaining: 4 });
    for (let i = 0; i < 3; i += 1) await medimail.verifyOtp(accountId, wrong);
    expect(await medimail.verifyOtp(accountId, wrong)).toEqual({ status: 'tooMany' });
    expect(await medimail.verifyOtp(accountId, code)).toEqual({ status: 'tooMany' });
    await medimail.sendOtp(accountId);
    await mail.outbox.drain();
    const fresh = /: (\d{6})/.exec(mail.sink.mails.at(-1)!.text ?? '')![1];
    clock.now = new Date('2026-03-12T13:12:01Z');
    expect(await medimail.verifyOtp(accountId, fresh)).toEqual({ status: 'expired' });
    await medimail.sendOtp(accountId);
    await mail.outbox.drain();
    const last = /: (\d{6})/.exec(mail.sink.mails.at(-1)!.text ?? '')![1];
    expect(await medimail.verifyOtp(accountId, last.slice(0, 3) + ' ' + last.slice(3))).toEqual({ status: 'ok' });
    await medimail.acceptCgu(accountId);
    expect((await medimail.account(accountId))!.status).toBe('ACTIVE');
  });
  const confirmTokenOf = (text: string | undefined) => /\/compte\/medimail\/confirmation\/(\S+)/.exec(text ?? '')![1];

  it('a resend or an address change revokes every earlier confirmation link (the mistyped address confirms nothing)', async () => {
    const first = await registered('jean.durand@exemple.fr');
    await medimail.sendConfirmation(first.accountId, 'jean.durand@example.fr');
    await mail.outbox.drain();
    const second = confirmTokenOf(mail.sink.mails.at(-1)!.text);
    await medimail.sendConfirmation(first.accountId);
    await mail.outbox.drain();
    const third = confirmTokenOf(mail.sink.mails.at(-1)!.text);
    expect(await links.open(first.confirmToken, MEDIMAIL_CONFIRM)).toBeUndefined();
    expect(await links.open(second, MEDIMAIL_CONFIRM)).toBeUndefined();
    expect((await links.open(third, MEDIMAIL_CONFIRM))?.accountId).toBe(first.accountId);
    expect((await medimail.account(first.accountId))!.email).toBe('jean.durand@example.fr');
    // A completed link whose code was not typed yet is revoked too.
    const opened = await links.open(third, MEDIMAIL_CONFIRM);
    await links.complete(opened!.id, first.accountId, false);
    await medimail.sendConfirmation(first.accountId);
    expect(await links.consume(opened!.id, 'c')).toBeUndefined();
    // A new password link replaces the old one.
    const before = await medimail.passwordLink(first.accountId);
    await medimail.passwordLink(first.accountId);
    expect(await links.open(before, MEDIMAIL_PASSWORD)).toBeUndefined();
  });

  it('after a refusal: the e-mail and names are corrected, the new address confirmed, and the account goes back to the service centre', async () => {
    const { accountId } = await registered('contact@cabinet-durand.fr');
    await medimail.emailConfirmed(accountId);
    await medimail.submit(accountId, details);
    const { account: agent } = await desk.create('AGENT', 'a@grades.example', 'A');
    // What is refused is said with the reason: it is the part the user's correction opens.
    await expect(medimail.decide(agent.id, accountId, 'REJECTED', 'Adresse non nominative')).rejects.toThrow(/What is refused is required/);
    await medimail.decide(agent.id, accountId, 'REJECTED', 'Adresse non nominative', 'nominative');
    expect(await medimail.account(accountId)).toMatchObject({ status: 'REJECTED', rejectPart: 'nominative' });
    await mail.outbox.drain();
    expect(mail.sink.mails.at(-1)!.text).toContain("À corriger : votre adresse e-mail, qui doit être nominative");
    // Not the same address as another account; a refused account cannot be signed into.
    await registered('anne.roux@example.fr');
    expect(await medimail.correctIdentity(accountId, { lastName: 'Durand', firstName: 'Jean', email: 'anne.roux@example.fr', profession: 'medecin' })).toEqual({ status: 'duplicate', maskedEmail: 'a•••@example.fr' });
    expect(await medimail.signIn('contact@cabinet-durand.fr', 'le ciel est bleu ici')).toEqual({ status: 'notYet', accountStatus: 'REJECTED' });
    const fixed = await medimail.correctIdentity(accountId, { lastName: 'Durand-Roux', firstName: 'Jean', email: 'Jean.Durand@example.fr', profession: 'medecin' });
    expect(fixed).toEqual({ status: 'ok', mssAddress: 'jean.durand-roux@medecin.oc.mssante.fr', emailChanged: true, maskedEmail: 'j•••@example.fr' });
    await mail.outbox.drain();
    const mailed = mail.sink.mails.at(-1)!;
    expect(mailed.to && !Array.isArray(mailed.to) && mailed.to.text).toBe('jean.durand@example.fr');
    const account = (await medimail.account(accountId))!;
    expect(account).toMatchObject({ status: 'EMAIL_SENT', email: 'jean.durand@example.fr', lastName: 'Durand-Roux', rejectReason: 'Adresse non nominative' });
    // Not back to the service centre before the new address is confirmed.
    await expect(medimail.submit(accountId, details)).rejects.toBeInstanceOf(MedimailTransitionError);
    await medimail.emailConfirmed(accountId);
    await medimail.submit(accountId, details);
    expect(await medimail.account(accountId)).toMatchObject({ status: 'SUBMITTED', rejectReason: undefined, rejectPart: undefined });
    expect((await medimail.queue(agent.id)).map((a) => a.id)).toContain(accountId);
    // Corrected again once submitted: refused by the state machine.
    await expect(medimail.correctIdentity(accountId, { lastName: 'X', firstName: 'Y', email: 'y@example.fr', profession: 'medecin' })).rejects.toBeInstanceOf(MedimailTransitionError);
  });

  it('refused for its details only: corrected and sent back without a new confirmation', async () => {
    const { accountId } = await registered();
    await medimail.emailConfirmed(accountId);
    await medimail.submit(accountId, details);
    const { account: agent } = await desk.create('AGENT', 'a@grades.example', 'A');
    await medimail.decide(agent.id, accountId, 'REJECTED', 'Téléphone faux', 'professional');
    expect(await medimail.correctIdentity(accountId, { lastName: 'Durand', firstName: 'Jean', email: 'jean.durand@example.fr', profession: 'medecin' })).toMatchObject({ status: 'ok', emailChanged: false });
    expect((await medimail.account(accountId))!.status).toBe('REJECTED');
    await medimail.submit(accountId, { ...details, phone: '0561000001' });
    expect((await medimail.account(accountId))!.status).toBe('SUBMITTED');
  });

  it('first sign-in: the code makes it « signed in », the terms of use « active »; nothing skips a step', async () => {
    const { accountId } = await registered();
    await expect(medimail.acceptCgu(accountId)).rejects.toBeInstanceOf(MedimailTransitionError);
    await expect(medimail.requestRppsUpdate(accountId, '10100326494')).rejects.toBeInstanceOf(MedimailTransitionError);
    await medimail.emailConfirmed(accountId);
    await medimail.submit(accountId, { ...details, path: 'structure', rpps: undefined, structureKind: 'SIRET', structureId: '35600000049837' });
    const { account: agent } = await desk.create('AGENT', 'a@grades.example', 'A');
    await medimail.decide(agent.id, accountId, 'VALIDATED');
    await mail.outbox.drain();
    expect(mail.sink.mails.at(-1)!.text).toContain('jean.durand@medecin.oc.mssante.fr');
    await expect(medimail.acceptCgu(accountId)).rejects.toBeInstanceOf(MedimailTransitionError);
    await medimail.signIn('jean.durand@example.fr', 'le ciel est bleu ici');
    await mail.outbox.drain();
    const code = /: (\d{6})/.exec(mail.sink.mails.at(-1)!.text ?? '')![1];
    expect(await medimail.verifyOtp(accountId, code)).toEqual({ status: 'ok' });
    expect((await medimail.account(accountId))!.status).toBe('SIGNED_IN');
    await medimail.acceptCgu(accountId);
    expect(await medimail.account(accountId)).toMatchObject({ status: 'ACTIVE', rppsRequestedAt: undefined });
    await medimail.requestRppsUpdate(accountId, '10100326494');
    expect((await medimail.account(accountId))!.rppsRequestedAt).toEqual(clock.now);
  });
});

describe('the national nomenclature (data/medimail/nomenclature.json)', () => {
  const file = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'data', 'medimail', 'nomenclature.json'), 'utf8')) as { source: Record<string, string>; professions: { code: string }[] };
  const locale = (lng: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'locales', lng, 'medimail.json'), 'utf8')) as { profession: Record<string, string>; specialty: Record<string, string> };

  it('is what the form offers, read from data/ with its source named', () => {
    expect(file.source.professions).toMatch(/TRE_G15/);
    expect(file.source.specialties).toMatch(/TRE_R38/);
    expect(file.source.version).toMatch(/not checked/i);
    expect(PROFESSION_CODES).toEqual(file.professions.map((p) => p.code));
  });

  it('offers the specialties of the médecins, not only the accreditation ones', () => {
    const medecin = SPECIALTIES.filter((s) => s.profession === 'medecin').map((s) => s.code);
    expect(medecin).toEqual(expect.arrayContaining(['medecine-generale', 'pediatrie', 'psychiatrie', 'anesthesie-reanimation']));
    expect(medecin.length).toBeGreaterThan(ACCREDITATION_SPECIALTIES.length);
    expect(SPECIALTIES.find((s) => s.code === 'orthopedie-dento-faciale')?.profession).toBe('chirurgien-dentiste');
  });

  it.each(['fr', 'en'])('every profession and specialty has its %s label', (lng) => {
    const labels = locale(lng);
    for (const p of PROFESSION_CODES) expect(labels.profession[p], p).toBeTruthy();
    for (const s of SPECIALTIES) expect(labels.specialty[s.code], s.code).toBeTruthy();
  });
});
