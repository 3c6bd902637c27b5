import { z } from 'zod';
import type { Translator } from '../i18n';
import { literal, plain } from './adaptive';

/**
 * Pieces of the card schemas (src/cards/render.ts): what a template may read in its data.
 * Every string a template shows is in the data already translated; text a user typed is escaped
 * for markdown here (userText), so no template and no caller can forget it.
 */

/** Text a user (or another user: an agent, an expert) typed, shown in a TextBlock or FactSet: escaped. */
export const userText = z.string().transform(plain);

/** A fact a user typed (escaped), or one Sésame shows as an address (`literal`: never a link). */
export const userFact = z
  .object({ title: z.string().min(1), value: z.string(), literal: z.boolean().optional(), codeSpan: z.boolean().optional() })
  .transform((f) => ({ title: f.title, value: f.literal ? literal(f.value, f.codeSpan ?? true) : plain(f.value) }));

/** A translated string from locales/ (trusted: markdown kept). */
export const text = z.string().min(1);

export const choice = z.object({ title: z.string().min(1), value: z.string().min(1) });
export const fact = z.object({ title: z.string().min(1), value: z.string() });

/** A button of a list of buttons; `associatedInputs` "none" for those that leave (Retour, Annuler). */
export const action = z.object({
  title: text,
  verb: z.string().min(1),
  style: z.enum(['default', 'positive', 'destructive']).default('default'),
  associatedInputs: z.enum(['auto', 'none']).default('auto'),
});

/** The translated strings of a card, each required: a key missing from the data is an error, not a `${…}` left. */
export const texts = <K extends string>(...keys: K[]) => z.object(Object.fromEntries(keys.map((k) => [k, text])) as Record<K, typeof text>);

/** The values a form shows (what was typed, or a default), each present. */
export const values = <K extends string>(defaults: Record<K, string>) =>
  z.object(Object.fromEntries(Object.entries<string>(defaults).map(([k, d]) => [k, z.string().default(d)])) as Record<K, z.ZodDefault<z.ZodString>>);

/** What every card answering a prompt carries: its id, the error summary ('' when none) and the errors by field. */
export const form = {
  promptId: z.string().min(1),
  errorSummary: z.string(),
  errors: z.record(z.string(), z.string()),
};

/** The `form` part of a card's data, from what the prompt shows. */
export function formData(t: Translator, view: { promptId: string; errors: Record<string, string> }) {
  const count = Object.keys(view.errors).length;
  return { promptId: view.promptId, errorSummary: count ? t('prompt.fixErrors', { count }) : '', errors: view.errors };
}

/** The translated strings `keys` under `prefix` ("accreditation:entry"), by their last name. */
export function pick<K extends string>(t: Translator, prefix: string, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((k) => [k, t(`${prefix}.${k}`)])) as Record<K, string>;
}

/** The message a required input shows when left empty (Web Chat will not draw it without one). */
export const requiredMessage = (t: Translator, label: string) => t('validation.required', { field: label });
