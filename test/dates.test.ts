import { beforeAll, describe, expect, it } from 'vitest';
import { createI18n, type Translator } from '../src/i18n';
import { calendarDay, calendarLongDay, dateTime, day, formatter, longDateTime, longDay, moment, time } from '../src/dates';

let fr: Translator;
let en: Translator;
let mail: Translator;
beforeAll(async () => {
  const i18n = await createI18n('fr');
  fr = i18n.getFixedT('fr');
  en = i18n.getFixedT('en');
  mail = i18n.getFixedT('fr', 'mail');
});

// 14:02 in Paris (winter time, UTC+1) on 12 March 2026.
const at = new Date('2026-03-12T13:02:00Z');

describe('dates as users read them', () => {
  it('in Paris time, in the reader’s language, whatever the translator’s namespace', () => {
    expect(dateTime(fr, at)).toBe('12/03/2026 à 14 h 02');
    expect(dateTime(en, at)).toBe('12/03/2026 at 14:02');
    expect(dateTime(mail, at)).toBe('12/03/2026 à 14 h 02');
    expect(time(fr, new Date('2026-07-01T06:05:00Z'))).toBe('08 h 05');
    expect(day(fr, new Date('2026-12-31T23:30:00Z'))).toBe('01/01/2027');
    expect(longDateTime(fr, at)).toBe('12 mars 2026 à 14 h 02');
    expect(longDay(fr, new Date('2026-12-03T10:00:00Z'))).toBe('3 décembre 2026');
    expect(longDay(en, new Date('2026-12-03T10:00:00Z'))).toBe('3 December 2026');
    expect(longDateTime(en, at)).toBe('12 March 2026 at 14:02');
    // A status line's day in words; 23:30 UTC on 2 December is already 3 December in Paris.
    expect(longDay(fr, new Date('2026-12-02T23:30:00Z'))).toBe('3 décembre 2026');
    expect(longDay(en, new Date('2026-12-02T23:30:00Z'))).toBe('3 December 2026');
  });

  it('a date the user entered is shown as they write it, never as ISO, and does not shift by a day', () => {
    expect(calendarDay(fr, '2025-06-10')).toBe('10/06/2025');
    expect(calendarDay(en, '2025-01-01')).toBe('01/01/2025');
    expect(calendarDay(fr, 'pas une date')).toBe('pas une date');
    expect(calendarLongDay(fr, '2025-06-01')).toBe('1 juin 2025');
    expect(calendarLongDay(fr, 'pas une date')).toBe('pas une date');
  });

  it('builds each formatter once', () => {
    expect(formatter('fr-FR', 'day')).toBe(formatter('fr-FR', 'day'));
    expect(formatter('fr-FR', 'day')).not.toBe(formatter('en-GB', 'day'));
  });
});

describe('when something may happen again', () => {
  it('today: the time alone; another day: the day too', () => {
    const now = new Date('2026-03-12T08:00:00Z');
    expect(moment(fr, at, now)).toBe('à 14 h 02');
    expect(moment(en, at, now)).toBe('at 14:02');
    expect(moment(fr, new Date('2026-03-13T08:00:00Z'), now)).toBe('le 13/03/2026 à 09 h 00');
  });
});
