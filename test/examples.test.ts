import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFiness, checkProfessionalId, checkStructureId, luhnValid, siretValid } from '../src/services/identifiers';
import { emailSchema, suggestEmail } from '../src/services/email';
import { checkFrenchPhone } from '../src/services/phone';
import { departmentFromPostalCode } from '../src/services/geography';
import { isRoleAddress } from '../src/services/medimail/mssAddress';

// Every example the bot shows (a locale key ending in "Example", a card placeholder, a number
// quoted in a sentence) must pass the check the bot applies to that field: a user who copies
// an example must not be told it is wrong.

const root = path.resolve(__dirname, '..');
const leaves = (o: unknown, p = ''): [string, string][] =>
  o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => leaves(v, p ? `${p}.${k}` : k)) : [[p, String(o)]];
const localeStrings: [string, string][] = ['fr', 'en'].flatMap((lng) =>
  fs
    .readdirSync(path.join(root, 'locales', lng))
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => leaves(JSON.parse(fs.readFileSync(path.join(root, 'locales', lng, f), 'utf8'))).map(([k, v]): [string, string] => [`${lng}/${f}:${k}`, v])),
);
const templatePlaceholders: [string, string][] = fs
  .readdirSync(path.join(root, 'src/cards/templates'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json') && !f.endsWith('.data.json'))
  .flatMap((f) => [...fs.readFileSync(path.join(root, 'src/cards/templates', f), 'utf8').matchAll(/"placeholder":\s*"([^"$]+)"/g)].map((m): [string, string] => [f, m[1]]));

/** Which validator a keyed example answers to, from its key's name. */
const checks: [RegExp, (v: string) => boolean][] = [
  [/(rpps|identifier)Example$/i, (v) => checkProfessionalId(v).status === 'valid'],
  [/finessExample$/i, (v) => checkFiness(v).status === 'valid'],
  [/structureIdExample$/i, (v) => checkStructureId(v).status === 'valid'],
  [/(phone|mobile)Example$/i, (v) => checkFrenchPhone(v).status === 'valid'],
  [/postalCodeExample$/i, (v) => departmentFromPostalCode(v).status === 'valid'],
  [/emailExample$/i, (v) => emailSchema.safeParse(v).success && !suggestEmail(v) && !isRoleAddress(v)],
];

/** A bare run of digits in a sentence or placeholder, by its length: RPPS 11, SIRET 14, FINESS/SIREN/ADELI 9. */
function numberPasses(digits: string): boolean {
  if (digits.length === 11) return checkProfessionalId(digits).status === 'valid';
  if (digits.length === 14) return siretValid(digits);
  if (digits.length === 9) return luhnValid(digits);
  return true;
}

describe('every example shown passes its own validator', () => {
  const keyed = localeStrings.filter(([k]) => checks.some(([re]) => re.test(k)));

  it('finds the identifier examples (the walk is not empty)', () => {
    expect(keyed.map(([k]) => k)).toEqual(
      expect.arrayContaining(['fr/medimail.json:finalise.structureIdExample', 'fr/medimail.json:finalise.rppsExample', 'fr/accreditation.json:form.identifierExample', 'en/medimail.json:form.emailExample']),
    );
  });

  it.each(keyed)('%s = %s', (key, value) => {
    const check = checks.find(([re]) => re.test(key))![1];
    expect(check(value), `${key} « ${value} » fails its validator`).toBe(true);
  });

  it.each([...localeStrings, ...templatePlaceholders].flatMap(([k, v]) => [...v.matchAll(/(?<![\d\w])\d{9,14}(?![\d\w])/g)].map((m): [string, string] => [k, m[0]])))(
    'the number in %s (%s) passes its key',
    (_key, digits) => {
      expect(numberPasses(digits)).toBe(true);
    },
  );

  it('the check would catch the old SIRET example', () => {
    expect(checkStructureId('31078140600012').status).toBe('badKey');
  });
});
