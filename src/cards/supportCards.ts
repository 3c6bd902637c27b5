import type { Translator } from '../i18n';
import { HELPDESK_ROUTES } from '../services/support/tickets';
import { card, plain, submit, text, type AdaptiveCard, type CardElement } from './adaptive';
import { specialtyChoices } from './accreditationCards';
import { choice, errorSummary, input, withError, type CardView } from './form';

const s = (t: Translator) => (key: string, options?: Record<string, unknown>) => t(`support.${key}`, options);

/**
 * What the helpdesk will receive, and the three questions (which helpdesk, what happens, where to
 * answer). The step and the last errors the ticket will carry are shown, so the user knows they
 * will not have to explain them again. `view.values` carries `where` and `errors` (read-only).
 */
export function ticketCard(t: Translator, view: CardView, askSpecialty: boolean): AdaptiveCard {
  const f = s(t);
  const errors = (view.values.errorList ?? '').split('\n').filter(Boolean);
  const body: CardElement[] = [
    text(f('title'), { size: 'medium', weight: 'bolder', style: 'heading' }),
    text(f('intro')),
    ...errorSummary(t, view.errors),
    ...withError(
      choice(t, 'route', f('route'), HELPDESK_ROUTES.map((r) => ({ title: f(`routes.${r}`), value: r })), view, { style: 'expanded', wrap: true }),
      view.errors,
    ),
  ];
  if (askSpecialty) body.push(...withError(choice(t, 'specialty', f('specialty'), specialtyChoices(t), view, { isRequired: false }), view.errors));
  body.push(
    ...withError(input(t, 'description', f('description'), view, { isRequired: true, isMultiline: true, maxLength: 2000, placeholder: f('descriptionExample') }), view.errors),
    ...withError(input(t, 'email', f('email'), view, { isRequired: true, style: 'email', maxLength: 254, placeholder: f('emailExample') }), view.errors),
    text(f('attached.title'), { weight: 'bolder', spacing: 'medium' }),
    ...[
      [f('attached.where'), view.values.where ? plain(view.values.where) : f('attached.nowhere')],
      [f('attached.errors'), errors.length ? plain(errors.join(' · ')) : f('attached.noErrors')],
      [f('attached.conversation'), f('attached.withoutSecrets')],
    ].map(([label, value]) => text(f('attached.line', { label, value }), { size: 'small', spacing: 'none' })),
  );
  return card(body, [submit(f('send'), 'send', view.promptId, { style: 'positive' }), submit(f('cancel'), 'cancel', view.promptId, { associatedInputs: 'none' })]);
}
