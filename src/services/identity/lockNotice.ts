import type { i18n as I18n } from 'i18next';
import { time as clockTime } from '../../dates';
import type { MailMessage } from '../mail/outbox';

export type LockedAccount = 'accreditation' | 'desk' | 'medimail';

/**
 * The mail that tells an account's holder that five wrong passwords locked it: it may be them, or
 * someone else trying — in which case they know, and know what to do.
 */
export function lockedMail(i18n: I18n, locale: string, to: string, account: LockedAccount, until: Date, url: string): MailMessage {
  const lng = locale === 'en' ? 'en' : 'fr';
  const t = i18n.getFixedT(lng, 'mail');
  const time = clockTime(t, until);
  return { to, subject: t('locked.subject', { account: t(`locked.account.${account}`) }), text: t('locked.text', { account: t(`locked.account.${account}`), time, url }) };
}
