import { z } from 'zod';
import type { Translator } from '../i18n';
import { SPECIALTIES } from '../services/accreditation/specialties';
import { DEPARTMENTS, REGIONS } from '../services/geography';
import { plain } from './adaptive';
import type { CardView } from './form';
import { longDateTime, longDay } from '../dates';
import { shortTitle } from './medimail';
import { action, choice, fact, form, formData, pick, requiredMessage, text, texts, userText, values } from './schema';

// The data of every card of the accreditation journey (knowledge.md §1, seed 000): the schema each
// template reads (templates/accreditation/*.json) and the data a dialog gives it, translated.

const ns = 'accreditation';
const required = <K extends string>(t: Translator, labels: Record<K, string>) =>
  Object.fromEntries(Object.entries<string>(labels).map(([id, label]) => [id, requiredMessage(t, label)])) as Record<K, string>;

export function specialtyChoices(t: Translator): { title: string; value: string }[] {
  return SPECIALTIES.map((s) => ({ title: t(`accreditation:specialty.${s.code}`), value: s.code }));
}
export const departmentChoices = () => DEPARTMENTS.map((d) => ({ title: `${d.code} — ${d.name}`, value: d.code }));
export const regionChoices = () => REGIONS.map((r) => ({ title: r.name, value: r.code }));

const ENTRY = ['title', 'intro', 'next', 'register', 'signin', 'status'] as const;
const ELIGIBILITY_FIELDS = ['physician', 'specialty', 'interventional', 'establishment', 'practice'] as const;
const ELIGIBILITY = [...ELIGIBILITY_FIELDS, 'title', 'yes', 'no', 'unsure', 'interventionalHelp', 'cabinetOnly', 'individual', 'team', 'teamNote', 'submit'] as const;
const REGISTRATION_REQUIRED = ['civility', 'lastName', 'firstName', 'identifier', 'specialty', 'email', 'emailConfirm'] as const;
const REGISTRATION = [
  ...REGISTRATION_REQUIRED,
  'title',
  'intro',
  'civilityDr',
  'civilityMme',
  'civilityM',
  'nameExample',
  'firstNameExample',
  'identifierExample',
  'emailExample',
  'emailWarning',
  'confirmKey',
  'submit',
] as const;
const ADMIN_REQUIRED = ['address', 'postalCode', 'city', 'cpamDepartment', 'crfmcRegion', 'practiceMode', 'establishment1'] as const;
const ADMIN = [
  'title',
  'intro',
  'address',
  'addressExample',
  'addressMore',
  'postalCode',
  'postalCodeExample',
  'city',
  'cityExample',
  'cpamDepartment',
  'crfmcRegion',
  'practiceMode',
  'liberal',
  'salaried',
  'mixed',
  'urmlRegion',
  'establishmentExample',
  'finess',
  'finessExample',
  'mobile',
  'mobileExample',
  'submit',
] as const;
const ADMIN_VALUES = {
  address: '',
  addressMore: '',
  postalCode: '',
  city: '',
  cpamDepartment: '',
  crfmcRegion: '',
  practiceMode: '',
  urmlRegion: '',
  establishment1: '',
  finess1: '',
  establishment2: '',
  finess2: '',
  establishment3: '',
  finess3: '',
  mobile: '',
};

export const HUB_ACTIONS = [
  'signin',
  'resend',
  'adminFile',
  'editAdminFile',
  'register',
  'signout',
  'menu',
  'questionnaire',
  'completeQuestionnaire',
  'readQuestionnaire',
  'attestation',
  'portal',
  'renew',
  'history',
  'contactOa',
] as const;
export type HubAction = (typeof HUB_ACTIONS)[number];
/** The status line: the request's status (src/services/accreditation/requestStatus.ts), as this reader may know it. */
export type HubLine =
  | 'none'
  | 'known'
  | 'evaluated'
  | 'CREDENTIALS_SENT'
  | 'SIGNED_IN'
  | 'FILE_COMPLETE'
  | 'QUESTIONNAIRE'
  | 'RENEWED'
  | 'SENT'
  | 'TO_COMPLETE'
  | 'ACCEPTED'
  | 'REFUSED';
export type HubNext =
  | 'nextSignin'
  | 'nextSigninPersonal'
  | 'nextSigninAny'
  | 'nextAdminFile'
  | 'nextQuestionnaire'
  | 'nextResume'
  | 'waiting'
  | 'toComplete'
  | 'refused'
  | 'engaged';

export const accreditationSchemas = {
  entry: z.object({ promptId: form.promptId, text: texts(...ENTRY) }),
  eligibility: z.object({
    ...form,
    text: texts(...ELIGIBILITY, 'step'),
    required: texts(...ELIGIBILITY_FIELDS),
    specialties: z.array(choice).min(1),
    values: values({ physician: 'yes', specialty: '', interventional: 'yes', establishment: 'yes', practice: 'individual' }),
  }),
  notEligible: z.object({ promptId: form.promptId, text: texts('verdict', 'reason', 'instead', 'menu', 'continue') }),
  registration: z.object({
    ...form,
    text: texts(...REGISTRATION, 'step'),
    required: texts(...REGISTRATION_REQUIRED),
    specialties: z.array(choice).min(1),
    values: values({ civility: 'dr', lastName: '', firstName: '', identifier: '', specialty: '', email: '', emailConfirm: '', emailChecked: '' }),
    /** A warning about what was typed, already a sentence (its user parts escaped). */
    notice: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }),
      z.object({ kind: z.enum(['badKey', 'nationalId']), text }),
      z.object({ kind: z.literal('emailSuggestion'), text, suggestion: z.string().min(1), useSuggestion: text, keepEmail: text }),
    ]),
  }),
  /** "Où en suis-je ?": the status in one line, what comes next (its action first), the history folded below. */
  hub: z.object({
    promptId: form.promptId,
    text: texts('title', 'historyTitle', 'documentsTitle'),
    signedInAs: z.string(),
    status: z.string().min(1),
    /** Each event as its date above its words (wrapped): a FactSet cuts long values at phone width. */
    history: z.array(fact),
    next: z.string(),
    /** The supporting documents the expert has, one sentence each (name and date). */
    documents: z.array(z.object({ text })),
    actions: z.array(action),
  }),
  resend: z.object({
    ...form,
    text: texts('title', 'advice', 'email', 'submit', 'back'),
    required: texts('email'),
    sent: z.string(),
    canChangeEmail: z.boolean(),
    values: values({ email: '' }),
  }),
  /** "Je n'ai pas reçu le mail" where the conversation holds no request: by number. */
  resendByNumber: z.object({ ...form, text: texts('title', 'byNumber', 'identifier', 'submit', 'back'), required: texts('identifier'), values: values({ identifier: '' }) }),
  /** Waiting for the secure page: never a card without a way back (« Où en suis-je ? », the menu). */
  signInWait: z.object({ promptId: form.promptId, text: texts('step', 'title', 'waiting', 'newLink', 'resend', 'back', 'menu') }),
  adminFile: z.object({
    ...form,
    text: texts(...ADMIN, 'step', 'back', 'establishment1', 'establishment2', 'establishment3'),
    required: texts(...ADMIN_REQUIRED),
    departments: z.array(choice).min(1),
    regions: z.array(choice).min(1),
    values: values(ADMIN_VALUES),
  }),
  /** The recap before saving; the department deduced from the postal code is confirmed here. */
  adminRecap: z.object({
    promptId: form.promptId,
    text: texts('step', 'title', 'department', 'save', 'edit'),
    required: texts('department'),
    /** Each line as a title above its value (wrapped): a FactSet cuts long values at phone width. */
    facts: z.array(fact.extend({ value: userText })),
    /** Asked only when the postal code and the CPAM's department disagree (a border commune); else it is a line above. */
    askDepartment: z.boolean(),
    departmentWhy: z.string(),
    departments: z.array(choice).min(1),
    values: values({ department: '' }),
  }),
};

const step = (t: Translator, s: 'request' | 'signin') => t(`accreditation:step.${s}`);

export const entryData = (t: Translator, promptId: string) => ({ promptId, text: pick(t, `${ns}:entry`, ENTRY) });

export function eligibilityData(t: Translator, view: CardView) {
  const text = { ...pick(t, `${ns}:eligibility`, ELIGIBILITY), step: step(t, 'request') };
  return {
    ...formData(t, view),
    text,
    required: required(t, pick(t, `${ns}:eligibility`, ELIGIBILITY_FIELDS)),
    specialties: [...specialtyChoices(t), { title: t('accreditation:eligibility.specialtyOther'), value: 'other' }],
    values: view.values,
  };
}

/** Not concerned: the verdict in one sentence, then why (D.4135-2) and what exists instead. */
export const notEligibleData = (t: Translator, promptId: string, reason: string, specialty?: string) => ({
  promptId,
  text: {
    verdict: t(`accreditation:eligibility.verdict.${reason}`, { specialty: specialty ? t(`accreditation:specialty.${specialty}`) : '' }),
    reason: t(`accreditation:notEligible.${reason}`),
    ...pick(t, `${ns}:notEligible`, ['instead', 'menu', 'continue'] as const),
  },
});

/** The values a registration card may carry besides its inputs, to show a notice. */
export interface RegistrationNotice {
  notice?: 'badKey' | 'nationalId' | 'emailSuggestion';
  value?: string;
  rpps?: string;
  suggestion?: string;
}

export function registrationData(t: Translator, view: CardView, notice: RegistrationNotice) {
  const a = (key: string, options?: Record<string, unknown>) => t(`${ns}:form.${key}`, options);
  const email = view.values.email ?? '';
  const shown =
    notice.notice === 'emailSuggestion' && notice.suggestion
      ? {
          kind: 'emailSuggestion' as const,
          text: a('emailSuggestion', { suggestion: plain(notice.suggestion), email: plain(email) }),
          suggestion: notice.suggestion,
          useSuggestion: shortTitle(a('useSuggestion', { suggestion: notice.suggestion })),
          keepEmail: shortTitle(a('keepEmail', { email })),
        }
      : notice.notice === 'badKey'
        ? { kind: 'badKey' as const, text: a('badKey', { value: plain(notice.value ?? '') }) }
        : notice.notice === 'nationalId'
          ? { kind: 'nationalId' as const, text: a('nationalId', { value: plain(notice.value ?? ''), rpps: plain(notice.rpps ?? '') }) }
          : { kind: 'none' as const };
  return {
    ...formData(t, view),
    text: { ...pick(t, `${ns}:form`, REGISTRATION), step: step(t, 'request') },
    required: required(t, pick(t, `${ns}:form`, REGISTRATION_REQUIRED)),
    specialties: specialtyChoices(t),
    values: view.values,
    notice: shown,
  };
}

export interface HubView {
  promptId: string;
  signedInAs?: { civility: string; firstName: string; lastName: string };
  /** The status line and what it needs: the OA's name (undefined: "the OA of your specialty"), a day, the questionnaire's progress. */
  line: HubLine;
  /** Shown only when asked (« Voir l'historique »): the status comes first. */
  history: { type: string; detail?: string; at: string }[];
  next?: HubNext;
  about?: { oa?: string; date?: string; comment?: string; current?: number; total?: number };
  /**
   * How « Contacter mon OA » reaches the OA, as Sésame truly knows it: its configured address, its
   * experts through Sésame (no address shown), or nobody yet (the ticket comes back to the physician).
   */
  contact?: { reach: 'address' | 'experts' | 'none'; address?: string };
  /** Supporting documents sent for this request (signed in only). */
  documents?: { name: string; at: string }[];
  /** The next step's action first. */
  actions: HubAction[];
}

export function hubData(t: Translator, view: HubView) {
  const a = (key: string, options?: Record<string, unknown>) => t(`${ns}:hub.${key}`, options);
  const oa = view.about?.oa ?? a('yourOa');
  const contact = view.contact ? a(`contact.${view.contact.reach}`, { oa, address: plain(view.contact.address ?? '') }) : '';
  const params = {
    oa,
    date: view.about?.date ? longDay(t, new Date(view.about.date)) : '',
    comment: plain(view.about?.comment ?? ''),
    current: view.about?.current ?? 0,
    total: view.about?.total ?? 0,
    contact,
  };
  let next = '';
  if (view.next) {
    const sentence = a(view.next, params);
    next = view.next.startsWith('next') ? a('next', { step: sentence }) : sentence;
  }
  const who = view.signedInAs;
  return {
    promptId: view.promptId,
    text: pick(t, `${ns}:hub`, ['title', 'historyTitle', 'documentsTitle'] as const),
    signedInAs: who ? a('signedInAs', { name: plain(`${t(`mail:civility.${who.civility}`)} ${who.firstName} ${who.lastName}`) }) : '',
    status: a(`line.${view.line}`, params),
    history: view.history.map((h) => ({ title: longDateTime(t, new Date(h.at)), value: a(`event.${h.type}`, { detail: plain(h.detail ?? '') }) })),
    next,
    documents: (view.documents ?? []).map((d) => ({ text: a('document', { name: plain(d.name), date: longDateTime(t, new Date(d.at)) }) })),
    actions: view.actions.map((verb, i) => ({ title: a(verb, params), verb, ...(i === 0 && verb !== 'menu' ? { style: 'positive' as const } : {}) })),
  };
}

export function resendData(t: Translator, view: CardView, last: { date: string; maskedEmail: string }, canChangeEmail: boolean) {
  const a = (key: string, options?: Record<string, unknown>) => t(`${ns}:resend.${key}`, options);
  return {
    ...formData(t, view),
    text: { ...pick(t, `${ns}:resend`, ['title', 'email', 'submit', 'back'] as const), advice: a(canChangeEmail ? 'spam' : 'onFile') },
    required: { email: requiredMessage(t, a('email')) },
    sent: last.date ? a('sent', { date: last.date, email: last.maskedEmail }) : '',
    canChangeEmail,
    values: view.values,
  };
}

export function resendByNumberData(t: Translator, view: CardView) {
  const identifier = t(`${ns}:form.identifier`);
  return {
    ...formData(t, view),
    text: { ...pick(t, `${ns}:resend`, ['title', 'byNumber', 'submit', 'back'] as const), identifier },
    required: { identifier: requiredMessage(t, identifier) },
    values: view.values,
  };
}

export const signInWaitData = (t: Translator, promptId: string) => ({
  promptId,
  text: {
    step: step(t, 'signin'),
    title: t(`${ns}:entry.signin`),
    ...pick(t, `${ns}:signin`, ['waiting', 'newLink', 'resend'] as const),
    back: t(`${ns}:hub.title`),
    menu: t(`${ns}:hub.menu`),
  },
});

export function adminFileData(t: Translator, view: CardView) {
  const text = {
    ...pick(t, `${ns}:adminFile`, ADMIN),
    step: step(t, 'signin'),
    back: t(`${ns}:signin.back`),
    establishment1: t(`${ns}:adminFile.establishment`, { n: 1 }),
    establishment2: t(`${ns}:adminFile.establishmentOptional`, { n: 2 }),
    establishment3: t(`${ns}:adminFile.establishmentOptional`, { n: 3 }),
  };
  return {
    ...formData(t, view),
    text,
    required: required(t, Object.fromEntries(ADMIN_REQUIRED.map((id) => [id, text[id]])) as Record<(typeof ADMIN_REQUIRED)[number], string>),
    departments: departmentChoices(),
    regions: regionChoices(),
    values: view.values,
  };
}

/**
 * The recap before saving. The department of the address is deduced from the postal code; it is asked
 * only when the CPAM's department, answered in the form, says otherwise (`doubt`): never twice.
 */
export function adminRecapData(
  t: Translator,
  view: CardView,
  facts: { title: string; value: string }[],
  doubt?: { postalCode: string; deduced: string; cpam: string },
) {
  const department = t(`${ns}:adminFile.department`);
  const named = (code: string) => {
    const found = DEPARTMENTS.find((d) => d.code === code);
    return found ? `${found.name} (${found.code})` : code;
  };
  return {
    promptId: view.promptId,
    text: { step: step(t, 'signin'), title: t(`${ns}:adminFile.recapTitle`), department, ...pick(t, `${ns}:adminFile`, ['save', 'edit'] as const) },
    required: { department: requiredMessage(t, department) },
    facts,
    askDepartment: Boolean(doubt),
    departmentWhy: doubt ? t(`${ns}:adminFile.departmentWhy`, { postalCode: plain(doubt.postalCode), deduced: named(doubt.deduced), cpam: named(doubt.cpam) }) : '',
    departments: departmentChoices(),
    values: view.values,
  };
}
