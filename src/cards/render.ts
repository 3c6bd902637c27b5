import type { Template as TemplateClass } from 'adaptivecards-templating';
import { z } from 'zod';
import type { AdaptiveCard } from './adaptive';
import { CARDS } from './registry';

// The templating engine (and its expression parser) is a quarter of a second to load: not before the
// server is ready — warmCards() loads it just after —, and at the latest with the first card.
let engine: typeof TemplateClass | undefined;
const Template = (): typeof TemplateClass => (engine ??= (require('adaptivecards-templating') as { Template: typeof TemplateClass }).Template);

/** Loads the templating engine now (called once the server listens), so the first card does not wait for it. */
export function warmCards(): void {
  Template();
}

/** Each template parsed once (its every `${…}` expression), then bound to each card's data: parsing was most of a card's cost. */
const prepared = new WeakMap<object, TemplateClass>();
function preparedTemplate(template: object): TemplateClass {
  let known = prepared.get(template);
  if (!known) {
    known = new (Template())(template);
    prepared.set(template, known);
  }
  return known;
}

/**
 * Every card is an Adaptive Card 1.5 JSON template (src/cards/templates/<journey>/<name>.json, next
 * to a sample of its data, <name>.data.json, for the Designer), expanded from data its zod schema
 * has checked: a field missing from the data is a CardDataError, not a `${x}` shown to a user.
 */
export type CardName = keyof typeof CARDS;
/** What a dialog gives for a card (before defaults and escaping). */
export type CardData<N extends CardName> = z.input<(typeof CARDS)[N]['schema']>;

export class CardDataError extends Error {
  constructor(
    readonly card: string,
    readonly detail: string,
  ) {
    super(`Card ${card}: ${detail}`);
    this.name = 'CardDataError';
  }
}

// A user may well type "${" (in a value shown again in its input): it is set aside while expanding,
// so that what is left afterwards can only be the template's own unresolved expression.
const SET_ASIDE = '\uE000';
const setAside = (data: unknown): unknown =>
  typeof data === 'string'
    ? data.replaceAll('${', SET_ASIDE)
    : Array.isArray(data)
      ? data.map(setAside)
      : data && typeof data === 'object'
        ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, setAside(v)]))
        : data;

export function renderCard<N extends CardName>(name: N, data: CardData<N>): AdaptiveCard {
  const parsed = CARDS[name].schema.safeParse(data);
  if (!parsed.success) throw new CardDataError(name, z.prettifyError(parsed.error));
  return expandTemplate(name, CARDS[name].template, parsed.data);
}

/** A template expanded from checked data; a `${…}` the data did not resolve is a CardDataError. */
export function expandTemplate(name: string, template: object, data: unknown): AdaptiveCard {
  const expanded = JSON.stringify(preparedTemplate(template).expand({ $root: setAside(data) }));
  const left = /\$\{[^}]*\}?/.exec(expanded);
  if (left) throw new CardDataError(name, `${left[0]} left after expansion`);
  return JSON.parse(expanded.replaceAll(SET_ASIDE, '${')) as AdaptiveCard;
}
