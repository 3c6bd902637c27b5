import type { Translator } from './i18n';

/**
 * Every date a user reads, in Paris time and in their language, through one cached
 * Intl.DateTimeFormat per (locale, style): building a formatter costs tens of microseconds,
 * using one costs one. No ISO date ("2025-06-10") is ever shown to a user.
 */
const TIME_ZONE = 'Europe/Paris';
const STYLES = {
  day: { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' },
  clock: { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  longDay: { timeZone: TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' },
  /** A calendar date that has no time (a date of birth, of an event): read in UTC so it does not shift. */
  calendarDay: { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' },
  calendarLongDay: { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;
type Style = keyof typeof STYLES;

const cache = new Map<string, Intl.DateTimeFormat>();

export function formatter(locale: string, style: Style): Intl.DateTimeFormat {
  const key = `${locale}|${style}`;
  let found = cache.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, STYLES[style]);
    cache.set(key, found);
  }
  return found;
}

function clock(date: Date): { hours: string; minutes: string } {
  const parts = formatter('fr-FR', 'clock').formatToParts(date);
  const part = (type: 'hour' | 'minute') => parts.find((p) => p.type === type)?.value ?? '00';
  return { hours: part('hour'), minutes: part('minute') };
}

/** "12/03/2026 à 14 h 02" (fr), "12/03/2026 at 14:02" (en). */
export function dateTime(t: Translator, date: Date): string {
  return t('common:format.dateTime', { date: formatter(t('common:format.locale'), 'day').format(date), ...clock(date) });
}

/** "14 h 02" (fr), "14:02" (en). */
export function time(t: Translator, date: Date): string {
  return t('common:format.time', clock(date));
}

/** "12/03/2026": the day alone, in Paris time. */
export function day(t: Translator, date: Date): string {
  return formatter(t('common:format.locale'), 'day').format(date);
}

/** "12 mars 2026 à 14 h 02" (fr), "12 March 2026 at 14:02" (en): a date in words, for cards, mails and tickets. */
export function longDateTime(t: Translator, date: Date): string {
  return t('common:format.dateTime', { date: longDay(t, date), ...clock(date) });
}

/** "3 décembre 2026" (fr), "3 December 2026" (en): a day in words, where a card or a mail has room for it. */
export function longDay(t: Translator, date: Date): string {
  return formatter(t('common:format.locale'), 'longDay').format(date);
}

/**
 * A calendar date a user entered ("2025-06-10", as Input.Date gives it) as they write it:
 * "10/06/2025". Anything that is not such a date is returned unchanged.
 */
export function calendarDay(t: Translator, isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? isoDate : formatter(t('common:format.locale'), 'calendarDay').format(date);
}

/** A calendar date as "10 juin 2025" ("10 June 2025"); anything that is not such a date unchanged. */
export function calendarLongDay(t: Translator, isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? isoDate : formatter(t('common:format.locale'), 'calendarLongDay').format(date);
}

/**
 * When something may happen again, as a sentence part: "à 14 h 02" today (Paris time),
 * "le 13/03/2026 à 09 h 00" another day ("at 14:02", "on 13/03/2026 at 09:00").
 */
export function moment(t: Translator, date: Date, now: Date = new Date()): string {
  const sameDay = formatter('fr-FR', 'day').format(date) === formatter('fr-FR', 'day').format(now);
  return sameDay ? t('common:format.todayAt', clock(date)) : t('common:format.dayAt', { date: day(t, date), ...clock(date) });
}
