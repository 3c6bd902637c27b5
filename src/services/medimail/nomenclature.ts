import { z } from 'zod';
import nomenclatureData from '../../../data/medimail/nomenclature.json';

/**
 * The professions and specialties a Medimail account is created with: those of the national
 * nomenclature (RPPS professions, ordinal specialties), from data/medimail/nomenclature.json with
 * its source — not the accreditation's 21 specialties "à risque", which are another list.
 * Labels live in locales (medimail:profession.*, medimail:specialty.*).
 */
const code = z.string().regex(/^[a-z][a-z-]*$/);
const nomenclatureSchema = z.object({
  source: z.object({ publisher: z.string().min(1), professions: z.string().min(1), specialties: z.string().min(1), version: z.string().min(1) }).passthrough(),
  professions: z.array(z.object({ code, rpps: z.string().regex(/^\d{2}$/), label: z.string().min(1), domain: code })).min(1),
  specialties: z.record(code, z.array(z.object({ code, label: z.string().min(1) })).min(1)),
});

export const NOMENCLATURE = nomenclatureSchema
  .superRefine((n, ctx) => {
    const professions = new Set(n.professions.map((p) => p.code));
    if (professions.size !== n.professions.length) ctx.addIssue({ code: 'custom', message: 'a profession code is repeated' });
    for (const profession of Object.keys(n.specialties)) if (!professions.has(profession)) ctx.addIssue({ code: 'custom', message: `specialties of an unknown profession: ${profession}` });
    const specialties = Object.values(n.specialties).flat().map((s) => s.code);
    if (new Set(specialties).size !== specialties.length) ctx.addIssue({ code: 'custom', message: 'a specialty code is repeated' });
  })
  .parse(nomenclatureData);

export type ProfessionCode = string;
export const PROFESSIONS = NOMENCLATURE.professions;
export const PROFESSION_CODES = PROFESSIONS.map((p) => p.code) as [ProfessionCode, ...ProfessionCode[]];

/** Every specialty, with the profession it belongs to. */
export const SPECIALTIES = Object.entries(NOMENCLATURE.specialties).flatMap(([profession, list]) => list.map((s) => ({ ...s, profession })));
export const SPECIALTY_CODES = SPECIALTIES.map((s) => s.code) as [string, ...string[]];

export function specialtyOf(code: string): { code: string; profession: string } | undefined {
  return SPECIALTIES.find((s) => s.code === code);
}
