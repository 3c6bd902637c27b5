import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { RateLimits, LIMITS, addressKey, mailboxKey } from '../src/services/rateLimits';
import { withinLimits } from '../src/dialogs/limits';
import type { Db } from '../src/services/db/database';
import { tempDatabase } from './helpers/db';
import { dialogHarness } from './helpers/dialogHarness';

// Issue #11 §9: limits per client, in one process (memory) or shared by every instance (database).

let db: Db;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await tempDatabase());
});
afterEach(async () => cleanup());

describe.each(['memory', 'database'] as const)('rate limits (%s store)', (store) => {
  it('takes the allowed number, then refuses until the window ends; another key is not held back', async () => {
    const limits = new RateLimits(db, { store, factor: 1 });
    const { points, seconds } = LIMITS.conversationActivity;
    for (let i = 0; i < points; i++) expect(await limits.take('conversationActivity', 'c-1')).toEqual({ ok: true });
    const refused = await limits.take('conversationActivity', 'c-1');
    expect(refused.ok).toBe(false);
    const wait = (refused as { retryAt: Date }).retryAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(seconds * 1000);
    expect(await limits.take('conversationActivity', 'c-2')).toEqual({ ok: true });
  });

  it('a factor widens every limit; 0 removes them (load tests)', async () => {
    const wide = new RateLimits(db, { store, factor: 2 });
    for (let i = 0; i < LIMITS.registration.points * 2; i++) expect((await wide.take('registration', 'wide')).ok).toBe(true);
    expect((await wide.take('registration', 'wide')).ok).toBe(false);
    const off = new RateLimits(db, { store, factor: 0 });
    for (let i = 0; i < 50; i++) expect((await off.take('registration', 'off')).ok).toBe(true);
  });
});

it('the database store is shared: two instances on one database count together', async () => {
  const a = new RateLimits(db, { store: 'database', factor: 1 });
  const b = new RateLimits(db, { store: 'database', factor: 1 });
  for (let i = 0; i < LIMITS.registration.points; i++) expect((await (i % 2 ? a : b).take('registration', 'shared')).ok).toBe(true);
  expect((await a.take('registration', 'shared')).ok).toBe(false);
  expect((await b.take('registration', 'shared')).ok).toBe(false);
});

it('a client address is itself in IPv4 (without the port a proxy may add), its /64 network in IPv6; a mailbox is itself however written', () => {
  expect(addressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
  expect(addressKey('203.0.113.6:40001')).toBe('203.0.113.6');
  expect(addressKey('[2001:db8:1:2::9]:443')).toBe('2001:db8:1:2::/64');
  expect(mailboxKey(' Victim+1@Example.FR ')).toBe('victim@example.fr');
  expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
  expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
});

/** A step that mails credentials when the limits allow it, as the journeys do. */
class Registering extends Dialog {
  constructor(private readonly limits: RateLimits) {
    super('registering');
  }
  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.continueDialog(dc);
  }
  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const address = dc.context.activity.text ?? '';
    if (await withinLimits(dc.context, this.limits, 'registration', [address])) await dc.context.sendActivity(`sent to ${address}`);
    return Dialog.EndOfTurn;
  }
}

it('in the chat, credentials mails are limited per client and per address, and the user is told until when', async () => {
  const limits = new RateLimits(db, { store: 'memory', factor: 1 });
  const harness = await dialogHarness(new Registering(limits));
  for (let i = 0; i < LIMITS.registration.points; i++) expect((await harness.say(`victim${i}@example.fr`))[0].text).toBe(`sent to victim${i}@example.fr`);
  const refused = await harness.say('another@example.fr');
  expect(refused[0].text).toMatch(/^Vous êtes allé\(e\) plus vite que ce que Sésame accepte pour cette action \(demandes et envois d'identifiants\)\. Vous pourrez recommencer (à \d{2} h \d{2}|le \d{2}\/\d{2}\/\d{4} à \d{2} h \d{2})\.$/);

  // Another physician, in another conversation, is not held back by the first one's requests.
  const colleague = await dialogHarness(new Registering(limits), { channelId: 'colleague' });
  expect((await colleague.say('colleague@example.fr'))[0].text).toBe('sent to colleague@example.fr');

  // One address, whoever asks: a sixth client cannot send it a sixth mail today.
  for (let i = 0; i < LIMITS.registrationAddress.points; i++) {
    const other = await dialogHarness(new Registering(limits), { channelId: `client-${i}` });
    expect((await other.say('bombed@example.fr'))[0].text).toBe('sent to bombed@example.fr');
  }
  const sixth = await dialogHarness(new Registering(limits), { channelId: 'client-6' });
  expect((await sixth.say('bombed@example.fr'))[0].text).toMatch(/plus vite que ce que Sésame accepte/);
});
