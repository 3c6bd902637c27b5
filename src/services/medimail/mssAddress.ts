import { PROFESSIONS, type ProfessionCode } from './nomenclature';

/**
 * MSSanté addresses (knowledge.md §2.1, seed 003) and the rules on the e-mail given with them.
 * One rule, the seed's prenom.nom@<profession>.oc.mssante.fr (the regional label `oc` from
 * data/medimail/mssDomains.json, see mssDomains.ts), built from the first and last
 * names (not from the e-mail): lower case, accents removed, letters outside Latin spelt out
 * (ß → ss), spaces and hyphens inside a name become one hyphen (« Ana Maria » → ana-maria),
 * apostrophes and other signs dropped (« N'Diaye » → ndiaye); a collision gets a distinct
 * address (…2, …3), told to the user before they validate.
 */
// The professions come from the national nomenclature (data/medimail/nomenclature.json).
export { PROFESSIONS, PROFESSION_CODES, type ProfessionCode } from './nomenclature';

/** Letters that are not a Latin letter plus an accent, spelt out as the registries do. */
const SPELT: Record<string, string> = { ł: 'l', đ: 'd', ð: 'd', ø: 'o', ß: 'ss', þ: 'th', ı: 'i', ħ: 'h', ŀ: 'l', æ: 'ae', œ: 'oe' };

/** One name part as an address part: "Lefèvre-Durand" → "lefevre-durand", "de la Tour" → "de-la-tour", "Łęcka-Şahin" → "lecka-sahin". */
function part(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[łđðøßþıħŀæœ]/g, (c) => SPELT[c])
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** `label`: the regional part of the domain (mssDomains.ts: `oc` for Occitanie, the one known). */
export function mssAddressFor(firstName: string, lastName: string, profession: ProfessionCode, label = 'oc'): string {
  const domain = PROFESSIONS.find((p) => p.code === profession)!.domain;
  return `${part(firstName)}.${part(lastName)}@${domain}.${label}.mssante.fr`;
}

/** The address, or the first free variant of it (prenom.nom2@…) when it is taken. */
export function distinctAddress(address: string, taken: (candidate: string) => boolean): string {
  if (!taken(address)) return address;
  const [local, domain] = address.split('@');
  for (let n = 2; ; n += 1) {
    const candidate = `${local}${n}@${domain}`;
    if (!taken(candidate)) return candidate;
  }
}

// Shared or role mailboxes: an MSS address must come from a nominative address.
const ROLE_LOCAL_PARTS = [
  'contact', 'secretariat', 'secretariat-medical', 'secretaire', 'accueil', 'cabinet', 'info', 'infos', 'admin', 'administration',
  'direction', 'pharmacie', 'labo', 'laboratoire', 'rdv', 'rendezvous', 'rendez-vous', 'bonjour', 'hello', 'office', 'reception',
  'noreply', 'no-reply', 'standard', 'service', 'clinique', 'maternite', 'urgences', 'compta', 'comptabilite',
];

/** True when the address looks like a role address (contact@, secretariat@, accueil@, cabinet@…): refused. */
export function isRoleAddress(email: string): boolean {
  const local = email.trim().toLowerCase().split('@')[0] ?? '';
  const first = local.split(/[._+]/)[0];
  return ROLE_LOCAL_PARTS.includes(local) || ROLE_LOCAL_PARTS.includes(first);
}

const letters = (s: string) => part(s).replace(/-/g, '');

/**
 * What the service centre should look at in an accepted address: a role word further in
 * (durand.cabinet@…), or neither the first nor the last name in it (jb31@…). Not refused —
 * many nominative addresses look like that — but shown to the agent who validates.
 */
export function borderlineAddress(email: string, firstName: string, lastName: string): 'roleWord' | 'noName' | undefined {
  const local = email.trim().toLowerCase().split('@')[0] ?? '';
  if (local.split(/[._+-]/).some((segment) => ROLE_LOCAL_PARTS.includes(segment))) return 'roleWord';
  const flat = local.replace(/[^a-z0-9]/g, '');
  const names = [...firstName.split(/[\s-]+/), ...lastName.split(/[\s-]+/)].map(letters).filter((n) => n.length >= 3);
  if (names.length && !names.some((n) => flat.includes(n))) return 'noName';
  return undefined;
}

/**
 * Regions whose ARS / Region bought Medimail (knowledge.md §2.1, 2023 press: Occitanie, PACA,
 * Grand Est, Hauts-de-France, Corse, Guyane). Where Sésame does not create accounts (outside
 * MEDIMAIL_REGIONS), a user from one of these is sent to Medimail's own site, not told it is absent.
 */
export const MEDIMAIL_KNOWN_REGIONS = ['76', '93', '44', '32', '94', '03'] as const;
