import { z } from 'zod';
import type { Translator } from '../i18n';
import { PROFESSIONS } from '../services/medimail/mssAddress';
import type { MedimailAccountView } from '../services/medimail/medimail';
import { plain } from './adaptive';
import { departmentChoices, regionChoices, specialtyChoices } from './accreditation';
import type { CardView } from './form';
import { longDateTime } from '../dates';
import { action, choice, fact, form, formData, pick, requiredMessage, text, texts, userText, values } from './schema';

// The data of every card of the Medimail journey (seed 003, knowledge.md §2, templates/medimail/)
// and of the service centre's desk (templates/centre/).

const ns = 'medimail';
const required = <K extends string>(t: Translator, labels: Record<K, string>, ids: readonly K[]) =>
  Object.fromEntries(ids.map((id) => [id, requiredMessage(t, labels[id])])) as Record<K, string>;
const step = (t: Translator, s: string) => t(`${ns}:step.${s}`);

/** The longest a button title may be: Web Chat cuts longer ones with « … » at 390 px. */
export const MAX_ACTION_TITLE = 34;
/** A title carrying a name (« Ouvrir 1 — … »), cut by us rather than by the chat. */
export const shortTitle = (title: string) => (title.length > MAX_ACTION_TITLE ? `${title.slice(0, MAX_ACTION_TITLE - 1).trimEnd()}…` : title);

export const professionChoices = (t: Translator) => PROFESSIONS.map((p) => ({ title: t(`${ns}:profession.${p.code}`), value: p.code }));

const ORIENTATION = ['title', 'what', 'who', 'question', 'individual', 'structureWants', 'structureHas', 'types'] as const;
const TYPES = ['typesTitle', 'typePer', 'typeInt', 'typeOrg', 'back'] as const;
const CONNECTION_REQUIRED = ['structure', 'structureId', 'contactName', 'contactEmail'] as const;
const CONNECTION = [...CONNECTION_REQUIRED, 'title', 'structureExample', 'structureIdExample', 'contactPhone', 'submit', 'back'] as const;
const FORM_REQUIRED = ['lastName', 'firstName', 'email', 'profession'] as const;
const FORM = [...FORM_REQUIRED, 'title', 'lastNameExample', 'firstNameExample', 'emailExample', 'nominative', 'confirmNominative', 'submit'] as const;
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

export const MEDIMAIL_HUB_ACTIONS = ['start', 'firstSignIn', 'finalise', 'fixAndResend', 'resend', 'gotRpps', 'edit', 'org', 'support', 'menu'] as const;
export type MedimailHubAction = (typeof MEDIMAIL_HUB_ACTIONS)[number];

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
    /** The warning on a role address ("secretariat@…"), its address escaped; '' when the address is nominative. */
    roleAddress: z.string(),
    values: values({ lastName: '', firstName: '', email: '', profession: '' }),
  }),
  /** A step that waits for something done elsewhere (a page, a mail), with what the user can do meanwhile. */
  waiting: z.object({ promptId: form.promptId, step: text, message: text, actions: z.array(action) }),
  resendConfirmation: z.object({ ...form, text: texts('title', 'email', 'resend', 'back'), required: texts('email'), resendText: text, values: values({ email: '' }) }),
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
    required: texts('region', 'department'),
    facts: z.array(fact.extend({ value: userText })),
    regions: z.array(choice).min(1),
    departments: z.array(choice).min(1),
    values: values({ region: '', department: '' }),
  }),
  hub: z.object({ promptId: form.promptId, text: texts('title', 'none'), address: z.string(), status: z.string(), actions: z.array(action) }),
  rppsUpdate: z.object({ ...form, text: texts('title', 'field', 'submit', 'back'), required: texts('rpps'), values: values({ rpps: '' }) }),
  orgMailbox: z.object({ ...form, text: texts('title', 'name', 'structure', 'submit', 'back'), required: texts('name', 'structure'), values: values({ name: '', structure: '' }) }),
};

export const centreSchemas = {
  queue: z.object({
    promptId: form.promptId,
    text: texts('title', 'refresh', 'leave'),
    count: text,
    items: z.array(z.object({ line: text, late: z.boolean() })),
    open: z.array(z.object({ title: text, accountId: z.string().min(1) })),
  }),
  summary: z.object({ ...form, text: texts('title', 'reason', 'validate', 'reject', 'back'), facts: z.array(fact.extend({ value: userText })), values: values({ reason: '' }) }),
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

export function medimailFormData(t: Translator, view: CardView, roleAddress: boolean) {
  const text = { ...pick(t, `${ns}:form`, FORM), step: step(t, 'form') };
  return {
    ...formData(t, view),
    text,
    required: required(t, text, FORM_REQUIRED),
    professions: professionChoices(t),
    roleAddress: roleAddress ? t(`${ns}:form.roleAddress`, { email: plain(view.values.email ?? '') }) : '',
    values: view.values,
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
    values: view.values,
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
    specialties: specialtyChoices(t),
    values: view.values,
  };
}

export function finaliseRecapData(t: Translator, view: CardView, facts: { title: string; value: string }[]) {
  const text = { ...pick(t, `${ns}:finalise`, ['region', 'department', 'validate', 'edit'] as const), step: step(t, 'finalise'), title: t(`${ns}:finalise.recapTitle`) };
  return {
    ...formData(t, view),
    text,
    required: required(t, text, ['region', 'department'] as const),
    facts,
    regions: regionChoices(),
    departments: departmentChoices(),
    values: view.values,
  };
}

export interface MedimailHubView {
  account?: { status: string; mssAddress: string; submittedAt?: string; rejectReason?: string };
  actions: MedimailHubAction[];
}

export function medimailHubData(t: Translator, promptId: string, view: MedimailHubView) {
  const h = (key: string, o?: Record<string, unknown>) => t(`${ns}:hub.${key}`, o);
  const account = view.account;
  return {
    promptId,
    text: { title: h('title'), none: h('none') },
    address: account ? h('address', { mss: account.mssAddress }) : '',
    status: account
      ? h(`status${account.status}`, { date: account.submittedAt ? longDateTime(t, new Date(account.submittedAt)) : '', reason: plain(account.rejectReason ?? '') })
      : '',
    actions: view.actions.map((verb) => ({ title: h(verb), verb })),
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
  hours: number;
}

export function agentQueueData(t: Translator, promptId: string, items: AgentQueueItem[]) {
  const a = (key: string, o?: Record<string, unknown>) => t(`${ns}:agent.${key}`, o);
  return {
    promptId,
    text: { title: a('title'), refresh: a('refresh'), leave: a('leave') },
    count: items.length ? a('count', { count: items.length }) : a('empty'),
    items: items.map((item, i) => {
      const late = item.hours > 48;
      return { late, line: `${i + 1}. ${a(late ? 'late' : 'item', { name: plain(item.name), profession: t(`${ns}:profession.${item.profession}`), hours: Math.floor(item.hours) })}` };
    }),
    open: items.slice(0, 5).map((item, i) => ({ title: shortTitle(`${a('open')} ${i + 1} — ${item.name}`), accountId: item.id })),
  };
}

export function agentSummaryData(t: Translator, view: CardView, account: MedimailAccountView) {
  const a = (key: string, o?: Record<string, unknown>) => t(`${ns}:agent.${key}`, o);
  const d = account.details;
  const yesNo = (v: boolean | undefined) => t(v ? `${ns}:finalise.yes` : `${ns}:finalise.no`);
  const facts = [
    { title: a('mss'), value: account.mssAddress },
    { title: a('email'), value: account.email },
    ...(d
      ? [
          { title: a('identification'), value: d.path === 'rpps' ? a('rppsValue', { value: d.rpps }) : a('structureValue', { kind: d.structureKind, value: d.structureId }) },
          { title: t(`${ns}:finalise.profession`), value: `${t(`${ns}:profession.${d.profession}`)}${d.specialty ? ` — ${t(`accreditation:specialty.${d.specialty}`)}` : ''}` },
          { title: a('place'), value: [d.raisonSociale, d.service, d.address, `${d.postalCode} ${d.city}`].filter(Boolean).join(', ') },
          { title: a('phones'), value: [d.phone, d.phone2].filter(Boolean).join(' / ') },
          { title: a('options'), value: `${yesNo(d.directoryVisible)} / ${yesNo(d.dematerialisation)}` },
        ]
      : []),
  ].map((f) => ({ title: f.title, value: f.value ?? '' }));
  return {
    ...formData(t, view),
    text: { title: a('summary', { name: plain(`${account.firstName} ${account.lastName}`) }), ...pick(t, `${ns}:agent`, ['reason', 'validate', 'reject', 'back'] as const) },
    facts,
    values: view.values,
  };
}
