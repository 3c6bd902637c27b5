import type { TurnContext } from 'botbuilder';
import type { Locale, Translator } from '../i18n';

// What the bot computes once per turn and every dialog reads: the user's language.
const TRANSLATOR = Symbol('sesame.translator');
const LOCALE = Symbol('sesame.locale');

export function setTurnLanguage(context: TurnContext, locale: Locale, t: Translator): void {
  context.turnState.set(LOCALE, locale);
  context.turnState.set(TRANSLATOR, t);
}

export function tr(context: TurnContext): Translator {
  const t = context.turnState.get(TRANSLATOR) as Translator | undefined;
  if (!t) throw new Error('No translator for this turn: SesameBot sets it before running dialogs.');
  return t;
}

export function turnLocale(context: TurnContext): Locale {
  return context.turnState.get(LOCALE) as Locale;
}

const SWITCH = Symbol('sesame.switchLanguage');

/** The bot registers how a language change is remembered (user state) and applied to this turn. */
export function setLanguageSwitch(context: TurnContext, apply: (locale: Locale) => Promise<void>): void {
  context.turnState.set(SWITCH, apply);
}

export async function switchLanguage(context: TurnContext, locale: Locale): Promise<void> {
  const apply = context.turnState.get(SWITCH) as ((locale: Locale) => Promise<void>) | undefined;
  if (!apply) throw new Error('No language switch for this turn.');
  await apply(locale);
}
