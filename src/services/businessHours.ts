/**
 * Opening hours in Paris time with French public holidays: the GRADeS service centre answers
 * 8:30–18:30, Monday to Friday (seed 003); its 24–48 h validation counts business hours.
 */
export interface OpeningHours {
  /** Minutes after midnight, Paris time. */
  opens: number;
  closes: number;
  /** 1 = Monday … 7 = Sunday. */
  days: number[];
}

export const SERVICE_CENTRE_HOURS: OpeningHours = { opens: 8 * 60 + 30, closes: 18 * 60 + 30, days: [1, 2, 3, 4, 5] };

function easter(year: number): { month: number; day: number } {
  // Anonymous Gregorian algorithm.
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  return { month: Math.floor((h + l - 7 * m + 114) / 31), day: ((h + l - 7 * m + 114) % 31) + 1 };
}

const holidaysByYear = new Map<number, Set<string>>();

/** French public holidays of a year, as "MM-DD" (computed once per year). */
export function publicHolidays(year: number): Set<string> {
  let found = holidaysByYear.get(year);
  if (!found) {
    const e = easter(year);
    const base = Date.UTC(year, e.month - 1, e.day);
    const shifted = (days: number) => new Date(base + days * 86_400_000).toISOString().slice(5, 10);
    found = new Set(['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25', shifted(1), shifted(39), shifted(50)]);
    holidaysByYear.set(year, found);
  }
  return found;
}

// One formatter for every reading of Paris time (building one costs far more than using it).
const PARIS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** Paris wall-clock parts of an instant. */
function paris(date: Date): { year: number; month: number; day: number; minutes: number; wall: number } {
  const parts: Record<string, number> = {};
  for (const p of PARIS.formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    minutes: parts.hour * 60 + parts.minute,
    // The wall clock read as if it were UTC: its difference with the instant is Paris's offset then.
    wall: Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second),
  };
}

/** 1 = Monday … 7 = Sunday, of a calendar day. */
const weekdayOf = (year: number, month: number, day: number) => ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
const monthDay = (month: number, day: number) => `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

function isWorkingDay(year: number, month: number, day: number, hours: OpeningHours): boolean {
  return hours.days.includes(weekdayOf(year, month, day)) && !publicHolidays(year).has(monthDay(month, day));
}

const offsets = new Map<number, number>();

/**
 * Paris's offset from UTC on a calendar day (ms), read at noon: France changes time at night, so it
 * holds through the opening hours. Remembered per day: the desk asks about the same days for every account.
 */
function parisOffset(dayUtc: number): number {
  let offset = offsets.get(dayUtc);
  if (offset === undefined) {
    const noon = dayUtc + 12 * 3_600_000;
    offset = paris(new Date(noon)).wall - noon;
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(dayUtc, offset);
  }
  return offset;
}

export function isOpen(now: Date, hours: OpeningHours = SERVICE_CENTRE_HOURS): boolean {
  const p = paris(now);
  if (!isWorkingDay(p.year, p.month, p.day, hours)) return false;
  return p.minutes >= hours.opens && p.minutes < hours.closes;
}

/**
 * Business hours elapsed between two instants, a day at a time: each working day's opening hours,
 * Paris time, clipped to the interval (a few microseconds a day; it ran for every quarter hour).
 */
export function businessHoursBetween(from: Date, to: Date, hours: OpeningHours = SERVICE_CENTRE_HOURS): number {
  if (to.getTime() <= from.getTime()) return 0;
  const start = paris(from);
  let total = 0;
  for (let cursor = Date.UTC(start.year, start.month - 1, start.day); ; cursor += 86_400_000) {
    const offset = parisOffset(cursor);
    const opens = cursor + hours.opens * 60_000 - offset;
    if (opens >= to.getTime()) break;
    const d = new Date(cursor);
    if (!isWorkingDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hours)) continue;
    const closes = cursor + hours.closes * 60_000 - offset;
    total += Math.max(0, Math.min(closes, to.getTime()) - Math.max(opens, from.getTime()));
  }
  return total / 3_600_000;
}
