/**
 * Patient-identifying data in a free text: what a declaration of a risk event (EPR), a question or
 * a ticket must never carry or keep — a declaration is anonymous by design (knowledge.md §1.5).
 */
export type PatientDataFinding = 'nir' | 'birthDate';

// A French social security number (NIR): sex, year, month, department (2A/2B), commune, order, optional key.
const NIR = String.raw`\b[12][\s.]?\d{2}[\s.]?(?:0[1-9]|1[0-2]|[2-9]\d)[\s.]?(?:\d{2}|2[AB])[\s.]?\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?\b`;
const DATE = String.raw`\d{1,2}[\/.-]\d{1,2}[\/.-](?:19|20)?\d{2}`;
const TITLE_NAME = String.raw`\b(?:M\.|Mme|Mlle|Mr|Mrs|Monsieur|Madame)\s+[A-ZÉÈ][\p{L}'-]+`;
// A date of birth said as such, or a date right next to a person's name.
const BIRTH = new RegExp(String.raw`\b(?:n[ée]e?s?\s+le|date\s+de\s+naissance|DDN|born\s+on|date\s+of\s+birth)\b|${TITLE_NAME}[\s,(]*(?:\w+\s){0,3}${DATE}`, 'iu');

export function patientDataFindings(text: string): PatientDataFinding[] {
  const found: PatientDataFinding[] = [];
  if (new RegExp(NIR, 'i').test(text)) found.push('nir');
  if (BIRTH.test(text)) found.push('birthDate');
  return found;
}

/**
 * The text with what identifies a patient masked: every social security number; and, where a date
 * of birth is given, every date and every "Mme Dupont" of the text. What remains says what happened,
 * not to whom.
 */
export function redactPatientData(text: string, mark: string): string {
  let out = text.replace(new RegExp(NIR, 'gi'), mark);
  if (BIRTH.test(out)) {
    out = out.replace(new RegExp(DATE, 'g'), mark).replace(new RegExp(TITLE_NAME, 'gu'), (whole) => `${whole.split(/\s+/)[0]} ${mark}`);
  }
  return out;
}
