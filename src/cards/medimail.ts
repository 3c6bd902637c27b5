import { z } from 'zod';
import type { Translator } from '../i18n';
import { PROFESSIONS } from '../services/medimail/mssAddress';
import type { MedimailAccountView, MedimailConcern } from '../services/medimail/medimail';
import { department } from '../services/geography';
import { formatPhone } from '../services/phone';
import { displayName } from '../services/names';
import { REJECT_PARTS, type MedimailAction, type RejectPart } from '../services/medimail/accountStatus';
import { literal, plain } from './adaptive';
import { departmentChoices, regionChoices } from './accreditation';
import { SPECIALTIES } from '../services/medimail/nomenclature';
import type { CardView } from './form';
import { longDateTime } from '../dates';
import { action, choice, form, formData, pick, requiredMessage, text, texts, userFact, values } from './schema';

// The data of every card of the Medimail journey (seed 003, knowledge.md §2, templates/medimail/)
// and of the service centre's desk (templates/centre/).

const ns = 'medimail';
const required = <K extends string>(t: Translator, labels: Record<K, string>, ids: readonly K[]) =>
  Object.fromEntries(ids.map((id) => [id, requiredMessage(t, labels[id])])) as Record<K, string>;
const step = (t: Translator, s: string) => t(`${ns}:step.${s}`);

/** The longest a button title may be: Web Chat cuts longer ones with « … » at 390 px. */
export const MAX_ACTION_TITLE = 34;
/** The most buttons a card's bar shows (Teams, Web Chat's host config). */
const MAX_ACTIONS = 5;
/** A title carrying a name (« Ouvrir 1 — … »), cut by us rather than by the chat. */
export const shortTitle = (title: string) => (title.length > MAX_ACTION_TITLE ? `${title.slice(0, MAX_ACTION_TITLE - 1).trimEnd()}…` : title);

export const professionChoices = (t: Translator) => PROFESSIONS.map((p) => ({ title: t(`${ns}:profession.${p.code}`), value: p.code }));

/** « Médecin — Pédiatrie »: the nomenclature's specialties, named with their profession, in alphabetical order per profession. */
export const medimailSpecialtyChoices = (t: Translator) =>
  SPECIALTIES.map((s) => ({ title: `${t(`${ns}:profession.${s.profession}`)} — ${t(`${ns}:specialty.${s.code}`)}`, value: s.code, profession: s.profession })).sort(
    (a, b) => a.profession.localeCompare(b.profession) || a.title.localeCompare(b.title, 'fr'),
  ).map(({ title, value }) => ({ title, value }));

/** A specialty's label; an account finalised before the nomenclature may hold an accreditation code. */
export const specialtyLabel = (t: Translator, code: string) => t([`${ns}:specialty.${code}`, `accreditation:specialty.${code}`]);

const ORIENTATION = ['title', 'what', 'who', 'question', 'individual', 'structureWants', 'structureHas', 'types'] as const;
const TYPES = ['typesTitle', 'typePer', 'typeInt', 'typeOrg', 'back'] as const;
const CONNECTION_REQUIRED = ['structure', 'structureId', 'contactName', 'contactEmail'] as const;
const CONNECTION = [...CONNECTION_REQUIRED, 'title', 'structureExample', 'structureIdExample', 'contactPhone', 'submit', 'back'] as const;
const FORM_REQUIRED = ['lastName', 'firstName', 'email', 'profession'] as const;
const FORM = [...FORM_REQUIRED, 'title', 'lastNameExample', 'firstNameExample', 'emailExample', 'nominative', 'submit'] as const;
const FINALISE_REQUIRED = ['rpps', 'structureKind', 'structureId', 'profession', 'phone', 'address', 'city', 'postalCode'] as const;
const FINALISE = [
  'title',
  'rppsField',
  'rppsExample',
  'structureNote',
  'structureKind',
  'structureId',
  'structureIdExample',
  'profession',
  'specialty',
  'liberal',
  'phone',
  'phoneExample',
  'phone2',
  'address',
  'addressExample',
  'city',
  'cityExample',
  'postalCode',
  'postalCodeExample',
  'raisonSociale',
  'service',
  'directory',
  'demat',
  'dematAdvice',
  'check',
  'back',
] as const;
const FINALISE_VALUES = {
  rpps: '',
  structureKind: 'SIRET',
  structureId: '',
  profession: '',
  specialty: '',
  liberal: 'false',
  phone: '',
  phone2: '',
  address: '',
  city: '',
  postalCode: '',
  raisonSociale: '',
  service: '',
  directoryVisible: 'true',
  dematerialisation: 'true',
};

// The hub's buttons are the account's next steps, as its state machine gives them.
export { MEDIMAIL_ACTIONS as MEDIMAIL_HUB_ACTIONS, type MedimailAction as MedimailHubAction } from '../services/medimail/accountStatus';

/**
 * What the form says before it goes on, already a sentence (its user parts escaped): a likely
 * typo in the e-mail's domain (one click to correct), then the MSS address the user will get.
 */
const formNotice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('emailSuggestion'), text, suggestion: z.string().min(1), useSuggestion: text, keepEmail: text }),
  z.object({ kind: z.literal('mss'), text, mss: z.string().min(1), confirm: text }),
]);

export const medimailSchemas = {
  orientation: z.object({ promptId: form.promptId, text: texts(...ORIENTATION, 'step') }),
  types: z.object({ promptId: form.promptId, text: texts('title', 'typePer', 'typeInt', 'typeOrg', 'back') }),
  connection: z.object({ ...form, text: texts(...CONNECTION), required: texts(...CONNECTION_REQUIRED), values: values({ structure: '', structureId: '', contactName: '', contactEmail: '', contactPhone: '' }) }),
  region: z.object({ ...form, text: texts('title', 'region', 'submit'), required: texts('region'), regions: z.array(choice).min(1), values: values({ region: '' }) }),
  ways: z.object({ promptId: form.promptId, text: texts('title', 'psc', 'pscHere', 'form', 'menu') }),
  form: z.object({
    ...form,
    text: texts(...FORM, 'step'),
    required: texts(...FORM_REQUIRED),
    professions: z.array(choice).min(1),
    values: values({ lastName: '', firstName: '', email: '', profession: '', emailChecked: '' }),
    notice: formNotice,
  }),
  /** A step that waits for something done elsewhere (a page, a mail), with what the user can do meanwhile. */
  waiting: z.object({ promptId: form.promptId, step: text, message: text, actions: z.array(action) }),
  resendConfirmation: z.object({ ...form, text: texts('title', 'email', 'resend', 'back'), required: texts('email'), resendText: text, values: values({ email: '', emailChecked: '' }), notice: formNotice }),
  path: z.object({ promptId: form.promptId, text: texts('step', 'title', 'rpps', 'structure') }),
  finalise: z.object({
    ...form,
    path: z.enum(['rpps', 'structure']),
    text: texts(...FINALISE, 'step'),
    required: texts(...FINALISE_REQUIRED),
    professions: z.array(choice).min(1),
    specialties: z.array(choice).min(1),
    values: values(FINALISE_VALUES),
  }),
  /** The recap before "Je valide"; region and department deduced from the postal code, confirmed here. */
  finaliseRecap: z.object({
    ...form,
    text: texts('step', 'title', 'region', 'department', 'validate', 'edit'),
    /** What the user should know before validating (an account already has this RPPS). */
    warnings: z.array(text),
    required: texts('region', 'department'),
    facts: z.array(userFact),
    regions: z.array(choice).min(1),
    departments: z.array(choice).min(1),
    values: values({ region: '', department: '' }),
  }),
  /** At most 5 buttons: what Teams and Web Chat show in a card's bar. */
  hub: z.object({ promptId: form.promptId, text: texts('title', 'none'), address: z.string(), status: z.string(), actions: z.array(action).max(MAX_ACTIONS) }),
  rppsUpdate: z.object({ ...form, text: texts('title', 'field', 'submit', 'back'), required: texts('rpps'), values: values({ rpps: '' }) }),
  orgMailbox: z.object({ ...form, text: texts('title', 'name', 'structure', 'submit', 'back'), required: texts('name', 'structure'), values: values({ name: '', structure: '' }) }),
};

export const centreSchemas = {
  queue: z.object({
    promptId: form.promptId,
    text: texts('title', 'refresh', 'leave', 'requestsTitle', 'requestsEmpty'),
    count: text,
    items: z.array(z.object({ line: text, late: z.boolean() })),
    open: z.array(z.object({ title: text, accountId: z.string().min(1) })),
    /** Requests beside the accounts (raccordement, BAL ORG, RPPS, changes), with their reference and state. */
    requests: z.array(text),
    done: z.array(z.object({ title: text, requestId: z.string().min(1) })),
  }),
  summary: z.object({
    ...form,
    text: texts('title', 'part', 'reason', 'validate', 'reject', 'back'),
    parts: z.array(choice).length(REJECT_PARTS.length),
    /** Duplicates and addresses to check, already sentences. */
    warnings: z.array(text),
    facts: z.array(userFact),
    values: values({ part: '', reason: '' }),
  }),
};

export const orientationData = (t: Translator, promptId: string) => ({ promptId, text: { ...pick(t, `${ns}:orientation`, ORIENTATION), step: step(t, 'orientation') } });

export function typesData(t: Translator, promptId: string) {
  const o = pick(t, `${ns}:orientation`, TYPES);
  return { promptId, text: { title: o.typesTitle, typePer: o.typePer, typeInt: o.typeInt, typeOrg: o.typeOrg, back: o.back } };
}

export function connectionData(t: Translator, view: CardView) {
  const text = pick(t, `${ns}:connection`, CONNECTION);
  return { ...formData(t, view), text, required: required(t, text, CONNECTION_REQUIRED), values: view.values };
}

export function regionData(t: Translator, view: CardView) {
  const text = pick(t, `${ns}:region`, ['title', 'region', 'submit'] as const);
  return { ...formData(t, view), text, required: required(t, text, ['region'] as const), regions: regionChoices(), values: view.values };
}

export const waysData = (t: Translator, promptId: string) => ({ promptId, text: pick(t, `${ns}:ways`, ['title', 'psc', 'pscHere', 'form', 'menu'] as const) });

/**
 * The form's notice, from what the step put in its values: `notice` = emailSuggestion (with
 * `suggestion`) or mss (with `mss`, and `mssBase` when the first choice was taken).
 */
/** `codeSpan`: the channel shows Markdown's code spans (not Teams' cards): the MSS address is one, never a link. */
export function formNoticeData(t: Translator, v: Record<string, string | undefined>, codeSpan = true): z.infer<typeof formNotice> {
  const f = (key: string, o?: Record<string, unknown>) => t(`${ns}:form.${key}`, o);
  if (v.notice === 'emailSuggestion' && v.suggestion) {
    const email = v.email ?? '';
    return {
      kind: 'emailSuggestion',
      text: f('emailSuggestion', { suggestion: plain(v.suggestion), email: plain(email) }),
      suggestion: v.suggestion,
      useSuggestion: shortTitle(f('useSuggestion', { suggestion: v.suggestion })),
      keepEmail: shortTitle(f('keepEmail', { email })),
    };
  }
  if (v.notice === 'mss' && v.mss) {
    const text = v.mssBase && v.mssBase !== v.mss ? f('mssNumbered', { mss: literal(v.mss, codeSpan), base: literal(v.mssBase, codeSpan) }) : f('mssPreview', { mss: literal(v.mss, codeSpan) });
    return { kind: 'mss', text, mss: v.mss, confirm: f('confirmMss') };
  }
  return { kind: 'none' };
}

export function medimailFormData(t: Translator, view: CardView, codeSpan = true) {
  const text = { ...pick(t, `${ns}:form`, FORM), step: step(t, 'form') };
  return {
    ...formData(t, view),
    text,
    required: required(t, text, FORM_REQUIRED),
    professions: professionChoices(t),
    values: { ...view.values, emailChecked: view.values.emailChecked ?? '' },
    notice: formNoticeData(t, view.values, codeSpan),
  };
}

export const waitingData = (t: Translator, promptId: string, stepName: string, message: string, actions: { title: string; verb: string }[]) => ({
  promptId,
  step: step(t, stepName),
  message,
  actions,
});

export function resendConfirmationData(t: Translator, view: CardView, from: string) {
  const c = pick(t, `${ns}:confirm`, ['resendTitle', 'email', 'resend', 'back'] as const);
  return {
    ...formData(t, view),
    text: { title: c.resendTitle, email: c.email, resend: c.resend, back: c.back },
    required: { email: requiredMessage(t, c.email) },
    resendText: t(`${ns}:confirm.resendText`, { from: plain(from) }),
    values: { ...view.values, emailChecked: view.values.emailChecked ?? '' },
    notice: formNoticeData(t, view.values),
  };
}

export const pathData = (t: Translator, promptId: string) => ({
  promptId,
  text: { step: step(t, 'finalise'), title: t(`${ns}:finalise.choose`), ...pick(t, `${ns}:finalise`, ['rpps', 'structure'] as const) },
});

export function finaliseData(t: Translator, view: CardView, path: 'rpps' | 'structure') {
  const text = { ...pick(t, `${ns}:finalise`, FINALISE), step: step(t, 'finalise') };
  return {
    ...formData(t, view),
    path,
    text,
    required: required(t, { ...text, rpps: text.rppsField }, FINALISE_REQUIRED),
    professions: professionChoices(t),
    specialties: medimailSpecialtyChoices(t),
    values: view.values,
  };
}

export function finaliseRecapData(t: Translator, view: CardView, facts: z.input<typeof userFact>[], warnings: string[] = []) {
  const text = { ...pick(t, `${ns}:finalise`, ['region', 'department', 'validate', 'edit'] as const), step: step(t, 'finalise'), title: t(`${ns}:finalise.recapTitle`) };
  return {
    ...formData(t, view),
    text,
    required: required(t, text, ['region', 'department'] as const),
    facts,
    warnings,
    regions: regionChoices(),
    departments: departmentChoices(),
    values: view.values,
  };
}

export interface MedimailHubView {
  /** Dates as ISO strings: the view is kept in the dialog's state between turns. */
  account?: { status: string; mssAddress: string; submittedAt?: string; rejectReason?: string; rejectPart?: RejectPart; rppsRequestedAt?: string };
  actions: MedimailAction[];
}

export function medimailHubData(t: Translator, promptId: string, view: MedimailHubView, codeSpan = true) {
  const h = (key: string, o?: Record<string, unknown>) => t(`${ns}:hub.${key}`, o);
  const account = view.account;
  return {
    promptId,
    text: { title: h('title'), none: h('none') },
    address: account ? h('address', { mss: literal(account.mssAddress, codeSpan) }) : '',
    status: account
      ? [
          h(`status${account.status}`, { date: account.submittedAt ? longDateTime(t, new Date(account.submittedAt)) : '', reason: plain(account.rejectReason ?? ''), what: t(`${ns}:refused.${account.rejectPart ?? 'unknown'}`) }),
          ...(account.rppsRequestedAt ? [h('rppsPending', { date: longDateTime(t, new Date(account.rppsRequestedAt)) })] : []),
        ].join(' ')
      : '',
    // Over 5, the service centre's contacts give way: « conseiller » and the questions still reach them.
    actions: (view.actions.length > MAX_ACTIONS ? view.actions.filter((verb) => verb !== 'support') : view.actions).slice(0, MAX_ACTIONS).map((verb) => ({ title: h(verb), verb })),
  };
}

export function rppsUpdateData(t: Translator, view: CardView) {
  const text = pick(t, `${ns}:rpps`, ['title', 'field', 'submit', 'back'] as const);
  return { ...formData(t, view), text, required: { rpps: requiredMessage(t, text.field) }, values: view.values };
}

export function orgMailboxData(t: Translator, view: CardView) {
  const text = pick(t, `${ns}:org`, ['title', 'name', 'structure', 'submit', 'back'] as const);
  return { ...formData(t, view), text, required: required(t, text, ['name', 'structure'] as const), values: view.values };
}

// ---- the service centre's desk ----

export interface AgentQueueItem {
  id: string;
  name: string;
  profession: string;
  specialty?: string;
  /** Department code (and so its region), once the account is finalised. */
  department?: string;
  liberal?: boolean;
  hours: number;
  /** A duplicate or an address to check: the line says so. */
  flagged?: boolean;
}

/** « Haute-Garonne (31), Occitanie » */
const placeOf = (code: string | undefined) => {
  const d = code ? department(code) : undefined;
  return d ? `${d.name} (${d.code}), ${d.regionName}` : '';
};

/** A request beside the accounts as the desk lists it. */
export interface AgentRequestItem {
  id: string;
  reference: string;
  type: string;
  /** ISO date of reception. */
  createdAt: string;
  detail: Record<string, string | undefined>;
}

/** What a request is about, in a few words: the structure, or the account's address. */
const requestWhat = (r: AgentRequestItem) => [r.detail.structure ?? r.detail.name ?? r.detail.mssAddress, r.detail.structureId ? `${r.detail.structureKind ?? ''} ${r.detail.structureId}`.trim() : r.detail.rpps].filter(Boolean).join(', ');

export function agentQueueData(t: Translator, promptId: string, items: AgentQueueItem[], requests: AgentRequestItem[] = []) {
  const a = (key: string, o?: Record<string, unknown>) => t(`${ns}:agent.${key}`, o);
  return {
    promptId,
    text: { title: a('title'), refresh: a('refresh'), leave: a('leave'), requestsTitle: a('requestsTitle'), requestsEmpty: a('requestsEmpty') },
    requests: requests.map((r, i) =>
      `${plain(`${i + 1}. `)}${a('requestLine', { reference: r.reference, type: t(`${ns}:mail.centre.${r.type}`), what: plain(requestWhat(r)), date: longDateTime(t, new Date(r.createdAt)) })}`,
    ),
    done: requests.slice(0, 3).map((r) => ({ title: shortTitle(a('requestDone', { reference: r.reference })), requestId: r.id })),
    count: items.length ? a('count', { count: items.length }) : a('empty'),
    items: items.map((item, i) => {
      const late = item.hours > 48;
      const liberal = item.liberal ? ` (${t(`${ns}:agent.liberal`).toLowerCase()})` : '';
      const line = a(late ? 'late' : 'item', {
        name: plain(displayName(item.name)),
        profession: t(`${ns}:profession.${item.profession}`),
        specialty: `${item.specialty ? ` — ${specialtyLabel(t, item.specialty)}` : ''}${liberal}`,
        place: placeOf(item.department),
        hours: Math.floor(item.hours),
      });
      // « 2. » at the start of a block is a Markdown list, numbered 1 by the chat: the number is escaped.
      return { late, line: `${plain(`${i + 1}. `)}${item.flagged ? a('flagged', { line }) : line}` };
    }),
    open: items.slice(0, 3).map((item, i) => ({ title: shortTitle(`${a('open')} ${i + 1} — ${displayName(item.name)}`), accountId: item.id })),
  };
}

/** The concerns of an account as sentences for the agent. */
export function concernTexts(t: Translator, concerns: MedimailConcern[]): string[] {
  const status = (s: string) => t(`${ns}:agent.status.${s}`);
  return concerns.map((c) =>
    c.kind === 'borderlineAddress'
      ? t(`${ns}:agent.concern.${c.reason}`)
      : t(`${ns}:agent.concern.${c.kind}`, { mss: plain(c.mssAddress), status: status(c.status), rpps: c.kind === 'duplicateRpps' ? c.rpps : '' }),
  );
}

export function agentSummaryData(t: Translator, view: CardView, account: MedimailAccountView, warnings: string[] = [], codeSpan = true) {
  const a = (key: string, o?: Record<string, unknown>) => t(`${ns}:agent.${key}`, o);
  const d = account.details;
  const yesNo = (v: boolean | undefined) => t(v ? `${ns}:finalise.yes` : `${ns}:finalise.no`);
  const facts = [
    { title: a('mss'), value: account.mssAddress, literal: true, codeSpan },
    { title: a('email'), value: account.email },
    ...(d
      ? [
          { title: a('identification'), value: d.path === 'rpps' ? a('rppsValue', { value: d.rpps }) : a('structureValue', { kind: d.structureKind, value: d.structureId }) },
          { title: t(`${ns}:finalise.profession`), value: t(`${ns}:profession.${d.profession}`) },
          ...(d.specialty ? [{ title: a('specialty'), value: specialtyLabel(t, d.specialty) }] : []),
          { title: a('liberal'), value: yesNo(d.liberal) },
          { title: a('place'), value: [d.raisonSociale, d.service, d.address, `${d.postalCode} ${d.city}`].filter(Boolean).join(', ') },
          { title: a('region'), value: placeOf(d.department) },
          { title: a('phones'), value: [d.phone, d.phone2].filter((p): p is string => Boolean(p)).map(formatPhone).join(' / ') },
          { title: a('options'), value: `${yesNo(d.directoryVisible)} / ${yesNo(d.dematerialisation)}` },
        ]
      : []),
  ].map((f) => ({ ...f, value: f.value ?? '' }));
  return {
    ...formData(t, view),
    text: { title: a('summary', { name: plain(displayName(`${account.firstName} ${account.lastName}`)) }), ...pick(t, `${ns}:agent`, ['part', 'reason', 'validate', 'reject', 'back'] as const) },
    // What the user's correction will open: the agent's choice, with the reason.
    parts: REJECT_PARTS.map((value) => ({ title: a(`parts.${value}`), value })),
    warnings,
    facts,
    values: view.values,
  };
}
