import type { TurnContext } from 'botbuilder';
import type { LimitName, RateLimits } from '../services/rateLimits';
import { clientKey, tr } from './turn';

/**
 * Whether this client may do one more of `what` (mail credentials or a confirmation link), and send
 * one more to each address; if not, the user is told until when, and false is returned.
 */
export async function withinLimits(context: TurnContext, limits: RateLimits, what: 'registration', addresses: string[] = []): Promise<boolean> {
  const checks: [LimitName, string][] = [[what, clientKey(context)], ...addresses.map((a): [LimitName, string] => ['registrationAddress', a.trim().toLowerCase()])];
  for (const [name, key] of checks) {
    const taken = await limits.take(name, key);
    if (taken.ok) continue;
    const t = tr(context);
    const time = taken.retryAt.toLocaleString(t('format.locale'), { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });
    await context.sendActivity(t('throttled', { what: t(`throttledWhat.${what}`), time }));
    return false;
  }
  return true;
}
