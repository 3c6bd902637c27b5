import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { createI18n } from '../src/i18n';
import { createServices, DEFAULT_SERVICE_SETTINGS, type Services } from '../src/services';
import { redactSecrets } from '../src/services/support/redact';
import { routeFor, type TicketRequest } from '../src/services/support/tickets';
import { errorTrace } from '../src/services/support/transcripts';
import { tempDatabase } from './helpers/db';
import { registryWithMail } from './helpers/registry';

let world: { db: Awaited<ReturnType<typeof tempDatabase>>; mail: Awaited<ReturnType<typeof registryWithMail>>; services: Services };

async function start(oa: Record<string, string> = {}) {
  const db = await tempDatabase();
  const mail = await registryWithMail(db.db);
  const services = createServices(db.db, mail.outbox, await createI18n('fr'), () => 'http://sesame.test', {
    ...DEFAULT_SERVICE_SETTINGS,
    helpdesks: { ...DEFAULT_SERVICE_SETTINGS.helpdesks, medimail: 'support@esante-occitanie.test', oa },
  });
  world = { db, mail, services };
}

beforeEach(async () => start());
afterEach(async () => {
  await world.mail.close();
  await world.db.cleanup();
});

const request = (overrides: Partial<TicketRequest> = {}): TicketRequest => ({
  conversation: 'webchat/c-1',
  client: 'address:192.0.2.1',
  route: 'siam',
  journey: 'accreditation',
  step: 'Étape 2 sur 4 — Première connexion (acc.signInWaitCard)',
  errors: ['« Numéro RPPS » ne contient que des chiffres : c’est votre numéro, pas votre nom.'],
  description: "Je n'arrive pas à me connecter avec mon identifiant",
  contactEmail: 'claire.lefort@example.fr',
  facts: { name: 'Claire Lefort', identifier: '10100000016', specialty: 'anesthesie-reanimation', requestDate: new Date('2026-11-20T09:00:00Z') },
  transcript: [
    { at: new Date('2026-11-22T09:00:00Z'), role: 'user', text: 'jarrive pas a me connecter' },
    { at: new Date('2026-11-22T09:00:01Z'), role: 'bot', text: '[card] Étape 2 sur 4 | Me connecter' },
    { at: new Date('2026-11-22T09:00:02Z'), role: 'user', text: '[withheld]' },
  ],
  locale: 'fr',
  channelId: 'webchat',
  ...overrides,
});

/** Opens a ticket that must go through (not rate-limited). */
async function sent(overrides: Partial<TicketRequest> = {}) {
  const outcome = await world.services.tickets.open(request(overrides));
  if (outcome.status !== 'sent') throw new Error(`not sent: ${outcome.status}`);
  return outcome.receipt;
}

describe('helpdesk tickets', () => {
  it('stores the ticket and mails the HAS helpdesk with its exact subject, Reply-To the user, the context and the transcript attached; a copy to the user', async () => {
    const receipt = await sent();
    expect(receipt).toMatchObject({ number: 'SES-000001', delivered: true, address: 'helpdesk.siam@has-sante.fr', maskedEmail: 'c•••@example.fr' });
    expect(receipt.helpdeskTo).toBe("au support technique de l'accréditation (HAS)");

    const stored = await world.db.db.supportTicket.findUniqueOrThrow({ where: { id: 1 } });
    expect(stored).toMatchObject({ route: 'siam', recipient: 'helpdesk.siam@has-sante.fr', journey: 'accreditation', contactEmail: 'claire.lefort@example.fr' });
    expect(JSON.parse(stored.transcript)).toHaveLength(3);

    await world.mail.outbox.drain();
    const [staff, copy] = world.mail.sink.mails;
    expect(staff.subject).toBe("Problème informatique pour s'engager dans l'accréditation");
    expect(staff.to).toMatchObject({ text: 'helpdesk.siam@has-sante.fr' });
    expect(staff.replyTo?.text).toBe('claire.lefort@example.fr');
    expect(staff.text).toContain('Demande n° SES-000001');
    expect(staff.text).toContain("Je n'arrive pas à me connecter avec mon identifiant");
    expect(staff.text).toContain('Où il en est : Accréditation des médecins — Étape 2 sur 4 — Première connexion');
    expect(staff.text).toContain('Identifiant (RPPS/ADELI) : 10100000016');
    expect(staff.text).toContain('Spécialité : Anesthésie-réanimation');
    expect(staff.text).toContain('ne contient que des chiffres');
    const [attachment] = staff.attachments;
    expect(attachment.filename).toBe('SES-000001-conversation.txt');
    const transcript = attachment.content.toString('utf8');
    expect(transcript).toContain('Utilisateur : jarrive pas a me connecter');
    expect(transcript).toContain('Sésame : [carte] Étape 2 sur 4 | Me connecter');
    expect(transcript).toContain('Utilisateur : [message retiré : il contenait un mot de passe ou un code]');

    expect(copy.to).toMatchObject({ text: 'claire.lefort@example.fr' });
    expect(copy.subject).toBe("Votre demande d'assistance SES-000001");
    expect(copy.replyTo?.text).toBe('helpdesk.siam@has-sante.fr');
    expect(copy.text).toContain("transmise au support technique de l'accréditation (HAS) (helpdesk.siam@has-sante.fr)");
    expect(copy.attachments).toHaveLength(1);
  });

  it("writes the user's copy in their language; the helpdesk's mail stays in French", async () => {
    await sent({ route: 'medimail', locale: 'en', journey: 'medimail' });
    await world.mail.outbox.drain();
    const [staff, copy] = world.mail.sink.mails;
    expect(staff.to).toMatchObject({ text: 'support@esante-occitanie.test' });
    expect(staff.subject).toBe("Sésame — demande d'assistance SES-000001");
    expect(staff.text).toContain("langue de l'utilisateur : anglais");
    expect(copy.subject).toBe('Your support request SES-000001');
    expect(copy.attachments[0].content.toString('utf8')).toContain('User : [message withheld: it held a password or a code]');
  });

  it("routes an OA's ticket to its configured address, else to its activated experts (not shown to the user), else to no one, honestly", async () => {
    await world.mail.close();
    await world.db.cleanup();
    await start({ cfar: 'accreditation@cfar.test' });
    const configured = await sent({ route: 'oa', oaId: 'cfar' });
    expect(configured).toMatchObject({ delivered: true, address: 'accreditation@cfar.test', helpdeskTo: "à l'organisme agréé CFAR" });

    const nobody = await sent({ route: 'oa', oaId: 'gynerisq' });
    expect(nobody).toMatchObject({ delivered: false, address: undefined, helpdesk: "l'organisme agréé Gynérisq" });

    const { account } = await world.services.desk.create('EXPERT', 'expert@gynerisq.test', 'Dr Expert', ['gynerisq']);
    expect(await world.services.tickets.recipientFor('oa', 'gynerisq')).toBeUndefined(); // not activated yet
    await world.services.desk.setPassword(account.id, 'Un-mot-de-passe-solide-42', 'Un-mot-de-passe-solide-42');
    const viaExperts = await sent({ route: 'oa', oaId: 'gynerisq' });
    expect(viaExperts).toMatchObject({ delivered: true, address: undefined });

    await world.mail.outbox.drain();
    const to = world.mail.sink.mails.map((m) => (Array.isArray(m.to) ? '' : m.to?.text));
    expect(to).toEqual(['accreditation@cfar.test', 'claire.lefort@example.fr', 'claire.lefort@example.fr', 'expert@gynerisq.test', 'claire.lefort@example.fr']);
    const unrouted = world.mail.sink.mails[2];
    expect(unrouted.text).toContain("Sésame ne connaît pas encore d'adresse pour l'organisme agréé Gynérisq");
    expect(world.mail.sink.mails[4].replyTo).toBeUndefined();
  });

  it('lets a conversation send three tickets an hour, then says which one went last and from when it may send again', async () => {
    const first = await sent();
    await sent();
    await sent();
    const refused = await world.services.tickets.open(request());
    expect(refused).toEqual({ status: 'rateLimited', last: 'SES-000003', retryAt: new Date(first.createdAt.getTime() + 60 * 60 * 1000) });
    expect(await world.db.db.supportTicket.count()).toBe(3);
    // Another person, in another conversation, is not held back…
    expect((await world.services.tickets.open(request({ conversation: 'msteams/c-2', client: 'user:msteams:aad-2' }))).status).toBe('sent');
    // …but the same person opening a new conversation is (#11: the limit was bypassed that way).
    expect(await world.services.tickets.open(request({ conversation: 'webchat/c-3' }))).toMatchObject({ status: 'rateLimited', last: 'SES-000003' });
  });

  it('routes by the topic of the last answer, else by the journey (knowledge §1.6)', () => {
    expect(routeFor('H04', undefined)).toBe('siam');
    expect(routeFor('H11', 'accreditation')).toBe('oa');
    expect(routeFor('H15', undefined)).toBe('oa');
    expect(routeFor('M10', 'accreditation')).toBe('medimail');
    expect(routeFor(undefined, 'medimail')).toBe('medimail');
    expect(routeFor(undefined, 'accreditation')).toBe('siam');
    expect(routeFor(undefined, undefined)).toBe('siam');
  });
});

describe('transcripts', () => {
  const conversation = (id: string) => ({ channelId: 'webchat', conversation: { id }, serviceUrl: 'http://localhost', recipient: { id: 'bot', role: 'bot' } });
  const user = { id: 'u-1', role: 'user' };
  const bot = { id: 'bot', name: 'Sésame', role: 'bot' };

  it('keeps the activities of each conversation in order, its last errors apart, and forgets what is older than the retention', async () => {
    const { transcripts } = world.services;
    await transcripts.logActivity({ ...conversation('a'), type: 'message', id: '1', from: user, text: 'bonjour' } as Activity);
    await transcripts.logActivity({
      ...conversation('a'),
      type: 'message',
      from: bot,
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Bonjour' }] } }],
    } as Activity);
    await transcripts.logActivity({ ...conversation('a'), type: 'conversationUpdate', from: user, membersAdded: [user] } as Activity);
    await transcripts.logActivity({ ...conversation('a'), ...errorTrace('« Nom » est obligatoire.'), from: bot } as Activity);
    await transcripts.logActivity({ ...conversation('b'), type: 'message', id: '2', from: user, text: 'autre conversation' } as Activity);
    expect((await transcripts.recent('webchat/a')).map((l) => l.text)).toEqual(['bonjour', '[card] Bonjour', '« Nom » est obligatoire.']);
    expect((await transcripts.lastErrors('webchat/a')).map((l) => l.text)).toEqual(['« Nom » est obligatoire.']);
    // botbuilder's TranscriptStore: every activity, the conversations of a channel, deletion.
    expect((await transcripts.getTranscriptActivities('webchat', 'a')).items.map((a) => a.type)).toEqual(['message', 'message', 'conversationUpdate', 'trace']);
    expect((await transcripts.listTranscripts('webchat')).items.map((t) => t.id)).toEqual(['a', 'b']);
    await world.db.db.transcriptActivity.updateMany({ where: { conversationId: 'b' }, data: { at: new Date(Date.now() - 31 * 24 * 3600 * 1000) } });
    expect(await transcripts.prune(30)).toBe(1);
    expect(await transcripts.recent('webchat/b')).toEqual([]);
    await transcripts.deleteTranscript('webchat', 'a');
    expect((await transcripts.getTranscriptActivities('webchat', 'a')).items).toEqual([]);
  });

  it('never stores a withheld message\'s text, a secret-named input, a channel\'s data or patient data', async () => {
    const { transcripts } = world.services;
    transcripts.withhold({ ...conversation('s'), id: 'w' });
    await transcripts.logActivity({ ...conversation('s'), type: 'message', id: 'w', from: user, text: 'mon mot de passe est Soleil!2026xyz', channelData: { sesameClient: '192.0.2.1' } } as Activity);
    await transcripts.logActivity({ ...conversation('s'), type: 'message', id: 'x', from: user, value: { verb: 'signIn', promptId: 'p-1', rpps: '10100000016', password: 'Soleil!2026xyz', otpCode: '482913' } } as Activity);
    await transcripts.logActivity({ ...conversation('s'), type: 'message', id: 'y', from: user, text: 'ma patiente née le 12/03/1950, NIR 2 50 03 75 123 456 78' } as Activity);
    await transcripts.logActivity({
      ...conversation('s'),
      type: 'message',
      from: bot,
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [{ type: 'Input.Text', id: 'password', value: 'Soleil!2026xyz' }], actions: [{ type: 'Action.Submit', title: 'Valider', data: { verb: 'signIn', promptId: 'p-1' } }] } }],
    } as Activity);
    const stored = JSON.stringify(await world.db.db.transcriptActivity.findMany());
    for (const secret of ['Soleil!2026xyz', '482913', '192.0.2.1', '12/03/1950', '123 456 78']) expect(stored).not.toContain(secret);
    const lines = (await transcripts.recent('webchat/s')).map((l) => l.text);
    expect(lines.slice(0, 3)).toEqual(['[withheld]', '[submitted] signIn — rpps=10100000016', 'ma patiente née le •••, NIR •••']);
    const [, submitted, , card] = (await transcripts.getTranscriptActivities('webchat', 's')).items;
    expect(submitted.value).toEqual({ verb: 'signIn', promptId: 'p-1', rpps: '10100000016' });
    expect(card.attachments?.[0].content).toMatchObject({ body: [{ type: 'Input.Text', id: 'password' }], actions: [{ data: { verb: 'signIn', promptId: 'p-1' } }] });
  });
});

describe('secrets are withheld from what the helpdesk reads', () => {
  it.each([
    ['mon mot de passe est Soleil2026!', 'mon mot de passe est •••'],
    ['mdp: azerty', 'mdp: •••'],
    ['my password is hunter2', 'my password is •••'],
    ['le code 482913 ne marche pas', 'le code ••• ne marche pas'],
    ['482913', '•••'],
    ["j'ai reçu 482913 comme code", "j'ai reçu ••• comme code"],
    ['http://localhost:3978/compte/connexion/AbCdEf0123456789xyzXYZ', 'http://localhost:3978/compte/connexion/•••'],
    // Found by attacking Sésame (#11 §13): the ways people actually type them.
    ['pwd=Zq9-Secret-III9', 'pwd=•••'],
    ['login 10100326494 pass Zq9-Secret-III9', 'login 10100326494 pass •••'],
    ['mot2passe Zq9-Secret-III9', 'mot2passe •••'],
    ['M0t-de-Passe: Zq9-Secret-III9', '••• •••'],
    ['identifiants : 10100326494 / Zq9-Secret-III9', 'identifiants : 10100326494 / •••'],
    ['Zq9-Secret-III9', '•••'],
    ['Mon mot de passe provisoire : Ab12cd34 ne fonctionne pas', 'Mon mot de passe provisoire : ••• ne fonctionne pas'],
    ['le mot de passe reçu par mail est Kq7-pL2x-9Zb', 'le mot de passe reçu par mail est •••'],
    ['mon nouveau mot de passe sera Soleil2024', 'mon nouveau mot de passe sera •••'],
    ["j'ai tapé Renard2023! et ça ne marche pas", "j'ai tapé ••• et ça ne marche pas"],
    ['mon mdp c’est azerty', 'mon mdp c’est •••'],
    ['le code à 6 chiffres 482 913 est refusé', 'le code à 6 chiffres ••• est refusé'],
    ["j'ai reçu 482913 par mail", "j'ai reçu ••• par mail"],
  ])('%s', (typed, kept) => {
    expect(redactSecrets(typed)).toBe(kept);
  });

  it.each(['mot de passe oublié', 'mon code est refusé', 'mon rpps 10100326494', 'le code ne marche pas', 'claire.lefort@example.fr', 'Je ne passe pas l’étape 2', 'RPPS10100326494', 'Clinique Pasteur', 'COVID-19 au bloc', 'CP 31400 Toulouse', 'le 12/03/2026 à 14h30', 'Saint-Roch 2e étage', "N'écrivez jamais votre mot de passe."])('leaves "%s" as typed', (typed) => {
    expect(redactSecrets(typed)).toBe(typed);
  });
});
