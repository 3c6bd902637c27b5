/**
 * Patient-identifying data in a free text: what a declaration of a risk event (EPR), a question or
 * a ticket must never carry or keep — a declaration is anonymous by design (knowledge.md §1.5).
 */
export type PatientDataFinding = 'nir' | 'birthDate' | 'personName';

// A French social security number (NIR): sex, year, month, department (2A/2B), commune, order, optional
// key — written with spaces, dots, hyphens or underscores between the groups, or none.
const SEP = String.raw`[\s._-]{0,3}`;
const NIR = String.raw`(?<![\d])[12]${SEP}\d{2}${SEP}(?:0[1-9]|1[0-2]|[2-9]\d)${SEP}(?:\d{2}|2[AB])${SEP}\d{3}${SEP}\d{3}(?:${SEP}\d{2})?(?![\d])`;
const MONTH = String.raw`(?:janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const year = (century: string) => String.raw`${century}\d{2}`;
// A date, day first (12/03/1950, 12.03.50, 12 mars 1950) or ISO (1950-03-12).
const dates = (century: string, shortYear: boolean) =>
  String.raw`(?:\d{1,2}[\/.-]\d{1,2}[\/.-]${shortYear ? String.raw`(?:${century})?\d{2}` : year(century)}|${year(century)}-\d{2}-\d{2}|\d{1,2}(?:er)?\s+${MONTH}\s+${year(century)})(?![\d])`;
const DATE = dates('(?:19|20)', true);
/** A date in the last century: an event declared now is not that old, a patient's birth is. */
const LAST_CENTURY = dates('19', false);

// A title and a capitalised name (case matters: "patient opéré le …" names nobody).
const TITLE_NAME = String.raw`\b(?:[Mm]\.|[Mm]me|[Mm]lle|M[Rr]s?|[Mm]onsieur|[Mm]adame|[Pp]atiente?)\s+(?:[A-ZÉÈ][\p{L}'-]+\s+)?[A-ZÉÈ][\p{L}'-]+`;
// A date of birth said as such, or a date of the last century; or a date right next to a person's name.
const BIRTH_SAID = new RegExp(String.raw`(?<![\p{L}])(?:n[ée]e?s?\s+(?:le|en)|date\s+de\s+naissance|DDN|DOB|born\s+on|date\s+of\s+birth)(?![\p{L}])|${LAST_CENTURY}`, 'iu');
const NAME_AND_DATE = new RegExp(String.raw`${TITLE_NAME}[\s,(]*(?:[\p{L}'-]+[\s,]+){0,3}${DATE}`, 'u');
const hasBirth = (text: string) => BIRTH_SAID.test(text) || NAME_AND_DATE.test(text);

/**
 * `names`: a person named with a title (« M. Bernard Lefebvre », « Mme Dupont ») is a finding on its
 * own — where a text must be anonymous (an EPR), not in a question or a ticket where it may be anyone.
 */
export function patientDataFindings(typed: string, options: { names?: boolean } = {}): PatientDataFinding[] {
  // "née" typed as e + combining accent is the same word.
  const text = typed.normalize('NFC');
  const found: PatientDataFinding[] = [];
  if (new RegExp(NIR, 'i').test(text)) found.push('nir');
  if (hasBirth(text)) found.push('birthDate');
  else if (options.names && new RegExp(TITLE_NAME, 'u').test(text)) found.push('personName');
  return found;
}

/**
 * The text with what identifies a patient masked: every social security number; and, where a date
 * of birth is given, every date and every "Mme Dupont" of the text. What remains says what happened,
 * not to whom.
 */
export function redactPatientData(typed: string, mark: string): string {
  if (!patientDataFindings(typed).length) return typed;
  let out = typed.normalize('NFC').replace(new RegExp(NIR, 'gi'), mark);
  if (hasBirth(out)) {
    out = out.replace(new RegExp(DATE, 'giu'), mark).replace(new RegExp(TITLE_NAME, 'gu'), (whole) => `${whole.split(/\s+/)[0]} ${mark}`);
  }
  return out;
}
