import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { accreditationWorld } from './helpers/accreditationWorld';
import { cardOf, cardTexts, dialogHarness, promptIdOf, type Harness } from './helpers/dialogHarness';
import type { AdaptiveCard } from '../src/cards/adaptive';

let world: Awaited<ReturnType<typeof accreditationWorld>>;
beforeEach(async () => {
  world = await accreditationWorld();
});
afterEach(async () => world.close());

const lastCard = (replies: Partial<Activity>[]): AdaptiveCard | undefined => cardOf([...replies].reverse().find((r) => cardOf(r)));
const input = (card: AdaptiveCard | undefined, id: string) => JSON.stringify(card?.body ?? []).match(new RegExp(`"id":"${id}"[^}]*?"value":"([^"]*)"`))?.[1];

/** Into the accreditation request form, a physician registered, signed-out: the form of a second request. */
async function intoTheForm(h: Harness): Promise<string> {
  const welcome = lastCard(await h.say('bonjour'));
  const entry = lastCard(await h.submit({ verb: 'accreditation.start', promptId: promptIdOf(welcome) }));
  const eligibility = lastCard(await h.submit({ verb: 'register', promptId: promptIdOf(entry) }));
  const form = lastCard(
    await h.submit({ verb: 'submit', promptId: promptIdOf(eligibility), physician: 'yes', specialty: 'anesthesie-reanimation', interventional: 'yes', establishment: 'yes', practice: 'individual' }),
  );
  return promptIdOf(form);
}

describe.each(['webchat', 'msteams'])('contacting the helpdesk on %s', (channelId) => {
  it('from the middle of the form: the ticket card, the ticket stored and mailed, its number shown, then the form back with its answers', async () => {
    const h = await dialogHarness(world.main, { channelId, conversationState: world.conversationState });
    const formId = await intoTheForm(h);
    await h.submit({ verb: 'submit', promptId: formId, civility: 'dr', lastName: 'Lefort', firstName: 'Claire', identifier: 'Lefort', specialty: 'anesthesie-reanimation', email: 'claire.lefort@example.fr', emailConfirm: 'claire.lefort@example.fr' });

    // A question first: it becomes the description; its topic (the mail not received) chooses the HAS helpdesk.
    const answered = await h.say('jai pas recu le mail');
    expect(answered[0].text).toMatch(/Courriers indésirables/);
    expect(answered[0].suggestedActions?.actions.map((a) => a.title)).toEqual(['👍 Utile', '👎 Pas utile', 'où en suis-je', 'contacter le support']);
    // The form comes back under the answer, carrying its buttons (a channel shows them under the latest
    // message only) — except those that would leave the form and drop what it holds.
    expect(cardOf(answered.at(-1))).toBeDefined();
    expect(answered.at(-1)!.suggestedActions?.actions.map((a) => a.title)).toEqual(['👍 Utile', '👎 Pas utile', 'contacter le support']);
    const ticket = lastCard(await h.say('conseiller'));
    expect(cardTexts(ticket)[0]).toBe('Contacter le support');
    expect(input(ticket, 'route')).toBe('siam');
    expect(input(ticket, 'description')).toBe('jai pas recu le mail');

    // "conseiller" again does not open a second ticket: the same card comes back.
    const again = lastCard(await h.say('conseiller'));
    expect(promptIdOf(again)).toBe(promptIdOf(ticket));

    const sent = await h.submit({ verb: 'send', promptId: promptIdOf(ticket), route: 'siam', description: "c'est quoi mon identifiant, le formulaire refuse mon nom", email: 'claire.lefort@example.fr' });
    const said = sent.map((a) => a.text ?? '').join('\n');
    expect(said).toMatch(/C'est transmis : demande n° SES-000001, envoyée au support technique de l'accréditation \(HAS\) \(helpdesk\.siam@has-sante\.fr\)/);
    expect(said).toContain('c•••@example.fr');

    // The Bot Framework handoff convention, where a channel can have live agents (not Teams).
    const handoff = sent.find((a) => a.type === 'event');
    if (channelId === 'msteams') expect(handoff).toBeUndefined();
    else {
      expect(handoff).toMatchObject({ name: 'handoff.initiate', value: { ticket: 'SES-000001', route: 'siam', helpdesk: 'helpdesk.siam@has-sante.fr' } });
      expect(handoff!.attachments![0]).toMatchObject({ contentType: 'application/json', name: 'Transcript' });
    }

    // The form is back, with what was typed.
    const form = lastCard(sent);
    expect(cardTexts(form).join(' ')).toMatch(/Pas encore inscrit — demande d'engagement/);
    expect(input(form, 'lastName')).toBe('Lefort');

    const stored = await world.db.supportTicket.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ route: 'siam', journey: 'accreditation', contactEmail: 'claire.lefort@example.fr', channelId });
    await world.outbox.drain();
    expect(world.sink.mails.map((m) => m.subject)).toEqual(["Problème informatique pour s'engager dans l'accréditation", "Votre demande d'assistance SES-000001"]);
  });

  it('a missing description and a bad address are named with an example; cancelling sends nothing', async () => {
    const h = await dialogHarness(world.main, { channelId, conversationState: world.conversationState });
    await h.say('bonjour');
    const ticket = lastCard(await h.say('je veux parler a un conseiller'));
    const refused = lastCard(await h.submit({ verb: 'send', promptId: promptIdOf(ticket), route: 'oa', specialty: '', description: 'aide', email: 'claire@' }));
    const errors = cardTexts(refused).join('\n');
    expect(errors).toContain('« Décrivez le problème en quelques mots » : décrivez le problème en une phrase au moins (10 caractères).');
    expect(errors).toContain("« Adresse e-mail où le support vous répondra » n'est pas une adresse e-mail valide. Exemple : prenom.nom@exemple.fr");
    expect(errors).toContain('Choisissez « Ma spécialité (pour trouver l\'organisme agréé) » : elle dit à quel organisme agréé envoyer votre demande.');
    expect(input(refused, 'description')).toBe('aide');

    const cancelled = await h.submit({ verb: 'cancel', promptId: promptIdOf(ticket) });
    expect(cancelled.map((a) => a.text)).toContain("D'accord, rien n'a été envoyé.");
    expect(await world.db.supportTicket.count()).toBe(0);
  });

  it('"annuler" typed on the ticket card cancels the ticket, and the form beneath comes back as it was', async () => {
    const h = await dialogHarness(world.main, { channelId, conversationState: world.conversationState });
    const formId = await intoTheForm(h);
    await h.submit({ verb: 'submit', promptId: formId, civility: 'dr', lastName: 'Lefort', firstName: 'Claire', identifier: '', specialty: 'anesthesie-reanimation', email: 'claire.lefort@example.fr', emailConfirm: 'claire.lefort@example.fr' });
    expect(cardTexts(lastCard(await h.say('conseiller')))[0]).toBe('Contacter le support');
    const back = await h.say('annuler');
    expect(back[0].text).toBe("D'accord, rien n'a été envoyé.");
    expect(promptIdOf(lastCard(back))).toBe(formId);
    expect(input(lastCard(back), 'lastName')).toBe('Lefort');
  });
});

describe('the helpdesk is offered when the user is stuck', () => {
  it('after the third refusal of the same card', async () => {
    const h = await dialogHarness(world.main, { conversationState: world.conversationState });
    const formId = await intoTheForm(h);
    const refuse = () => h.submit({ verb: 'submit', promptId: formId, civility: 'dr', lastName: 'Lefort', firstName: 'Claire', identifier: 'Lefort', specialty: 'anesthesie-reanimation', email: 'claire.lefort@example.fr', emailConfirm: 'claire.lefort@example.fr' });
    expect((await refuse()).some((a) => a.suggestedActions)).toBe(false);
    expect((await refuse()).some((a) => a.suggestedActions)).toBe(false);
    const third = await refuse();
    const offer = third.find((a) => a.suggestedActions);
    expect(offer?.text).toMatch(/Ce formulaire vous bloque/);
    expect(offer?.suggestedActions?.actions.map((a) => a.title)).toEqual(['contacter le support']);
    // The button's words open the ticket.
    expect(cardTexts(lastCard(await h.say('contacter le support')))[0]).toBe('Contacter le support');
  });
});

describe('two close topics', () => {
  it('are asked back outside a journey, and settled by the journey the user is in', async () => {
    const h = await dialogHarness(world.main, { conversationState: world.conversationState });
    const welcome = lastCard(await h.say('bonjour'));
    const asked = await h.say('pas recu');
    expect(asked[0].text).toBe('Vouliez-vous dire… ?');
    expect(asked[0].suggestedActions?.actions.map((a) => a.title)).toEqual(["Je n'ai pas reçu le mail", 'Mail de confirmation Medimail non reçu']);

    await h.submit({ verb: 'medimail.start', promptId: promptIdOf(welcome) });
    const inMedimail = await h.say('pas recu');
    expect(inMedimail[0].text).toMatch(/cerbere@mipih\.fr/);
  });
});

describe('a flood of tickets', () => {
  it('stops at three an hour per conversation, naming the last one and when the next may go', async () => {
    const h = await dialogHarness(world.main, { conversationState: world.conversationState });
    await h.say('bonjour');
    const file = async () => {
      const ticket = lastCard(await h.say('conseiller'));
      return h.submit({ verb: 'send', promptId: promptIdOf(ticket), route: 'siam', description: 'Le site ne répond plus du tout', email: 'claire.lefort@example.fr' });
    };
    for (let i = 0; i < 3; i += 1) expect((await file()).map((a) => a.text).join(' ')).toMatch(/C'est transmis/);
    const fourth = (await file()).map((a) => a.text).join(' ');
    expect(fourth).toMatch(/la dernière, n° SES-000003, est bien partie/);
    expect(fourth).toMatch(/à partir de \d{2} h \d{2}\. /);
    expect(await world.db.supportTicket.count()).toBe(3);
  });
});
