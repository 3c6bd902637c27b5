import { beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '../src/i18n';
import { MedimailWords } from '../src/dialogs/medimailWords';
import {
  MEDIMAIL_STATUSES,
  MedimailTransitionError,
  allows,
  nextActions,
  nextStatus,
  transition,
  type MedimailEvent,
  type MedimailStatus,
} from '../src/services/medimail/accountStatus';

// The account's state machine: every allowed transition, and a refusal for everything else.
const ALLOWED: [MedimailStatus, MedimailEvent, MedimailStatus][] = [
  ['FORM', 'passwordSet', 'EMAIL_SENT'],
  ['EMAIL_SENT', 'passwordSet', 'EMAIL_SENT'],
  ['EMAIL_SENT', 'confirmationResent', 'EMAIL_SENT'],
  ['EMAIL_SENT', 'emailConfirmed', 'EMAIL_CONFIRMED'],
  ['EMAIL_CONFIRMED', 'submitted', 'SUBMITTED'],
  ['SUBMITTED', 'validated', 'VALIDATED'],
  ['SUBMITTED', 'rejected', 'REJECTED'],
  ['REJECTED', 'identityCorrected', 'REJECTED'],
  ['REJECTED', 'emailCorrected', 'EMAIL_SENT'],
  ['REJECTED', 'submitted', 'SUBMITTED'],
  ['VALIDATED', 'codeVerified', 'SIGNED_IN'],
  ['SIGNED_IN', 'codeVerified', 'SIGNED_IN'],
  ['ACTIVE', 'codeVerified', 'ACTIVE'],
  ['SIGNED_IN', 'cguAccepted', 'ACTIVE'],
  ['ACTIVE', 'cguAccepted', 'ACTIVE'],
  ['ACTIVE', 'detailsUpdated', 'ACTIVE'],
  ['ACTIVE', 'rppsRequested', 'ACTIVE'],
];
const EVENTS: MedimailEvent[] = [...new Set(ALLOWED.map(([, event]) => event))];

describe('Medimail account state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  it('refuses every other transition', () => {
    let refused = 0;
    for (const from of MEDIMAIL_STATUSES) {
      for (const event of EVENTS) {
        if (ALLOWED.some(([f, e]) => f === from && e === event)) continue;
        expect(nextStatus(from, event), `${from} ${event}`).toBeUndefined();
        expect(() => transition(from, event)).toThrow(MedimailTransitionError);
        refused += 1;
      }
    }
    expect(refused).toBe(MEDIMAIL_STATUSES.length * EVENTS.length - ALLOWED.length);
  });

  it.each([
    ['FORM', 'emailConfirmed'],
    ['EMAIL_SENT', 'submitted'],
    ['VALIDATED', 'cguAccepted'],
    ['REJECTED', 'validated'],
    ['EMAIL_SENT', 'rppsRequested'],
    ['SUBMITTED', 'emailCorrected'],
    ['ACTIVE', 'rejected'],
  ] as const)('names the refusal: %s cannot take %s', (from, event) => {
    expect(() => transition(from, event)).toThrow(`status ${from} cannot take "${event}"`);
  });

  it('derives the next steps from the status; « menu » always last', () => {
    const plain = { withoutRpps: false };
    expect(nextActions({ status: 'FORM', ...plain })).toEqual(['setPassword', 'menu']);
    expect(nextActions({ status: 'EMAIL_SENT', ...plain })).toEqual(['resend', 'menu']);
    expect(nextActions({ status: 'EMAIL_CONFIRMED', ...plain })).toEqual(['finalise', 'menu']);
    expect(nextActions({ status: 'SUBMITTED', ...plain })).toEqual(['support', 'menu']);
    // A refusal opens exactly what the agent refused; one that did not say (before it was asked) opens both.
    expect(nextActions({ status: 'REJECTED', ...plain })).toEqual(['fixAndResend', 'fixIdentity', 'support', 'menu']);
    expect(nextActions({ status: 'REJECTED', ...plain, rejectPart: 'professional' })).toEqual(['fixAndResend', 'support', 'menu']);
    expect(nextActions({ status: 'REJECTED', ...plain, rejectPart: 'identity' })).toEqual(['fixIdentity', 'support', 'menu']);
    expect(nextActions({ status: 'REJECTED', ...plain, rejectPart: 'nominative' })).toEqual(['fixIdentity', 'support', 'menu']);
    expect(nextActions({ status: 'VALIDATED', ...plain })).toEqual(['firstSignIn', 'support', 'menu']);
    expect(nextActions({ status: 'SIGNED_IN', ...plain })).toEqual(['firstSignIn', 'support', 'menu']);
    expect(nextActions({ status: 'ACTIVE', ...plain })).toEqual(['edit', 'org', 'support', 'menu']);
    // Finalised without an RPPS: « J'ai reçu mon RPPS », until it is sent.
    expect(nextActions({ status: 'ACTIVE', withoutRpps: true })).toEqual(['gotRpps', 'edit', 'org', 'support', 'menu']);
    expect(nextActions({ status: 'ACTIVE', withoutRpps: true, rppsRequestedAt: new Date() })).toEqual(['edit', 'org', 'support', 'menu']);
  });

  it('allows a typed action only where the account is', () => {
    expect(allows({ status: 'SUBMITTED', withoutRpps: true }, 'gotRpps')).toBe(false);
    expect(allows({ status: 'ACTIVE', withoutRpps: true }, 'gotRpps')).toBe(true);
    expect(allows({ status: 'SUBMITTED', withoutRpps: false }, 'firstSignIn')).toBe(false);
    expect(allows({ status: 'VALIDATED', withoutRpps: false }, 'firstSignIn')).toBe(true);
    expect(allows({ status: 'REJECTED', withoutRpps: false }, 'fixIdentity')).toBe(true);
    expect(allows({ status: 'REJECTED', withoutRpps: false, rejectPart: 'professional' }, 'fixIdentity')).toBe(false);
    expect(allows({ status: 'REJECTED', withoutRpps: false, rejectPart: 'nominative' }, 'fixAndResend')).toBe(false);
    expect(allows({ status: 'ACTIVE', withoutRpps: false }, 'fixIdentity')).toBe(false);
    expect(allows({ status: 'ACTIVE', withoutRpps: false }, 'webmail')).toBe(true);
    expect(allows({ status: 'VALIDATED', withoutRpps: false }, 'webmail')).toBe(false);
    expect(allows(undefined, 'start')).toBe(true);
    expect(allows(undefined, 'gotRpps')).toBe(false);
  });
});

describe('Medimail actions typed instead of clicked', () => {
  let words: MedimailWords;
  beforeAll(async () => {
    words = new MedimailWords(await createI18n('fr'));
  });

  it.each([
    ["j'ai reçu mon RPPS", 'gotRpps'],
    ["J’ai enfin reçu mon numéro RPPS !", 'gotRpps'],
    ['I got my RPPS', 'gotRpps'],
    ['je veux faire ma première connexion', 'firstSignIn'],
    ['me connecter à Medimail', 'firstSignIn'],
    ['Corriger mon nom ou mon e-mail', 'fixIdentity'],
    ['je dois corriger mon adresse mail', 'fixIdentity'],
    ['Corriger mes informations', 'fixAndResend'],
    ['Modifier mes informations', 'edit'],
    ['Finaliser l’inscription', 'finalise'],
    ["Je n'ai pas reçu le mail", 'resend'],
    ['Choose my password', 'setPassword'],
    ['Demander une BAL organisationnelle', 'org'],
    ['lire mes messages Medimail', 'webmail'],
    ['mon compte Medimail', 'hub'],
    ['envoyer un nouveau lien', 'newLink'],
  ])('« %s » → %s', (text, action) => {
    expect(words.recognize(text)).toBe(action);
  });

  it.each(["c'est quoi le RPPS ?", 'comment créer mon compte Medimail', 'Medimail est-il gratuit ?', 'mot de passe oublié', 'menu', 'où en suis-je'])('« %s » is not an action (a question or a command)', (text) => {
    expect(words.recognize(text)).toBeUndefined();
  });
});
