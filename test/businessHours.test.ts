import { describe, expect, it } from 'vitest';
import { businessHoursBetween, isOpen } from '../src/services/businessHours';

/** The obvious way, a quarter hour at a time: what the day-by-day computation must agree with. */
function byQuarterHours(from: Date, to: Date): number {
  let open = 0;
  for (let t = from.getTime(); t < to.getTime(); t += 15 * 60_000) if (isOpen(new Date(t))) open += 1;
  return open / 4;
}

describe('business hours of the service centre', () => {
  it('agree with counting quarter hours, across weekends, public holidays and both changes of time', () => {
    // A deterministic spread of intervals on quarter hours: March (summer time), Easter Monday, May Day, October (winter time), Christmas.
    const starts = ['2026-03-27T07:15:00Z', '2026-04-03T15:45:00Z', '2026-04-29T06:00:00Z', '2026-10-23T16:30:00Z', '2026-12-23T09:00:00Z', '2027-01-01T00:00:00Z'];
    for (const start of starts) {
      for (const quarters of [1, 7, 40, 97, 400, 1000]) {
        const from = new Date(start);
        const to = new Date(from.getTime() + quarters * 15 * 60_000);
        expect(businessHoursBetween(from, to), `${start} + ${quarters} quarter hours`).toBe(byQuarterHours(from, to));
      }
    }
  });

  it('counts nothing backwards, and minutes inside opening hours exactly', () => {
    expect(businessHoursBetween(new Date('2026-11-23T10:00:00Z'), new Date('2026-11-23T09:00:00Z'))).toBe(0);
    // Monday 23 November 2026, 10:00 to 10:20 Paris time.
    expect(businessHoursBetween(new Date('2026-11-23T09:00:00Z'), new Date('2026-11-23T09:20:00Z'))).toBeCloseTo(1 / 3, 10);
  });
});
