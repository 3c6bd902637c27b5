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

/** French public holidays of a year, as "MM-DD". */
export function publicHolidays(year: number): Set<string> {
  const e = easter(year);
  const base = Date.UTC(year, e.month - 1, e.day);
  const shifted = (days: number) => new Date(base + days * 86_400_000).toISOString().slice(5, 10);
  return new Set(['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25', shifted(1), shifted(39), shifted(50)]);
}

/** Paris wall-clock parts of an instant. */
function paris(date: Date): { year: number; monthDay: string; weekday: number; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
  return { year: Number(parts.year), monthDay: `${parts.month}-${parts.day}`, weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

export function isOpen(now: Date, hours: OpeningHours = SERVICE_CENTRE_HOURS): boolean {
  const p = paris(now);
  if (!hours.days.includes(p.weekday) || publicHolidays(p.year).has(p.monthDay)) return false;
  return p.minutes >= hours.opens && p.minutes < hours.closes;
}

/** Business hours elapsed between two instants (counted by quarter-hours: precise enough for "over 48 h"). */
export function businessHoursBetween(from: Date, to: Date, hours: OpeningHours = SERVICE_CENTRE_HOURS): number {
  const step = 15 * 60_000;
  let open = 0;
  for (let t = from.getTime(); t < to.getTime(); t += step) if (isOpen(new Date(t), hours)) open += 1;
  return open / 4;
}
