import type { Translator } from '../i18n';

/** Dates as a French user reads them, in Paris time: "12/03/2026 à 14 h 02". */
export function dateTime(t: Translator, date: Date): string {
  const locale = t('format.locale');
  const day = date.toLocaleDateString(locale, { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' });
  const [hours, minutes] = date
    .toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })
    .split(':');
  return t('format.dateTime', { date: day, hours, minutes });
}

export function time(t: Translator, date: Date): string {
  const [hours, minutes] = date.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).split(':');
  return t('format.time', { hours, minutes });
}
