import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from './helpers/app';
import { waitFor } from './helpers/smtp';
import { startConnector, type Recorded } from './helpers/connector';
import { NOTICE_EVENT } from '../src/services/identity/linkPurposes';
import type { App } from '../src/app';

// Teams-shaped activities sent to /api/messages of the running server; a stand-in for the Teams
// connector, on loopback, records what the bot sends back (new activities and card updates).
let app: App;
let close: () => Promise<void>;
let connector: Awaited<ReturnType<typeof startConnector>>;
let serviceUrl: string;
let recorded: Recorded[];

beforeAll(async () => {
  // "typing…" at once, so that a test turn, however quick, shows it.
  ({ app, close } = await startTestApp({ TYPING_DELAY_MS: '0' }));
  connector = await startConnector('/teams/');
  ({ serviceUrl, recorded } = connector);
});
afterAll(async () => {
  await close();
  await connector.close();
});

const tenant = { id: 'tenant-chu' };
const bot = { id: '28:sesame-bot', name: 'Sésame' };
const user = (device: string) => ({ id: `29:user-${device}`, name: 'Jean Durand', aadObjectId: 'aad-jean-durand' });
const conversation = (id: string) => ({ id, conversationType: 'personal', tenantId: tenant.id, isGroup: false, name: '' });

async function send(activity: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channelId: 'msteams', serviceUrl, recipient: bot, channelData: { tenant }, timestamp: new Date().toISOString(), locale: 'fr-FR', ...activity }),
  });
  return response.status;
}

const cardText = (r: Recorded) => (r.body.attachments ?? []).flatMap((a) => a.content.body.map((b) => b.text ?? (b.facts ?? []).map((f) => `${f.title} ${f.value}`).join(' '))).join(' | ');

describe('in Teams', () => {
  it('welcomes on install (the bot added), once, and replaces a submitted card with its recap', async () => {
    expect(await send({ type: 'conversationUpdate', id: 'u1', conversation: conversation('a:phone'), from: user('phone'), membersAdded: [bot] })).toBe(200);
    const welcome = await waitFor(() => recorded.find((r) => r.method === 'POST' && cardText(r).includes('Bonjour, je suis Sésame')), 10_000, 'the welcome card');
    expect(welcome.path).toContain('/v3/conversations/a%3Aphone/activities');
    // Another update (a rename) is not a new welcome.
    await send({ type: 'conversationUpdate', id: 'u2', conversation: conversation('a:phone'), from: user('phone'), membersAdded: [user('phone')] });
    await new Promise((r) => setTimeout(r, 300));
    expect(recorded.filter((r) => cardText(r).includes('Bonjour, je suis Sésame'))).toHaveLength(1);

    const cardId = welcome.answeredId;
    const promptId = welcome.body.attachments![0].content.actions![0].data.promptId;
    expect(await send({ type: 'message', id: 'm1', conversation: conversation('a:phone'), from: user('phone'), replyToId: cardId, value: { verb: 'accreditation.start', promptId } })).toBe(200);
    const update = await waitFor(() => recorded.find((r) => r.method === 'PUT'), 10_000, 'the card update');
    expect(update.path).toBe(`/teams/v3/conversations/a%3Aphone/activities/${cardId}`);
    expect(cardText(update)).toContain("✓ Envoyé : M'engager dans l'accréditation");
    expect(update.body.attachments![0].content.actions ?? []).toEqual([]);
    await waitFor(() => recorded.find((r) => cardText(r).includes('Accréditation des médecins')), 10_000, 'the next step');
    // Teams shows a typing indicator while the turn works.
    expect(recorded.some((r) => r.body.type === 'typing')).toBe(true);

    // A second click on the old card (it is gone in Teams, but a client may resend) never submits twice.
    const before = recorded.length;
    await send({ type: 'message', id: 'm2', conversation: conversation('a:phone'), from: user('phone'), replyToId: cardId, value: { verb: 'accreditation.start', promptId } });
    const stale = await waitFor(() => recorded.slice(before).find((r) => /n'est plus à jour/.test(r.body.text ?? '')), 10_000, 'the stale answer');
    expect(stale).toBeDefined();
  });

  it('the Entra ID identity carries the user from the phone to the desktop', async () => {
    await send({ type: 'message', id: 'm3', conversation: conversation('a:phone'), from: user('phone'), text: 'english' });
    await waitFor(() => recorded.find((r) => r.body.text === 'All right, I will continue in English.'), 10_000, 'the language switch');
    const before = recorded.length;
    await send({ type: 'message', id: 'm4', conversation: conversation('a:desktop'), from: user('desktop'), text: 'bonjour' });
    const menu = await waitFor(() => recorded.slice(before).find((r) => r.path.includes('a%3Adesktop') && cardText(r).includes('Hello, I am Sésame')), 10_000, 'the menu in English on the desktop');
    expect(menu).toBeDefined();
  });

  it('a proactive message reaches the Teams conversation through its stored reference (in the language the user chose)', async () => {
    const before = recorded.length;
    await app.notifier.sendEvent(
      { channelId: 'msteams', serviceUrl, conversation: conversation('a:phone'), user: user('phone'), bot, locale: 'fr-FR' },
      NOTICE_EVENT,
      { kind: 'evaluated' },
    );
    const notice = await waitFor(() => recorded.slice(before).find((r) => /has been evaluated by the OA's expert/.test(r.body.text ?? '')), 10_000, 'the proactive notice');
    expect(notice.path).toContain('a%3Aphone');
  });
});
