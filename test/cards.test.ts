import { beforeAll, describe, expect, it } from 'vitest';
import * as AC from 'adaptivecards';
import fs from 'node:fs';
import path from 'node:path';
import { createI18n, type Translator } from '../src/i18n';
import type { AdaptiveCard, CardElement } from '../src/cards/adaptive';
import { CARDS } from '../src/cards/registry';
import { CardDataError, expandTemplate, renderCard } from '../src/cards/render';
import { entryData } from '../src/cards/accreditation';
import { MAX_ACTION_TITLE, medimailHubData } from '../src/cards/medimail';
import { literal } from '../src/cards/adaptive';
import { fixtures, render } from './helpers/cardFixtures';

function elements(items: CardElement[]): CardElement[] {
  return items.flatMap((item) => (item.type === 'Container' ? [item, ...elements(item.items)] : [item]));
}
const inputsOf = (card: AdaptiveCard) => elements(card.body).filter((e) => e.type.startsWith('Input.'));
const TEMPLATES = path.join(__dirname, '..', 'src', 'cards', 'templates');

describe.each(['fr', 'en'] as const)('every card (%s)', (locale) => {
  let t: Translator;
  let every: [string, AdaptiveCard][];
  beforeAll(async () => {
    t = (await createI18n('fr')).getFixedT(locale);
    every = fixtures(t).map((fixture) => [fixture[0], render(fixture)]);
  });

  it('has every template expanded here', () => {
    expect(new Set(fixtures(t).map(([, name]) => name))).toEqual(new Set(Object.keys(CARDS)));
  });

  it('is Adaptive Card 1.5 with Action.Submit only, each carrying verb and promptId', () => {
    for (const [name, card] of every) {
      expect(card.version, name).toBe('1.5');
      for (const action of card.actions ?? []) {
        expect(action.type, name).toBe('Action.Submit');
        expect(action.data.verb, name).toBeTruthy();
        expect(action.data.promptId, name).toBe('p-1');
      }
    }
  });

  it('labels every input, and gives every required input its error message (Web Chat will not draw it otherwise)', () => {
    for (const [name, card] of every) {
      for (const element of inputsOf(card)) {
        const input = element as CardElement & { id: string; label?: string; title?: string; isRequired?: boolean; errorMessage?: string };
        expect(input.label ?? input.title, `${name}: ${input.id}`).toBeTruthy();
        if (input.isRequired) expect(input.errorMessage, `${name}: ${input.id}`).toBeTruthy();
      }
    }
  });

  it("parses without warnings and validates with Microsoft's adaptivecards library (schema 1.5)", () => {
    for (const [name, json] of every) {
      const parsed = new AC.AdaptiveCard();
      const context = new AC.SerializationContext(AC.Versions.v1_5);
      parsed.parse(json, context);
      const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
      expect(events, name).toEqual([]);
      expect(parsed.validateProperties().validationEvents.map((e) => e.message), name).toEqual([]);
      expect(parsed.version?.toString(), name).toBe('1.5');
      for (let i = 0; i < parsed.getActionCount(); i += 1) expect(parsed.getActionAt(i)?.getJsonTypeName(), name).toBe('Action.Submit');
    }
  });

  it('leaves no translation key untranslated and no template expression unresolved', () => {
    for (const [name, card] of every) {
      const json = JSON.stringify(card);
      expect(json, name).not.toMatch(/"(accreditation|common|pages|mail|medimail|desk|questionnaire):[\w.]+"/);
      expect(json, name).not.toMatch(/"(welcome|validation|hub|form|adminFile|eligibility|q|card|epr|portal|queue|summary|eprs|entry|theme|orientation|connection|region|ways|finalise|agent|rpps|org|profession|step)\.[\w.]+"/);
      // What a user typed may hold "${" (the registration fixture does): only the template's own would be an error.
      expect(json.replaceAll('"${x}"', '""'), name).not.toContain('${');
    }
  });

  it(`keeps every button title within ${MAX_ACTION_TITLE} characters (Web Chat cuts longer ones with « … » at 390 px)`, () => {
    for (const [name, card] of every) for (const action of card.actions ?? []) expect(action.title.length, `${name}: « ${action.title} »`).toBeLessThanOrEqual(MAX_ACTION_TITLE);
  });

  it("draws the expert's cards without FactSets (a 150 px title column breaks words at 390 px) and without compact choices (cut labels)", () => {
    const desk = every.filter(([name]) => name.startsWith('desk'));
    expect(desk.length).toBeGreaterThan(3);
    for (const [name, card] of desk) {
      const json = JSON.stringify(card);
      expect(json, name).not.toContain('"FactSet"');
      for (const input of inputsOf(card)) if (input.type === 'Input.ChoiceSet') expect((input as { style?: string }).style, `${name}: ${input.id}`).toBe('expanded');
    }
  });

  it("draws the physician's accreditation cards without FactSets, and keeps a compact choice only where every title fits at 390 px", () => {
    // A FactSet's title column breaks words at phone width (« indésira-bles »); a select cuts a title
    // longer than the 390 px screenshot showed whole (« Chirurgie thoracique et cardio-vasculaire », 41).
    const physician = fixtures(t)
      .filter(([, name]) => /^(accreditation|questionnaire|epr)\//.test(name) || name === 'common/confirm')
      .map((fixture) => [fixture[0], render(fixture)] as const);
    expect(physician.length).toBeGreaterThan(25);
    for (const [name, card] of physician) {
      expect(JSON.stringify(card), name).not.toContain('"FactSet"');
      for (const input of inputsOf(card)) {
        const choice = input as CardElement & { style?: string; choices?: { title: string }[] };
        if (input.type === 'Input.ChoiceSet' && choice.style !== 'expanded') {
          for (const option of choice.choices ?? []) expect(option.title.length, `${name}: ${input.id} « ${option.title} »`).toBeLessThanOrEqual(42);
        }
      }
    }
  });

  it('lets « Retour » / « Annuler » leave without the form being checked (associatedInputs none)', () => {
    for (const [name, card] of every) {
      if (inputsOf(card).length === 0) continue;
      for (const action of card.actions ?? []) {
        if (['back', 'cancel', 'leave'].includes(action.data.verb)) expect(action.associatedInputs, `${name}: ${action.data.verb}`).toBe('none');
      }
    }
  });
});

describe('a questionnaire section', () => {
  // Adaptive Cards check every input on every button: a required or bounded input would block
  // « Enregistrer » and « Section précédente » (and an empty bounded Input.Number is NaN, invalid).
  it('requires and bounds nothing in the client, so saving, moving and an empty optional count always go through', async () => {
    const t = (await createI18n('fr')).getFixedT('fr');
    for (const fixture of fixtures(t).filter(([, name]) => name === 'questionnaire/section')) {
      for (const element of inputsOf(render(fixture))) {
        const input = element as CardElement & { id: string; isRequired?: boolean; min?: number; max?: number };
        expect([input.isRequired, input.min, input.max], `${fixture[0]}: ${input.id}`).toEqual([undefined, undefined, undefined]);
      }
    }
  });
});

describe('card templates', () => {
  it('refuse data missing a field, as a typed error', async () => {
    const t = (await createI18n('fr')).getFixedT('fr');
    const data = entryData(t, 'p-1');
    const { title: _title, ...text } = data.text;
    expect(() => renderCard('accreditation/entry', { ...data, text: text as typeof data.text })).toThrow(CardDataError);
  });

  it('fail when an expression is left after expansion', () => {
    expect(() => expandTemplate('test', { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${nowhere}' }] }, {})).toThrow(/\$\{nowhere\} left/);
  });

  it('show what a user typed literally: "${…}" kept, markdown escaped', async () => {
    const t = (await createI18n('fr')).getFixedT('fr');
    const recap = renderCard('common/recap', { sent: t('prompt.recap', { action: 'Valider' }), facts: [{ title: 'Nom', value: '${a} *b*' }] });
    expect(JSON.stringify(recap)).toContain('${a} \\\\*b\\\\*');
  });

  it.each(Object.keys(CARDS))('%s has a sample for the Designer that its schema accepts and that expands', (name) => {
    const sample = path.join(TEMPLATES, `${name}.data.json`);
    expect(fs.existsSync(sample), sample).toBe(true);
    const data = JSON.parse(fs.readFileSync(sample, 'utf8'));
    const card = CARDS[name as keyof typeof CARDS];
    expect(card.schema.safeParse(data).success).toBe(true);
    expect(() => expandTemplate(name, card.template, data)).not.toThrow();
  });

  it('are parsed once and bound to any data after: the same card as a freshly parsed template, whatever came before', async () => {
    const { Template } = await import('adaptivecards-templating');
    const samples = Object.keys(CARDS).map((name) => ({ name, template: CARDS[name as keyof typeof CARDS].template, data: JSON.parse(fs.readFileSync(path.join(TEMPLATES, `${name}.data.json`), 'utf8')) as Record<string, unknown> }));
    // Each card twice, the second time after every other card was expanded, and once with other data.
    const first = samples.map((s) => JSON.stringify(expandTemplate(s.name, s.template, s.data)));
    for (const [i, s] of samples.entries()) {
      expect(JSON.stringify(expandTemplate(s.name, s.template, s.data)), s.name).toBe(first[i]);
      const fresh = JSON.parse(JSON.stringify(new Template(s.template).expand({ $root: s.data })).replaceAll('\uE000', '${'));
      expect(JSON.parse(first[i]), s.name).toEqual(fresh);
    }
    const recap = (facts: { title: string; value: string }[]) => JSON.stringify(renderCard('common/recap', { sent: 'Envoyé', facts }));
    expect(recap([{ title: 'Nom', value: 'Şahin' }])).toContain('Şahin');
    expect(recap([{ title: 'Nom', value: 'Durand' }, { title: 'Prénom', value: 'Ayşe' }])).not.toContain('Şahin');
  });
});

describe('an MSS address shown by Sésame', () => {
  it('is a code span where Markdown would make it a mailto link, plain in Teams cards, escaped when it cannot be one', () => {
    expect(literal('anne.roux@medecin.oc.mssante.fr')).toBe('`anne.roux@medecin.oc.mssante.fr`');
    expect(literal('anne.roux@medecin.oc.mssante.fr', false)).toBe('anne.roux@medecin.oc.mssante.fr');
    expect(literal('a`b@x.fr')).toBe('a\\`b@x.fr');
  });

  it('stays a code span in the hub and the agent summary, while what the user typed is escaped', async () => {
    const t = (await createI18n('fr')).getFixedT('fr');
    const hub = renderCard('medimail/hub', medimailHubData(t, 'p', { account: { status: 'ACTIVE', mssAddress: 'anne.roux@medecin.oc.mssante.fr' }, actions: ['menu'] }));
    expect(JSON.stringify(hub)).toContain('Adresse MSSanté : `anne.roux@medecin.oc.mssante.fr`');
    const teams = renderCard('medimail/hub', medimailHubData(t, 'p', { account: { status: 'ACTIVE', mssAddress: 'anne.roux@medecin.oc.mssante.fr' }, actions: ['menu'] }, false));
    expect(JSON.stringify(teams)).not.toContain('`');
  });
});
