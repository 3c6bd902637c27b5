import { describe, expect, it } from 'vitest';
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
    expect(nextActions({ status: 'REJECTED', ...plain })).toEqual(['fixAndResend', 'fixIdentity', 'support', 'menu']);
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
    expect(allows({ status: 'ACTIVE', withoutRpps: false }, 'fixIdentity')).toBe(false);
    expect(allows({ status: 'ACTIVE', withoutRpps: false }, 'webmail')).toBe(true);
    expect(allows({ status: 'VALIDATED', withoutRpps: false }, 'webmail')).toBe(false);
    expect(allows(undefined, 'start')).toBe(true);
    expect(allows(undefined, 'gotRpps')).toBe(false);
  });
});
