/**
 * French professional and structure identifiers (knowledge.md §3). A Luhn key only catches
 * typing errors: a number that passes may still not exist, and one that fails is "probably a
 * typo" — never "this number does not exist" (existence needs the Annuaire Santé).
 */

/** Removes spaces, dots, dashes and underscores people type inside numbers. */
export function normalizeNumber(value: string): string {
  return value.replace(/[\s.\-_/]/g, '').toUpperCase();
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type ProfessionalIdKind = 'RPPS' | 'ADELI';

export type ProfessionalIdCheck =
  | { status: 'valid'; kind: ProfessionalIdKind; value: string }
  /** Right length, wrong key: probably a typo; the user may still confirm it as typed. */
  | { status: 'badKey'; kind: ProfessionalIdKind; value: string }
  /** 12 digits starting with 8: the national identifier idNat_PS = 8 + RPPS. */
  | { status: 'nationalId'; value: string; rpps: string }
  | { status: 'invalid'; reason: 'empty' | 'letters' | 'length'; value: string };

/** RPPS (11 digits) or ADELI (9 digits), with their Luhn key; 8 + RPPS recognised. */
export function checkProfessionalId(input: string): ProfessionalIdCheck {
  const value = normalizeNumber(input);
  if (value === '') return { status: 'invalid', reason: 'empty', value };
  if (!/^\d+$/.test(value)) return { status: 'invalid', reason: 'letters', value };
  if (value.length === 12 && value.startsWith('8') && luhnValid(value.slice(1))) {
    return { status: 'nationalId', value, rpps: value.slice(1) };
  }
  if (value.length === 11) return { status: luhnValid(value) ? 'valid' : 'badKey', kind: 'RPPS', value };
  if (value.length === 9) return { status: luhnValid(value) ? 'valid' : 'badKey', kind: 'ADELI', value };
  return { status: 'invalid', reason: 'length', value };
}

export type StructureIdKind = 'FINESS' | 'SIREN' | 'SIRET';
export type StructureIdCheck =
  | { status: 'valid'; kind: StructureIdKind; value: string }
  | { status: 'badKey'; kind: StructureIdKind; value: string }
  | { status: 'invalid'; reason: 'empty' | 'characters' | 'length'; value: string };

const LA_POSTE_SIREN = '356000000';

/** SIRET: Luhn on 14 digits, except La Poste's establishments (digit sum multiple of 5). */
export function siretValid(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (value.startsWith(LA_POSTE_SIREN) && !luhnValid(value)) {
    return [...value].reduce((s, d) => s + Number(d), 0) % 5 === 0;
  }
  return luhnValid(value);
}

/** FINESS (9 characters, Corsica 2A/2B accepted without key), SIREN (9 digits) or SIRET (14 digits). */
export function checkStructureId(input: string, kind?: StructureIdKind): StructureIdCheck {
  const value = normalizeNumber(input);
  if (value === '') return { status: 'invalid', reason: 'empty', value };
  if (!/^[0-9AB]+$/.test(value)) return { status: 'invalid', reason: 'characters', value };
  if (value.length === 14 && (!kind || kind === 'SIRET')) {
    return { status: siretValid(value) ? 'valid' : 'badKey', kind: 'SIRET', value };
  }
  if (value.length === 9) {
    const k: StructureIdKind = kind === 'SIREN' ? 'SIREN' : 'FINESS';
    if (k === 'FINESS' && /^2[AB]\d{7}$/.test(value)) return { status: 'valid', kind: k, value };
    if (!/^\d{9}$/.test(value)) return { status: 'invalid', reason: 'characters', value };
    return { status: luhnValid(value) ? 'valid' : 'badKey', kind: k, value };
  }
  return { status: 'invalid', reason: 'length', value };
}

/** FINESS only (an establishment's number). */
export function checkFiness(input: string): StructureIdCheck {
  const check = checkStructureId(input, 'FINESS');
  if (check.status !== 'invalid' && check.kind !== 'FINESS') return { status: 'invalid', reason: 'length', value: check.value };
  return check;
}
