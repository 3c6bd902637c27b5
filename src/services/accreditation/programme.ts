/**
 * The programme's calendar, from the engagement date (knowledge.md §1.4, steps 8–9): a first
 * accreditation after 12 months — the first annual bilan, the request the HAS decides on — then a
 * bilan every year (the intermediate ones validated by the OA alone; without them the HAS withdraws
 * the accreditation) and a renewal request every four years. The dates are anniversaries: each OA
 * opens the bilan in the weeks before (its own window), so they are shown as estimates.
 */
export type ProgrammeMilestone = 'engaged' | 'firstBilan' | 'annualBilan' | 'renewal';

export interface ProgrammeEntry {
  milestone: ProgrammeMilestone;
  /** The anniversary (Paris calendar day of the engagement, years later). */
  date: Date;
  /** Years since the engagement. */
  year: number;
}

/** The years shown: the first accreditation and one full four-year cycle after it. */
const YEARS = 5;

export function programmeCalendar(engagedOn: Date): ProgrammeEntry[] {
  const at = (years: number) => {
    const date = new Date(engagedOn);
    date.setUTCFullYear(date.getUTCFullYear() + years);
    return date;
  };
  const entries: ProgrammeEntry[] = [{ milestone: 'engaged', date: new Date(engagedOn), year: 0 }];
  for (let year = 1; year <= YEARS; year += 1) {
    const milestone: ProgrammeMilestone = year === 1 ? 'firstBilan' : (year - 1) % 4 === 0 ? 'renewal' : 'annualBilan';
    entries.push({ milestone, date: at(year), year });
  }
  return entries;
}
