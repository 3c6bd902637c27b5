import { z } from 'zod';
import { emailSchema, suggestEmail } from '../services/email';
import type { FieldValues } from './cardPrompt';

/**
 * « Je n'ai pas reçu le mail » with a corrected address: one that looks like a typo of a common
 * domain (« gmial.com ») is named before any mail leaves (each send counts in a limit); sent again
 * unchanged (the card kept it), it is taken as intended.
 */
export function correctedEmailSchema(shown: FieldValues, options: { required: boolean }) {
  const email = options.required ? emailSchema : emailSchema.optional();
  return z.object({ email }).superRefine((v, ctx) => {
    const suggestion = v.email ? suggestEmail(v.email) : undefined;
    if (v.email && suggestion && v.email !== shown.email?.trim().toLowerCase()) ctx.addIssue({ code: 'custom', path: ['email'], message: 'emailTypo', params: { suggestion } });
  });
}
