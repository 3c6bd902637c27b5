import { beforeAll, describe, expect, it } from 'vitest';
import { createI18n, type Translator } from '../src/i18n';
import type { AdaptiveCard, CardElement } from '../src/cards/adaptive';
import { welcomeCard } from '../src/cards/welcomeCard';
import {
  adminFileCard,
  adminRecapCard,
  eligibilityCard,
  entryCard,
  hubCard,
  notEligibleCard,
  registrationCard,
  resendCard,
  signInWaitCard,
} from '../src/cards/accreditationCards';

const view = (values: Record<string, string> = {}, errors: Record<string, string> = {}) => ({ promptId: 'p-1', values, errors });

function every(t: Translator): [string, AdaptiveCard][] {
  return [
    ['welcome', welcomeCard(t, 'p-1')],
    ['entry', entryCard(t, 'p-1')],
    ['eligibility', eligibilityCard(t, view({}, { specialty: 'Choisissez une valeur.' }))],
    ['notEligible', notEligibleCard(t, 'p-1', 'cabinetOnly')],
    ['registration', registrationCard(t, view({ email: 'a@gmial.com' }), { notice: 'emailSuggestion', suggestion: 'a@gmail.com' })],
    ['registration badKey', registrationCard(t, view(), { notice: 'badKey', value: '10107350777' })],
    ['hub', hubCard(t, { promptId: 'p-1', signedInAs: { civility: 'dr', firstName: 'Jean', lastName: 'Durand' }, history: [{ type: 'REQUEST_CREATED', at: new Date().toISOString() }], next: 'nextAdminFile', actions: ['adminFile', 'signout', 'menu'] })],
    ['resend', resendCard(t, view({ email: 'a@b.fr' }), { date: '12/03/2026 à 14 h 02', maskedEmail: 'a•••@b.fr' }, true)],
    ['signInWait', signInWaitCard(t, 'p-1')],
    ['adminFile', adminFileCard(t, view({}, { postalCode: 'Code postal : 5 chiffres.' }))],
    ['adminRecap', adminRecapCard(t, view({ department: '31' }), [{ title: 'Adresse', value: '10 rue *des* Ponts' }])],
  ];
}

function elements(items: CardElement[]): CardElement[] {
  return items.flatMap((item) => (item.type === 'Container' ? [item, ...elements(item.items)] : [item]));
}

describe.each(['fr', 'en'] as const)('every card (%s)', (locale) => {
  let t: Translator;
  beforeAll(async () => {
    t = (await createI18n('fr')).getFixedT(locale);
  });

  it('is Adaptive Card 1.5 with Action.Submit only, each carrying verb and promptId', () => {
    for (const [name, card] of every(t)) {
      expect(card.version, name).toBe('1.5');
      for (const action of card.actions ?? []) {
        expect(action.type, name).toBe('Action.Submit');
        expect(action.data.verb, name).toBeTruthy();
        expect(action.data.promptId, name).toBe('p-1');
      }
    }
  });

  it('labels every input, and gives every required input its error message (Web Chat will not draw it otherwise)', () => {
    for (const [name, card] of every(t)) {
      for (const element of elements(card.body)) {
        if (!element.type.startsWith('Input.')) continue;
        const input = element as CardElement & { label?: string; title?: string; isRequired?: boolean; errorMessage?: string };
        expect(input.label ?? input.title, `${name}: ${'id' in input ? input.id : ''}`).toBeTruthy();
        if (input.isRequired) expect(input.errorMessage, `${name}: ${'id' in input ? input.id : ''}`).toBeTruthy();
      }
    }
  });

  it('leaves no translation key untranslated', () => {
    for (const [name, card] of every(t)) {
      const json = JSON.stringify(card);
      expect(json, name).not.toMatch(/"(accreditation|common|pages|mail):[\w.]+"/);
      expect(json, name).not.toMatch(/"(welcome|validation|hub|form|adminFile|eligibility)\.[\w.]+"/);
    }
  });
});
