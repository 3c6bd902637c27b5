import { describe, expect, it } from 'vitest';
import { checkFiness, checkProfessionalId, checkStructureId, luhnValid, siretValid } from '../src/services/identifiers';
import { maskEmail, suggestEmail } from '../src/services/email';
import { checkFrenchPhone } from '../src/services/phone';
import { correctedEmailSchema } from '../src/dialogs/correctedEmail';
import { departmentFromPostalCode, DEPARTMENTS, REGIONS } from '../src/services/geography';

describe('RPPS / ADELI (knowledge.md §3)', () => {
  it.each(['10107350778', '10108808378', '10005536080', '10100326494', '101 0735 0778', '101.0735.0778', '101-0735-0778'])('%s is a valid RPPS', (id) => {
    expect(checkProfessionalId(id)).toMatchObject({ status: 'valid', kind: 'RPPS' });
  });

  it('the seed example 10100326495 fails its key: probably a typo, not "does not exist"', () => {
    expect(checkProfessionalId('10100326495')).toEqual({ status: 'badKey', kind: 'RPPS', value: '10100326495' });
    expect(checkProfessionalId('10107350777')).toMatchObject({ status: 'badKey' });
  });

  it('ADELI: 9 digits with a Luhn key', () => {
    expect(checkProfessionalId('879101558')).toMatchObject({ status: 'valid', kind: 'ADELI' });
    expect(checkProfessionalId('879101559')).toMatchObject({ status: 'badKey', kind: 'ADELI' });
  });

  it('recognises the national identifier 8 + RPPS and proposes the RPPS', () => {
    expect(checkProfessionalId('810107350778')).toEqual({ status: 'nationalId', value: '810107350778', rpps: '10107350778' });
  });

  it('names what is wrong otherwise', () => {
    expect(checkProfessionalId('')).toMatchObject({ status: 'invalid', reason: 'empty' });
    expect(checkProfessionalId('Durand')).toMatchObject({ status: 'invalid', reason: 'letters' });
    expect(checkProfessionalId('1010032649')).toMatchObject({ status: 'invalid', reason: 'length' });
  });
});

describe('FINESS / SIREN / SIRET', () => {
  it.each(['750712184', '310781406', '690781810', '010003820'])('FINESS %s is valid', (id) => {
    expect(checkFiness(id)).toMatchObject({ status: 'valid', kind: 'FINESS' });
  });
  it('FINESS with a wrong key, and Corsica accepted without key', () => {
    expect(checkFiness('310781405')).toMatchObject({ status: 'badKey' });
    expect(checkFiness('2A0000123')).toMatchObject({ status: 'valid' });
  });
  it('SIREN and SIRET with their keys, La Poste included', () => {
    expect(checkStructureId('732829320', 'SIREN')).toMatchObject({ status: 'valid', kind: 'SIREN' });
    expect(checkStructureId('123456789', 'SIREN')).toMatchObject({ status: 'badKey' });
    expect(checkStructureId('732 829 320 00074')).toMatchObject({ status: 'valid', kind: 'SIRET' });
    expect(checkStructureId('73282932000075')).toMatchObject({ status: 'badKey' });
    expect(siretValid('35600000000048')).toBe(true);
    expect(siretValid('35600000049837')).toBe(true);
    expect(siretValid('35600000049838')).toBe(false);
    expect(checkStructureId('1234567891234')).toMatchObject({ status: 'invalid', reason: 'length' });
  });
  it('luhn', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('abc')).toBe(false);
  });
});

describe('e-mail typos', () => {
  it.each([
    ['jean.durand@gmial.com', 'jean.durand@gmail.com'],
    ['jean.durand@gmail.con', 'jean.durand@gmail.com'],
    ['j.durand@orange.fe', 'j.durand@orange.fr'],
    ['j.durand@hotmial.fr', 'j.durand@hotmail.fr'],
    ['j.durand@wanadoo.ff', 'j.durand@wanadoo.fr'],
    ['j.durand@laposte.ne', 'j.durand@laposte.net'],
    ['J.Durand@GMAIL.COM.', 'j.durand@gmail.com'],
  ])('%s → %s', (typed, suggestion) => {
    expect(suggestEmail(typed)).toBe(suggestion);
  });
  it.each(['jean.durand@gmail.com', 'jdurand@pharmacie.du.centre.fr', 'x@chu-montpellier.fr', 'a@ac.fr'])('%s is left alone', (typed) => {
    expect(suggestEmail(typed)).toBeUndefined();
  });
  it('masks an address for display', () => {
    expect(maskEmail('jean.durand@gmail.com')).toBe('j•••@gmail.com');
  });
});

describe('a corrected address after « Je n\'ai pas reçu le mail »', () => {
  const issues = (email: string, shown: Record<string, string>) => correctedEmailSchema(shown, { required: true }).safeParse({ email }).error?.issues.map((i) => [i.message, (i as { params?: unknown }).params]) ?? [];
  it('names a likely typo before any mail leaves', () => {
    expect(issues('claire@gmial.com', { email: 'claire@example.fr' })).toEqual([['emailTypo', { suggestion: 'claire@gmail.com' }]]);
  });
  it('takes it as intended when sent again unchanged, and lets a plain address through', () => {
    expect(issues('claire@gmial.com', { email: 'claire@gmial.com' })).toEqual([]);
    expect(issues('claire@gmail.com', { email: 'claire@example.fr' })).toEqual([]);
  });
});

describe('French phones', () => {
  it.each([
    ['06 12 34 56 78', '0612345678', true],
    ['+33 6 12 34 56 78', '0612345678', true],
    ['0033612345678', '0612345678', true],
    ['05.61.00.00.00', '0561000000', false],
    ['0694 12 34 56', '0694123456', true],
  ])('%s is valid', (typed, value, mobile) => {
    expect(checkFrenchPhone(typed)).toEqual({ status: 'valid', value, mobile });
  });
  it.each(['0012345678', '061234567', '+44 20 7946 0958', 'telephone'])('%s is not', (typed) => {
    expect(checkFrenchPhone(typed).status).toBe('invalid');
  });
});

describe('postal code → department', () => {
  it('has 18 regions and 101 departments', () => {
    expect(REGIONS).toHaveLength(18);
    expect(DEPARTMENTS).toHaveLength(101);
  });
  it.each([
    ['31400', '31', 'Occitanie'],
    ['75011', '75', 'Île-de-France'],
    ['01000', '01', 'Auvergne-Rhône-Alpes'],
    ['20000', '2A', 'Corse'],
    ['20137', '2A', 'Corse'],
    ['20200', '2B', 'Corse'],
    ['20600', '2B', 'Corse'],
    ['97200', '972', 'Martinique'],
    ['97600', '976', 'Mayotte'],
    ['97400', '974', 'La Réunion'],
  ])('%s → %s (%s)', (postal, code, regionName) => {
    const check = departmentFromPostalCode(postal);
    expect(check).toMatchObject({ status: 'valid', department: { code, regionName } });
  });
  it('knows what is not a department', () => {
    expect(departmentFromPostalCode('98000')).toEqual({ status: 'outside', reason: 'monaco' });
    expect(departmentFromPostalCode('97133')).toEqual({ status: 'outside', reason: 'collectivity' });
    expect(departmentFromPostalCode('98800')).toEqual({ status: 'outside', reason: 'collectivity' });
    expect(departmentFromPostalCode('3140')).toEqual({ status: 'invalid' });
    expect(departmentFromPostalCode('00100')).toEqual({ status: 'invalid' });
  });
});
