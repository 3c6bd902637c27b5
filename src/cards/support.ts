import { z } from 'zod';
import type { Translator } from '../i18n';
import { HELPDESK_ROUTES } from '../services/support/tickets';
import { plain } from './adaptive';
import { specialtyChoices } from './accreditation';
import type { CardView } from './form';
import { choice, form, formData, pick, requiredMessage, text, texts, values } from './schema';

const TICKET = ['title', 'intro', 'route', 'specialty', 'description', 'descriptionExample', 'email', 'emailExample', 'send', 'cancel'] as const;

export const supportSchemas = {
  /**
   * What the helpdesk will receive, and the three questions (which helpdesk, what happens, where to
   * answer). The step and the last errors the ticket will carry are shown, so the user knows they
   * will not have to explain them again.
   */
  ticket: z.object({
    ...form,
    text: texts(...TICKET, 'attachedTitle'),
    required: texts('route', 'description', 'email'),
    routes: z.array(choice).min(1),
    askSpecialty: z.boolean(),
    specialties: z.array(choice).min(1),
    attached: z.array(text),
    values: values({ route: '', specialty: '', description: '', email: '' }),
  }),
};

/** `view.values` carries `where` and `errorList` (read-only). */
export function ticketData(t: Translator, view: CardView, askSpecialty: boolean) {
  const f = (key: string, options?: Record<string, unknown>) => t(`support.${key}`, options);
  const text = { ...pick(t, 'support', TICKET), attachedTitle: f('attached.title') };
  const errors = (view.values.errorList ?? '').split('\n').filter(Boolean);
  return {
    ...formData(t, view),
    text,
    required: { route: requiredMessage(t, text.route), description: requiredMessage(t, text.description), email: requiredMessage(t, text.email) },
    routes: HELPDESK_ROUTES.map((r) => ({ title: f(`routes.${r}`), value: r })),
    askSpecialty,
    specialties: specialtyChoices(t),
    attached: [
      [f('attached.where'), view.values.where ? plain(view.values.where) : f('attached.nowhere')],
      [f('attached.errors'), errors.length ? plain(errors.join(' · ')) : f('attached.noErrors')],
      [f('attached.conversation'), f('attached.withoutSecrets')],
    ].map(([label, value]) => f('attached.line', { label, value })),
    values: view.values,
  };
}
