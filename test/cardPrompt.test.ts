import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { InterruptibleDialog } from '../src/dialogs/interruptibleDialog';
import { UNSENT_CARD } from '../src/cards/form';
import { z } from 'zod';
import { CardPrompt, type CardPromptResult } from '../src/dialogs/cardPrompt';
import type { AdaptiveCard, CardElement, InputText } from '../src/cards/adaptive';
import { accreditationWorld } from './helpers/accreditationWorld';
import { cardOf, cardTexts, dialogHarness, promptIdOf } from './helpers/dialogHarness';

// A two-field form, as the journeys will have: the mechanism under test is the prompt, not the form.
const schema = z.object({
  name: z.string().trim().min(1).max(40),
  email: z.string().trim().email('invalid'),
});

function testForm() {
  const prompt = new CardPrompt('form', {
    verbs: ['submit', 'back'],
    validate: ['submit'],
    schema,
    fields: { name: { label: 'Nom' }, email: { label: 'Adresse e-mail', example: 'jean.durand@gmail.com' } },
    render: (_t, view): AdaptiveCard => {
      const input = (id: string, label: string): CardElement[] => {
        const field: InputText = { type: 'Input.Text', id, label, value: view.values[id] ?? '', ...(id === 'name' ? { placeholder: 'Durand' } : {}) };
        return view.errors[id] ? [field, { type: 'TextBlock', text: view.errors[id], color: 'attention' }] : [field];
      };
      const count = Object.keys(view.errors).length;
      return {
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: '1.5',
        body: [...(count ? [{ type: 'TextBlock' as const, text: _t('prompt.fixErrors', { count }) }] : []), ...input('name', 'Nom'), ...input('email', 'Adresse e-mail')],
        actions: [
          { type: 'Action.Submit', title: 'Valider', data: { verb: 'submit', promptId: view.promptId } },
          { type: 'Action.Submit', title: 'Retour', data: { verb: 'back', promptId: view.promptId } },
        ],
      };
    },
  });
  const results: CardPromptResult<Record<string, string>>[] = [];
  // Interruptible like every journey: « aide » shows the card again.
  const flow = new (class extends InterruptibleDialog {
    constructor() {
      super('flow');
      this.addDialog(prompt);
      this.addDialog(
        new WaterfallDialog('steps', [
          (step: WaterfallStepContext) => step.beginDialog('form'),
          async (step: WaterfallStepContext) => {
            results.push(step.result as CardPromptResult<Record<string, string>>);
            await step.context.sendActivity('done');
            return step.endDialog();
          },
        ]),
      );
      this.initialDialogId = 'steps';
    }
  })();
  return { flow, results };
}

describe.each(['webchat', 'msteams'])('card prompt on %s', (channelId) => {
  it('re-sends the card with the faulty field named, why and an example, keeping the other answers', async () => {
    const { flow, results } = testForm();
    const h = await dialogHarness(flow, { channelId });
    const first = await h.say('bonjour');
    const promptId = promptIdOf(cardOf(first[0]));

    const retry = await h.submit({ verb: 'submit', promptId, name: 'Durand', email: 'jean.durand@gmial' });
    const again = cardOf(retry[0]);
    const texts = cardTexts(again);
    expect(texts.join('\n')).toContain('« Adresse e-mail » n\'est pas valide. Exemple : jean.durand@gmail.com');
    expect(texts).toContain('Un champ est à corriger :');
    const nameInput = again!.body.find((e) => 'id' in e && e.id === 'name');
    expect(nameInput).toMatchObject({ value: 'Durand' });
    expect(promptIdOf(again)).toBe(promptId);
    expect(results).toHaveLength(0);

    const ok = await h.submit({ verb: 'submit', promptId, name: 'Durand', email: ' jean.durand@gmail.com ' });
    // What was sent is recapped (a card update needs the card's id: without it, a message).
    expect(ok.map((a) => a.text)).toEqual(['Vous avez choisi « Valider ».', 'done']);
    expect(results).toEqual([{ verb: 'submit', values: { name: 'Durand', email: 'jean.durand@gmail.com' } }]);
  });

  it('says a required field is required, whatever the schema would have said', async () => {
    const { flow } = testForm();
    const h = await dialogHarness(flow, { channelId });
    const promptId = promptIdOf(cardOf((await h.say('hi'))[0]));
    const retry = await h.submit({ verb: 'submit', promptId, name: '  ', email: '' });
    const texts = cardTexts(cardOf(retry[0])).join('\n');
    expect(texts).toContain('« Nom » est obligatoire.');
    expect(texts).toContain('« Adresse e-mail » est obligatoire. Exemple : jean.durand@gmail.com');
    expect(texts).toContain('2 champs sont à corriger :');
  });

  it('recognises a stale card and re-sends the current step instead of misreading it', async () => {
    const { flow, results } = testForm();
    const h = await dialogHarness(flow, { channelId });
    const promptId = promptIdOf(cardOf((await h.say('hi'))[0]));
    const stale = await h.submit({ verb: 'submit', promptId: 'an-old-card', name: 'X', email: 'x@example.fr' });
    expect(stale[0].text).toMatch(/n'est plus à jour/);
    expect(promptIdOf(cardOf(stale[1]))).toBe(promptId);
    expect(results).toHaveLength(0);
  });

  it('takes a submit without promptId (Botium, a replayed .transcript) for the current card when the verb is one of its own', async () => {
    const { flow, results } = testForm();
    const h = await dialogHarness(flow, { channelId });
    const promptId = promptIdOf(cardOf((await h.say('hi'))[0]));
    const unknownVerb = await h.submit({ verb: 'delete', name: 'X' });
    expect(unknownVerb[0].text).toMatch(/n'est plus à jour/);
    expect(promptIdOf(cardOf(unknownVerb[1]))).toBe(promptId);
    const refused = await h.submit({ verb: 'submit', name: 'Durand', email: 'pas-une-adresse' });
    expect(promptIdOf(cardOf(refused[0]))).toBe(promptId);
    expect(results).toHaveLength(0);
    await h.submit({ verb: 'submit', name: 'Durand', email: 'jean.durand@gmail.com' });
    expect(results[0]).toMatchObject({ verb: 'submit', values: { name: 'Durand' } });
  });

  it('keeps what the card held, unsent, when the client sends it along with a typed message (Sésame\'s chat page)', async () => {
    const { flow } = testForm();
    const h = await dialogHarness(flow, { channelId });
    const promptId = promptIdOf(cardOf((await h.say('hi'))[0]));
    const inputs = (card: AdaptiveCard | undefined) => Object.fromEntries((card?.body ?? []).filter((e): e is InputText => e.type === 'Input.Text').map((e) => [e.id, e.value]));
    // Another card's values, or bookkeeping that is no input of this card, are not taken.
    await h.send({ text: 'aide', channelData: { [UNSENT_CARD]: { promptId: 'an-old-card', values: { name: 'Autre' } } } });
    const help = await h.send({ text: 'aide', channelData: { [UNSENT_CARD]: { promptId, values: { name: 'Durand', email: 'jean.du', verb: 'submit', promptId: 'x', hub: '{}' } } } });
    expect(inputs(cardOf(help.find((a) => cardOf(a))))).toEqual({ name: 'Durand', email: 'jean.du' });
    // A plain typed message (Teams, any client) carries nothing: the card keeps what it had.
    const again = await h.say('aide');
    expect(inputs(cardOf(again.find((a) => cardOf(a))))).toEqual({ name: 'Durand', email: 'jean.du' });
  });

  it('writes every placeholder as an example, so it is not taken for a value already there', async () => {
    const { flow } = testForm();
    const h = await dialogHarness(flow, { channelId });
    const card = cardOf((await h.say('hi'))[0]);
    expect((card?.body ?? []).filter((e): e is InputText => e.type === 'Input.Text').map((e) => e.placeholder)).toEqual(['Ex. : Durand', undefined]);
  });

  it('keeps the inputs of a click on its own card that it does not expect', async () => {
    const { flow } = testForm();
    const h = await dialogHarness(flow, { channelId });
    const promptId = promptIdOf(cardOf((await h.say('hi'))[0]));
    const back = await h.submit({ verb: 'delete', promptId, name: 'Durand', email: 'jean.durand@gmail.com' });
    const card = cardOf(back.find((a) => cardOf(a)));
    expect((card?.body ?? []).filter((e): e is InputText => e.type === 'Input.Text').map((e) => e.value)).toEqual(['Durand', 'jean.durand@gmail.com']);
  });

  it('lets a verb that needs no validation through, and answers typed text with a hint', async () => {
    const { flow, results } = testForm();
    const h = await dialogHarness(flow, { channelId });
    const promptId = promptIdOf(cardOf((await h.say('hi'))[0]));
    const hint = await h.say('euh');
    expect(hint[0].text).toMatch(/utilisez la carte/);
    await h.submit({ verb: 'back', promptId });
    expect(results[0].verb).toBe('back');
  });
});

describe('main menu', () => {
  let world: Awaited<ReturnType<typeof accreditationWorld>>;
  beforeEach(async () => {
    world = await accreditationWorld();
  });
  afterEach(async () => world.close());

  it("'J'ai un problème' offers the common problems and listens; the menu card still opens its entries, once", async () => {
    const h = await dialogHarness(world.main, { conversationState: world.conversationState });
    const welcome = cardOf((await h.say('bonjour'))[0]);
    expect(cardTexts(welcome)[0]).toBe('Bonjour, je suis Sésame');
    expect(welcome!.actions!.map((a) => a.title)).toEqual(["M'engager dans l'accréditation", 'Créer mon compte Medimail', "J'ai un problème", 'Mes données']);
    const first = promptIdOf(welcome);

    const replies = await h.submit({ verb: 'help.problem', promptId: first });
    expect(replies[0].text).toBe("Vous avez choisi « J'ai un problème ».");
    expect(replies[1].text).toMatch(/Dites-moi ce qui bloque/);
    expect(replies[1].suggestedActions!.actions.map((a) => a.title)).toEqual([
      "Je n'ai pas reçu le mail",
      "Quel est mon nom d'utilisateur ?",
      'Mon mot de passe temporaire est refusé',
      'Mail de confirmation Medimail non reçu',
      'Le code à usage unique',
      'contacter le support',
    ]);

    // A button (or the same words typed) is answered, then « Autre chose ? » with the entries — not the whole welcome again.
    const answer = await h.say("Je n'ai pas reçu le mail");
    expect(answer).toHaveLength(2);
    expect(answer[0].text).toMatch(/Courriers indésirables/);
    expect(answer[1].text).toBe('Autre chose ?');
    expect(answer[1].suggestedActions!.actions.map((a) => a.title)).toEqual(expect.arrayContaining(["M'engager dans l'accréditation", 'Créer mon compte Medimail', "J'ai un problème"]));
    expect(answer.some((a) => cardOf(a))).toBe(false);

    // The welcome card is still the menu: it opens its entry; clicked again later, from inside that
    // journey, it opens the other entry (as « menu » then the entry would), never « n'est plus à jour ».
    const opened = await h.submit({ verb: 'medimail.start', promptId: first });
    expect(cardTexts(cardOf(opened.at(-1))).join(' ')).toMatch(/Medimail/);
    const again = await h.submit({ verb: 'accreditation.start', promptId: first });
    expect(again.map((a) => a.text ?? '').join(' ')).not.toMatch(/n'est plus à jour/);
    expect(cardTexts(cardOf(again.at(-1))).join(' ')).toMatch(/Accréditation des médecins/);
  });

  it('understands an entry typed instead of clicked', async () => {
    const h = await dialogHarness(world.main, { conversationState: world.conversationState });
    await h.say('bonjour');
    const replies = await h.say("je veux m'engager dans l'accreditation");
    expect(cardTexts(cardOf(replies[0]))[0]).toBe('Accréditation des médecins');
  });

  it('aide, english, français and annuler work at any step', async () => {
    const h = await dialogHarness(world.main, { conversationState: world.conversationState });
    await h.say('bonjour');
    // At the menu, the help comes with the entries at hand, not the welcome card a second time.
    const help = await h.say('Aide');
    expect(help).toHaveLength(1);
    expect(help[0].text).toMatch(/« menu »/);
    expect(help[0].suggestedActions!.actions.map((a) => a.title)).toEqual(["M'engager dans l'accréditation", 'Créer mon compte Medimail', "J'ai un problème"]);

    const english = await h.say('english');
    expect(english[0].text).toBe('All right, I will continue in English.');
    expect(cardTexts(cardOf(english[1]))[0]).toBe('Hello, I am Sésame');
    expect(h.locale).toBe('en');

    const french = await h.say('Français');
    expect(french[0].text).toBe("D'accord, je continue en français.");

    const cancel = await h.say('annuler');
    expect(cancel[0].text).toBe("C'est annulé.");
    expect(cardOf(cancel[1])).toBeDefined();
  });
});
