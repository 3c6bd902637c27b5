import type { Translator } from '../i18n';
import { card, submit, text, type AdaptiveCard } from './adaptive';

export const MENU_VERBS = ['accreditation.start', 'medimail.start', 'help.problem'] as const;
export type MenuVerb = (typeof MENU_VERBS)[number];

/** The first thing a user sees: what Sésame does and its three entries. */
export function welcomeCard(t: Translator, promptId: string): AdaptiveCard {
  return card(
    [
      text(t('welcome.title'), { size: 'medium', weight: 'bolder', style: 'heading' }),
      text(t('welcome.intro')),
      text(t('welcome.support'), { isSubtle: true }),
      text(t('welcome.question'), { weight: 'bolder' }),
      text(t('welcome.hint'), { isSubtle: true, size: 'small' }),
    ],
    [
      submit(t('welcome.accreditation'), 'accreditation.start', promptId),
      submit(t('welcome.medimail'), 'medimail.start', promptId),
      submit(t('welcome.problem'), 'help.problem', promptId),
    ],
  );
}
