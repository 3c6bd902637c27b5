import type { Translator } from '../i18n';
import { card, plain, text, type AdaptiveCard, type CardElement } from './adaptive';

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

/**
 * What was sent, read-only: the button and every answer as the card showed it (choice titles,
 * yes/no). In Teams it replaces the card, so an old card cannot be submitted twice.
 */
export function recapCard(t: Translator, sent: AdaptiveCard, verb: string, values: Record<string, string>): AdaptiveCard {
  const facts = inputs(sent.body)
    .map((input) => {
      const raw = values[input.id];
      if (raw === undefined || raw === '') return undefined;
      let shown = raw;
      if (input.type === 'Input.ChoiceSet') shown = raw.split(',').map((v) => input.choices?.find((c) => c.value === v)?.title ?? v).join(', ');
      if (input.type === 'Input.Toggle') shown = t(raw === (input.valueOn ?? 'true') ? 'prompt.yes' : 'prompt.no');
      return { title: input.label ?? input.title ?? input.id, value: plain(shown) };
    })
    .filter((f): f is { title: string; value: string } => Boolean(f));
  const body: CardElement[] = [text(t('prompt.recap', { action: actionTitle(sent, verb) }), { weight: 'bolder', color: 'good' })];
  if (facts.length) body.push({ type: 'FactSet', facts });
  return card(body);
}
