import { z } from 'zod';
import type { Translator } from '../i18n';
import type { AdaptiveCard, CardElement } from './adaptive';
import { plain } from './adaptive';
import { fact, form, pick, text, texts, userText } from './schema';

export const MENU_VERBS = ['accreditation.start', 'medimail.start', 'help.problem'] as const;
export type MenuVerb = (typeof MENU_VERBS)[number];

const WELCOME = ['title', 'intro', 'support', 'question', 'hint', 'accreditation', 'medimail', 'problem'] as const;

export const commonSchemas = {
  /** The first thing a user sees: what Sésame does and its three entries. */
  welcome: z.object({ promptId: form.promptId, text: texts(...WELCOME) }),
  /** What was sent, read-only (Teams replaces the card with it, so it cannot be sent twice). */
  recap: z.object({ sent: text, facts: z.array(fact.extend({ value: userText })) }),
};

export const welcomeData = (t: Translator, promptId: string) => ({ promptId, text: pick(t, 'welcome', WELCOME) });

type Input = CardElement & { id: string; label?: string; title?: string; choices?: { title: string; value: string }[]; valueOn?: string };

function inputs(items: CardElement[]): Input[] {
  return items.flatMap((item) => (item.type === 'Container' ? inputs(item.items) : item.type.startsWith('Input.') ? [item as Input] : []));
}

/**
 * The label a button had on the card, for the recap of what was sent — escaped: a button title is
 * plain text on the card, but the recap is markdown, and a title may hold a name ("Ouvrir 1 — …").
 */
export function actionTitle(sent: AdaptiveCard, verb: string): string {
  return plain(sent.actions?.find((a) => a.data.verb === verb)?.title ?? verb);
}

/** The recap's data: the button and every answer as the card showed it (choice titles, yes/no). */
export function recapData(t: Translator, sent: AdaptiveCard, verb: string, values: Record<string, string>) {
  const facts = inputs(sent.body)
    .map((input) => {
      const raw = values[input.id];
      if (raw === undefined || raw === '') return undefined;
      let shown = raw;
      if (input.type === 'Input.ChoiceSet') shown = raw.split(',').map((v) => input.choices?.find((c) => c.value === v)?.title ?? v).join(', ');
      if (input.type === 'Input.Toggle') shown = t(raw === (input.valueOn ?? 'true') ? 'prompt.yes' : 'prompt.no');
      return { title: input.label ?? input.title ?? input.id, value: shown };
    })
    .filter((f): f is { title: string; value: string } => Boolean(f));
  return { sent: t('prompt.recap', { action: actionTitle(sent, verb) }), facts };
}
