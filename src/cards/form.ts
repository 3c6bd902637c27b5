import type { Translator } from '../i18n';
import type { CardElement, InputChoiceSet, InputText } from './adaptive';
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

// A required input must carry its error message (Web Chat refuses to draw the card otherwise).
export const required = (t: Translator, label: string, isRequired: boolean | undefined) =>
  isRequired ? { isRequired: true, errorMessage: t('validation.required', { field: label }) } : {};

/** A choice list showing the value typed so far (or its default). */
export const choice = (
  t: Translator,
  id: string,
  label: string,
  choices: { title: string; value: string }[],
  view: CardView,
  options: Partial<InputChoiceSet> = {},
): InputChoiceSet => ({
  type: 'Input.ChoiceSet',
  id,
  label,
  choices,
  value: view.values[id] ?? options.value,
  style: options.style ?? 'compact',
  // A long choice ("En équipe (médecins de la même spécialité)") is read whole on a phone, never cut.
  wrap: true,
  ...required(t, label, options.isRequired ?? true),
});

/** A text input showing the value typed so far. */
export const input = (t: Translator, id: string, label: string, view: CardView, options: Partial<InputText> = {}): InputText => ({
  type: 'Input.Text',
  id,
  label,
  value: view.values[id] ?? '',
  ...options,
  ...required(t, label, options.isRequired),
});
