/**
 * The specialties "à risque" of CSP D.4135-2 (knowledge.md §1.2). Items 15° to 21° qualify
 * only for a surgical or interventional practice. Labels live in locales (accreditation:specialty.*).
 */
export const SPECIALTIES = [
  { code: 'chirurgie-generale', item: 1 },
  { code: 'neurochirurgie', item: 2 },
  { code: 'chirurgie-urologique', item: 3 },
  { code: 'chirurgie-orthopedique', item: 4 },
  { code: 'chirurgie-infantile', item: 5 },
  { code: 'chirurgie-face-cou', item: 6 },
  { code: 'chirurgie-maxillo-faciale', item: 7 },
  { code: 'chirurgie-plastique', item: 8 },
  { code: 'chirurgie-thoracique-cardiovasculaire', item: 9 },
  { code: 'chirurgie-vasculaire', item: 10 },
  { code: 'chirurgie-viscerale', item: 11 },
  { code: 'gynecologie-obstetrique', item: 12 },
  { code: 'anesthesie-reanimation', item: 13 },
  { code: 'reanimation-medicale', item: 14 },
  { code: 'stomatologie', item: 15 },
  { code: 'orl', item: 16 },
  { code: 'ophtalmologie', item: 17 },
  { code: 'cardiologie', item: 18 },
  { code: 'radiologie', item: 19 },
  { code: 'gastro-enterologie', item: 20 },
  { code: 'pneumologie', item: 21 },
] as const;

export type SpecialtyCode = (typeof SPECIALTIES)[number]['code'];
export const SPECIALTY_CODES = SPECIALTIES.map((s) => s.code) as [SpecialtyCode, ...SpecialtyCode[]];

export function needsInterventionalPractice(code: SpecialtyCode): boolean {
  return (SPECIALTIES.find((s) => s.code === code)?.item ?? 0) >= 15;
}

export interface EligibilityAnswers {
  physician: 'yes' | 'no';
  specialty: SpecialtyCode | 'other';
  interventional: 'yes' | 'no' | 'unsure';
  establishment: 'yes' | 'no' | 'unsure';
  practice: 'individual' | 'team';
}

export type Ineligibility = 'notPhysician' | 'specialty' | 'notInterventional' | 'cabinetOnly';

/** Why a person is not eligible, or nothing when eligible (or unsure: they continue). */
export function ineligibility(answers: EligibilityAnswers): Ineligibility | undefined {
  if (answers.physician === 'no') return 'notPhysician';
  if (answers.specialty === 'other') return 'specialty';
  if (needsInterventionalPractice(answers.specialty) && answers.interventional === 'no') return 'notInterventional';
  if (answers.establishment === 'no') return 'cabinetOnly';
  return undefined;
}

/**
 * What the eligibility check concludes, said to the user as one sentence (D.4135-2): concerned,
 * concerned if what they did not know holds (the OA's expert checks it), or not concerned and why.
 */
export type EligibilityVerdict =
  | { kind: 'concerned'; interventional: boolean }
  | { kind: 'unsure'; establishment: boolean; interventional: boolean }
  | { kind: 'notConcerned'; reason: Ineligibility };

export function eligibilityVerdict(answers: EligibilityAnswers): EligibilityVerdict {
  const reason = ineligibility(answers);
  if (reason) return { kind: 'notConcerned', reason };
  const interventional = answers.specialty !== 'other' && needsInterventionalPractice(answers.specialty);
  const unsureInterventional = interventional && answers.interventional === 'unsure';
  const unsureEstablishment = answers.establishment === 'unsure';
  if (unsureInterventional || unsureEstablishment) return { kind: 'unsure', establishment: unsureEstablishment, interventional: unsureInterventional };
  return { kind: 'concerned', interventional };
}
