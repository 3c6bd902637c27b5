import type { Translator } from '../i18n';
import type { CardElement } from './adaptive';
import { text } from './adaptive';

/** What a card step shows: the prompt it answers, the values typed so far, the errors per field. */
export interface CardView {
  promptId: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** Field errors as the card shows them: a summary on top, and each message under its input. */
export function errorSummary(t: Translator, errors: Record<string, string>): CardElement[] {
  const count = Object.keys(errors).length;
  if (count === 0) return [];
  return [text(t('prompt.fixErrors', { count }), { color: 'attention', weight: 'bolder' })];
}

export function withError(input: CardElement & { id: string }, errors: Record<string, string>): CardElement[] {
  const message = errors[input.id];
  return message ? [input, text(message, { color: 'attention', size: 'small', spacing: 'none' })] : [input];
}
