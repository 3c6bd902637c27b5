import type { TurnContext } from 'botbuilder';
import { moment } from '../dates';
import { mailboxKey, type LimitName, type RateLimits } from '../services/rateLimits';
import { clientKey, tr } from './turn';

/**
 * Whether this client may do one more of `what` (mail credentials or a confirmation link, send a
 * ticket whose copy goes to an address), and send one more mail to each address; if not, the user is
 * told until when, and false is returned.
 */
export async function withinLimits(context: TurnContext, limits: RateLimits, what: 'registration' | 'ticket', addresses: string[] = []): Promise<boolean> {
  const { channelId, conversation } = context.activity;
  const person: [LimitName, string][] = [
    ['registration', `${channelId}/${conversation.id}`],
    ['registrationNetwork', clientKey(context)],
  ];
  const checks: [LimitName, string][] = [...(what === 'registration' ? person : []), ...addresses.map((a): [LimitName, string] => ['registrationAddress', mailboxKey(a)])];
  for (const [name, key] of checks) {
    const taken = await limits.take(name, key);
    if (taken.ok) continue;
    const t = tr(context);
    const when = moment(t, taken.retryAt);
    await context.sendActivity(t('throttled', { what: t(`throttledWhat.${what}`), when }));
    return false;
  }
  return true;
}
