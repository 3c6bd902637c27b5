/**
 * A Medimail account's situation, one state machine (seed 003): the form, the address to
 * confirm, the finalisation, the service centre's decision, the first sign-in, then the active
 * mailbox. The hub, « où en suis-je », the notices and the next-step buttons all derive from it;
 * no dialog step keeps its own idea of where the user is.
 */
export const MEDIMAIL_STATUSES = ['FORM', 'EMAIL_SENT', 'EMAIL_CONFIRMED', 'SUBMITTED', 'REJECTED', 'VALIDATED', 'SIGNED_IN', 'ACTIVE'] as const;
export type MedimailStatus = (typeof MEDIMAIL_STATUSES)[number];

/** What happens to an account. */
export type MedimailEvent =
  | 'passwordSet'
  /** The confirmation mail sent again, to the same address or a corrected one: earlier links are revoked. */
  | 'confirmationResent'
  | 'emailConfirmed'
  | 'submitted'
  | 'validated'
  | 'rejected'
  /** After a refusal: name, profession or e-mail corrected (a new address must be confirmed again). */
  | 'identityCorrected'
  | 'emailCorrected'
  /** The one-time code of the first sign-in typed right: the terms of use remain. */
  | 'codeVerified'
  | 'cguAccepted'
  | 'detailsUpdated'
  | 'rppsRequested';

const TRANSITIONS: Record<MedimailEvent, Partial<Record<MedimailStatus, MedimailStatus>>> = {
  passwordSet: { FORM: 'EMAIL_SENT', EMAIL_SENT: 'EMAIL_SENT' },
  confirmationResent: { EMAIL_SENT: 'EMAIL_SENT' },
  emailConfirmed: { EMAIL_SENT: 'EMAIL_CONFIRMED' },
  submitted: { EMAIL_CONFIRMED: 'SUBMITTED', REJECTED: 'SUBMITTED' },
  validated: { SUBMITTED: 'VALIDATED' },
  rejected: { SUBMITTED: 'REJECTED' },
  identityCorrected: { REJECTED: 'REJECTED' },
  emailCorrected: { REJECTED: 'EMAIL_SENT' },
  codeVerified: { VALIDATED: 'SIGNED_IN', SIGNED_IN: 'SIGNED_IN', ACTIVE: 'ACTIVE' },
  cguAccepted: { SIGNED_IN: 'ACTIVE', ACTIVE: 'ACTIVE' },
  detailsUpdated: { ACTIVE: 'ACTIVE' },
  rppsRequested: { ACTIVE: 'ACTIVE' },
};

export class MedimailTransitionError extends Error {
  constructor(
    readonly from: MedimailStatus,
    readonly event: MedimailEvent,
  ) {
    super(`A Medimail account in status ${from} cannot take "${event}".`);
  }
}

/** The status after the event, or undefined when the event is not allowed in this status. */
export function nextStatus(from: MedimailStatus, event: MedimailEvent): MedimailStatus | undefined {
  return TRANSITIONS[event][from];
}

/** The statuses the event may start from. */
export function statusesFor(event: MedimailEvent): MedimailStatus[] {
  return Object.keys(TRANSITIONS[event]) as MedimailStatus[];
}

export function transition(from: MedimailStatus, event: MedimailEvent): MedimailStatus {
  const to = nextStatus(from, event);
  if (!to) throw new MedimailTransitionError(from, event);
  return to;
}

export function isMedimailStatus(value: string): value is MedimailStatus {
  return (MEDIMAIL_STATUSES as readonly string[]).includes(value);
}

/** The user's next steps, as the hub offers them (and as they can be typed). */
export const MEDIMAIL_ACTIONS = ['start', 'setPassword', 'resend', 'finalise', 'fixIdentity', 'fixAndResend', 'firstSignIn', 'gotRpps', 'edit', 'org', 'webmail', 'support', 'accreditation', 'menu'] as const;
export type MedimailAction = (typeof MEDIMAIL_ACTIONS)[number];

/**
 * What the service centre refused, chosen by the agent with the reason: the user's correction opens
 * that part — their identity (names, e-mail), their professional information (RPPS or structure,
 * profession, specialty), or an e-mail address that is not nominative (the seed requires one).
 */
export const REJECT_PARTS = ['identity', 'professional', 'nominative'] as const;
export type RejectPart = (typeof REJECT_PARTS)[number];

export function isRejectPart(value: unknown): value is RejectPart {
  return (REJECT_PARTS as readonly unknown[]).includes(value);
}

/** Where an account is, with what the next steps depend on. */
export interface MedimailSituation {
  status: MedimailStatus;
  /** After a refusal: what the agent said is wrong (accounts refused before it was asked: unknown). */
  rejectPart?: RejectPart;
  /** Finalised without an RPPS (foreign or in training): « J'ai reçu mon RPPS » applies. */
  withoutRpps: boolean;
  /** An RPPS update sent to the service centre, not yet on the account. */
  rppsRequestedAt?: Date;
}

/** The next steps of a situation, in the order the hub shows them (« menu » last, always). */
export function nextActions(situation: MedimailSituation): MedimailAction[] {
  const byStatus: Record<MedimailStatus, MedimailAction[]> = {
    FORM: ['setPassword'],
    EMAIL_SENT: ['resend'],
    EMAIL_CONFIRMED: ['finalise'],
    SUBMITTED: ['support'],
    REJECTED: [...refusalFixes(situation.rejectPart), 'support'],
    VALIDATED: ['firstSignIn', 'support'],
    SIGNED_IN: ['firstSignIn', 'support'],
    ACTIVE: [...(situation.withoutRpps && !situation.rppsRequestedAt ? (['gotRpps'] as const) : []), 'edit', 'org', 'support'],
  };
  return [...byStatus[situation.status], 'menu'];
}

/** The correction a refusal opens: exactly the part refused, or both when the refusal did not say. */
function refusalFixes(part: RejectPart | undefined): MedimailAction[] {
  if (part === 'professional') return ['fixAndResend'];
  if (part === 'identity' || part === 'nominative') return ['fixIdentity'];
  return ['fixAndResend', 'fixIdentity'];
}

/** Whether an action makes sense now (a typed one may not: « j'ai reçu mon RPPS » before validation). */
export function allows(situation: MedimailSituation | undefined, action: MedimailAction): boolean {
  if (action === 'menu' || action === 'support') return true;
  if (!situation) return action === 'start';
  // Reading one's messages is said, not a button: the hub of an active account says where.
  if (action === 'webmail') return situation.status === 'ACTIVE';
  return nextActions(situation).includes(action);
}
