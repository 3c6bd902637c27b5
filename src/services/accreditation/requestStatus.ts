/**
 * One status per commitment request, and the only place that says how it may change.
 *
 * The hub card, « où en suis-je », the proactive notices and the next-step buttons are all derived
 * from a request's status; no dialog keeps its own idea of where the physician is. The status is
 * read from what the registry and the engagement store (the account's first sign-in and
 * administrative file, then the engagement row's status), so there is one truth and no second
 * column to drift; every change of it goes through `advance`, which refuses what the procedure
 * (seed 000, steps 1–4) does not allow.
 */
export const REQUEST_STATES = [
  /** Registered (« Pas encore inscrit »); the credentials mail left, nobody signed in yet. */
  'CREDENTIALS_SENT',
  /** Signed in (« Déjà inscrit »); the administrative file is not saved. */
  'SIGNED_IN',
  /** The administrative file is saved; the questionnaire is not opened. */
  'FILE_COMPLETE',
  /** The questionnaire is being filled (a draft, at section n of N) — a new request after a refusal too. */
  'QUESTIONNAIRE',
  /** Sent to the OA, waiting for its expert. */
  'SENT',
  /** The expert asked for a complement: the questionnaire is open again. */
  'TO_COMPLETE',
  /** Accepted: the physician is « engagé ». */
  'ACCEPTED',
  /** Refused, with the expert's reason; a new request may be made. */
  'REFUSED',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const REQUEST_EVENTS = ['signIn', 'saveFile', 'openQuestionnaire', 'saveDraft', 'send', 'askComplement', 'accept', 'refuse', 'renew'] as const;
export type RequestEvent = (typeof REQUEST_EVENTS)[number];

/**
 * The allowed transitions. An event absent from a state's row is refused. Editing the administrative
 * file once saved, and signing in again, leave the status as it is (a row maps them to itself).
 */
export const TRANSITIONS: { readonly [S in RequestState]: Readonly<Partial<Record<RequestEvent, RequestState>>> } = {
  CREDENTIALS_SENT: { signIn: 'SIGNED_IN' },
  SIGNED_IN: { signIn: 'SIGNED_IN', saveFile: 'FILE_COMPLETE' },
  FILE_COMPLETE: { signIn: 'FILE_COMPLETE', saveFile: 'FILE_COMPLETE', openQuestionnaire: 'QUESTIONNAIRE' },
  QUESTIONNAIRE: { signIn: 'QUESTIONNAIRE', saveFile: 'QUESTIONNAIRE', saveDraft: 'QUESTIONNAIRE', send: 'SENT' },
  SENT: { signIn: 'SENT', saveFile: 'SENT', accept: 'ACCEPTED', refuse: 'REFUSED', askComplement: 'TO_COMPLETE' },
  TO_COMPLETE: { signIn: 'TO_COMPLETE', saveFile: 'TO_COMPLETE', saveDraft: 'TO_COMPLETE', send: 'SENT' },
  ACCEPTED: { signIn: 'ACCEPTED', saveFile: 'ACCEPTED' },
  REFUSED: { signIn: 'REFUSED', saveFile: 'REFUSED', renew: 'QUESTIONNAIRE' },
};

/** A change the procedure does not allow from the request's status (a stale card, a second expert). */
export class RequestTransitionError extends Error {
  constructor(
    readonly from: RequestState,
    readonly event: RequestEvent,
  ) {
    super(`A request that is ${from} cannot ${event}.`);
    this.name = 'RequestTransitionError';
  }
}

/** The status after `event`, or a RequestTransitionError when the procedure does not allow it. */
export function advance(from: RequestState, event: RequestEvent): RequestState {
  const to = TRANSITIONS[from][event];
  if (!to) throw new RequestTransitionError(from, event);
  return to;
}

export function allows(from: RequestState, event: RequestEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/** The engagement row's own status (the stored half of the machine). */
export type EngagementStatus = 'DRAFT' | 'SENT' | 'TO_COMPLETE' | 'ACCEPTED' | 'REFUSED';

/** The status, from what is stored: the engagement row once the questionnaire was opened, the account before. */
export function stateOf(account: { everSignedIn: boolean; hasAdminFile: boolean }, engagement: { status: EngagementStatus } | undefined): RequestState {
  if (engagement) return engagement.status === 'DRAFT' ? 'QUESTIONNAIRE' : engagement.status;
  if (account.hasAdminFile) return 'FILE_COMPLETE';
  return account.everSignedIn ? 'SIGNED_IN' : 'CREDENTIALS_SENT';
}

/** What is stored on the engagement row for a state the row holds. */
export function engagementStatusOf(state: RequestState): EngagementStatus {
  if (state === 'QUESTIONNAIRE') return 'DRAFT';
  if (state === 'SENT' || state === 'TO_COMPLETE' || state === 'ACCEPTED' || state === 'REFUSED') return state;
  throw new Error(`${state} is not stored on an engagement.`);
}

/** A decision of the OA's expert is known: the physician reads which only once signed in (seed, step 4). */
export const DECIDED: readonly RequestState[] = ['TO_COMPLETE', 'ACCEPTED', 'REFUSED'];

/** Everything the hub, « où en suis-je » and the notices say about a request. */
export interface RequestStatus {
  accountId: string;
  state: RequestState;
  /** When the request entered this state. */
  since: Date;
  /** The OA the request goes to (its name undefined where none is confirmed). */
  oa: { id: string; name: string | undefined };
  /** The questionnaire: the section the physician is at (1-based) and how many there are. */
  section: { current: number; total: number };
  sentAt: Date | undefined;
  decidedAt: Date | undefined;
  /** The expert's reason (refused) or request (to complete). */
  comment: string | undefined;
  /** The physician chose a personal password: they sign in with it, not with a temporary one. */
  hasPersonalPassword: boolean;
  /** 1 for the first request, 2 after a refusal and a new request… */
  round: number;
}
