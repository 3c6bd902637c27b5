import type { Translator } from '../i18n';
import { SPECIALTIES } from '../services/accreditation/specialties';
import { DEPARTMENTS, REGIONS } from '../services/geography';
import { card, plain, submit, text, type AdaptiveCard, type CardElement } from './adaptive';
import { choice, errorSummary, input, withError, type CardView } from './form';
import { dateTime } from './format';

// Every card of the accreditation journey (knowledge.md §1, seed 000). Pure builders: data in, card out.

const ns = (t: Translator) => (key: string, options?: Record<string, unknown>) => t(`accreditation:${key}`, options);

const stepHeader = (t: Translator, step: 'request' | 'signin', title: string): CardElement[] => [
  text(t(`accreditation:step.${step}`), { isSubtle: true, size: 'small', spacing: 'none' }),
  text(title, { size: 'medium', weight: 'bolder', style: 'heading', spacing: 'none' }),
];

export function specialtyChoices(t: Translator): { title: string; value: string }[] {
  return SPECIALTIES.map((s) => ({ title: t(`accreditation:specialty.${s.code}`), value: s.code }));
}

export function entryCard(t: Translator, promptId: string): AdaptiveCard {
  const a = ns(t);
  return card(
    [text(a('entry.title'), { size: 'medium', weight: 'bolder', style: 'heading' }), text(a('entry.intro')), text(a('entry.next'), { weight: 'bolder' })],
    [submit(a('entry.register'), 'register', promptId), submit(a('entry.signin'), 'signin', promptId), submit(a('entry.status'), 'status', promptId)],
  );
}

export function eligibilityCard(t: Translator, view: CardView): AdaptiveCard {
  const a = ns(t);
  const yesNo = [
    { title: a('eligibility.yes'), value: 'yes' },
    { title: a('eligibility.no'), value: 'no' },
  ];
  return card(
    [
      ...stepHeader(t, 'request', a('eligibility.title')),
      ...errorSummary(t, view.errors),
      ...withError(choice(t, 'physician', a('eligibility.physician'), yesNo, view, { style: 'expanded', value: 'yes' }), view.errors),
      ...withError(choice(t, 'specialty', a('eligibility.specialty'), [...specialtyChoices(t), { title: a('eligibility.specialtyOther'), value: 'other' }], view), view.errors),
      ...withError(
        choice(t, 'interventional', a('eligibility.interventional'), [...yesNo, { title: a('eligibility.unsure'), value: 'unsure' }], view, { style: 'expanded', value: 'yes' }),
        view.errors,
      ),
      text(a('eligibility.interventionalHelp'), { isSubtle: true, size: 'small', spacing: 'none' }),
      ...withError(
        choice(
          t,
          'establishment',
          a('eligibility.establishment'),
          [{ title: a('eligibility.yes'), value: 'yes' }, { title: a('eligibility.cabinetOnly'), value: 'no' }, { title: a('eligibility.unsure'), value: 'unsure' }],
          view,
          { style: 'expanded', value: 'yes' },
        ),
        view.errors,
      ),
      ...withError(
        choice(t, 'practice', a('eligibility.practice'), [{ title: a('eligibility.individual'), value: 'individual' }, { title: a('eligibility.team'), value: 'team' }], view, {
          style: 'expanded',
          value: 'individual',
        }),
        view.errors,
      ),
      text(a('eligibility.teamNote'), { isSubtle: true, size: 'small', spacing: 'none' }),
    ],
    [submit(a('eligibility.submit'), 'submit', view.promptId, { style: 'positive' })],
  );
}

export function notEligibleCard(t: Translator, promptId: string, reason: string): AdaptiveCard {
  const a = ns(t);
  return card([text(a(`notEligible.${reason}`)), text(a('notEligible.instead'))], [submit(a('notEligible.menu'), 'menu', promptId), submit(a('notEligible.continue'), 'continue', promptId)]);
}

/** The values a registration card may carry besides its inputs, to show a notice. */
export interface RegistrationNotice {
  notice?: 'badKey' | 'nationalId' | 'emailSuggestion';
  value?: string;
  rpps?: string;
  suggestion?: string;
}

export function registrationCard(t: Translator, view: CardView, notice: RegistrationNotice): AdaptiveCard {
  const a = ns(t);
  const body: CardElement[] = [
    ...stepHeader(t, 'request', a('form.title')),
    text(a('form.intro'), { isSubtle: true }),
    ...errorSummary(t, view.errors),
    ...withError(
      choice(t, 'civility', a('form.civility'), [
        { title: a('form.civilityDr'), value: 'dr' },
        { title: a('form.civilityMme'), value: 'mme' },
        { title: a('form.civilityM'), value: 'm' },
      ], view, { value: 'dr' }),
      view.errors,
    ),
    ...withError(input(t, 'lastName', a('form.lastName'), view, { isRequired: true, maxLength: 80, placeholder: a('form.nameExample') }), view.errors),
    ...withError(input(t, 'firstName', a('form.firstName'), view, { isRequired: true, maxLength: 80, placeholder: a('form.firstNameExample') }), view.errors),
    ...withError(input(t, 'identifier', a('form.identifier'), view, { isRequired: true, maxLength: 20, placeholder: a('form.identifierExample') }), view.errors),
  ];
  if (notice.notice === 'badKey') {
    body.push(text(a('form.badKey', { value: notice.value }), { color: 'warning' }));
    body.push({ type: 'Input.Toggle', id: 'confirmKey', title: a('form.confirmKey'), value: 'false', valueOn: 'true', valueOff: 'false', wrap: true });
  }
  if (notice.notice === 'nationalId') body.push(text(a('form.nationalId', { value: notice.value, rpps: notice.rpps }), { color: 'warning' }));
  body.push(
    ...withError(choice(t, 'specialty', a('form.specialty'), specialtyChoices(t), view), view.errors),
    ...withError(input(t, 'email', a('form.email'), view, { isRequired: true, style: 'email', maxLength: 254, placeholder: a('form.emailExample') }), view.errors),
    ...withError(input(t, 'emailConfirm', a('form.emailConfirm'), view, { isRequired: true, style: 'email', maxLength: 254 }), view.errors),
    text(a('form.emailWarning'), { isSubtle: true, size: 'small', spacing: 'none' }),
  );
  const actions = [];
  if (notice.notice === 'emailSuggestion' && notice.suggestion) {
    body.push(text(a('form.emailSuggestion', { suggestion: plain(notice.suggestion), email: plain(view.values.email ?? '') }), { color: 'warning' }));
    actions.push(submit(a('form.useSuggestion', { suggestion: notice.suggestion }), 'useSuggestion', view.promptId, { style: 'positive' }, { suggestion: notice.suggestion }));
    actions.push(submit(a('form.keepEmail', { email: view.values.email ?? '' }), 'submit', view.promptId, {}, { emailChecked: view.values.email ?? '' }));
  } else {
    actions.push(submit(a('form.submit'), 'submit', view.promptId, { style: 'positive' }, { emailChecked: view.values.emailChecked ?? '' }));
  }
  return card(body, actions);
}

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
] as const;
export type HubAction = (typeof HUB_ACTIONS)[number];

export type HubNext = 'nextSignin' | 'nextAdminFile' | 'nextQuestionnaire' | 'waiting' | 'toComplete' | 'refused' | 'engaged';

export interface HubView {
  promptId: string;
  signedInAs?: { civility: string; firstName: string; lastName: string };
  history: { type: string; detail?: string; at: string }[];
  next?: HubNext;
  /** What the next step's sentence needs: the OA's name (undefined: "the OA of your specialty"), dates, the expert's words. */
  about?: { oa?: string; date?: string; comment?: string };
  actions: HubAction[];
}

/** "Où en suis-je ?": what was done when, the next step, and the next actions as buttons. */
export function hubCard(t: Translator, view: HubView): AdaptiveCard {
  const a = ns(t);
  const body: CardElement[] = [text(a('hub.title'), { size: 'medium', weight: 'bolder', style: 'heading' })];
  if (view.signedInAs) {
    const { civility, firstName, lastName } = view.signedInAs;
    body.push(text(a('hub.signedInAs', { name: plain(`${t(`mail:civility.${civility}`)} ${firstName} ${lastName}`) }), { isSubtle: true }));
  }
  if (view.history.length === 0) body.push(text(a('hub.none')));
  else body.push({ type: 'FactSet', facts: view.history.map((h) => ({ title: dateTime(t, new Date(h.at)), value: a(`hub.event.${h.type}`, { detail: h.detail ?? '' }) })) });
  if (view.next) {
    const params = {
      oa: view.about?.oa ?? a('hub.yourOa'),
      date: view.about?.date ? dateTime(t, new Date(view.about.date)) : '',
      comment: plain(view.about?.comment ?? ''),
    };
    const sentence = a(`hub.${view.next}`, params);
    body.push(text(view.next.startsWith('next') ? a('hub.next', { step: sentence }) : sentence, { weight: 'bolder' }));
  }
  return card(body, view.actions.map((verb) => submit(a(`hub.${verb}`), verb, view.promptId)));
}

export function resendCard(t: Translator, view: CardView, last: { date: string; maskedEmail: string }, canChangeEmail: boolean): AdaptiveCard {
  const a = ns(t);
  const body: CardElement[] = [
    text(a('resend.title'), { size: 'medium', weight: 'bolder', style: 'heading' }),
    ...(last.date ? [text(a('resend.sent', { date: last.date, email: last.maskedEmail }))] : []),
    text(a(canChangeEmail ? 'resend.spam' : 'resend.onFile')),
    ...errorSummary(t, view.errors),
  ];
  if (canChangeEmail) body.push(...withError(input(t, 'email', a('resend.email'), view, { isRequired: true, style: 'email', maxLength: 254 }), view.errors));
  return card(body, [submit(a('resend.submit'), 'submit', view.promptId, { style: 'positive' }), submit(a('resend.back'), 'back', view.promptId)]);
}

/** "Je n'ai pas reçu le mail" where the conversation holds no request (a new device, after signing out): by number. */
export function resendByNumberCard(t: Translator, view: CardView): AdaptiveCard {
  const a = ns(t);
  const body: CardElement[] = [
    text(a('resend.title'), { size: 'medium', weight: 'bolder', style: 'heading' }),
    text(a('resend.byNumber')),
    ...errorSummary(t, view.errors),
    ...withError(input(t, 'identifier', a('form.identifier'), view, { isRequired: true, maxLength: 20, placeholder: '10100326494' }), view.errors),
  ];
  // « Retour » leaves without the number: the field's own check must not hold it back.
  return card(body, [submit(a('resend.submit'), 'submit', view.promptId, { style: 'positive' }), submit(a('resend.back'), 'back', view.promptId, { associatedInputs: 'none' })]);
}

export function signInWaitCard(t: Translator, promptId: string): AdaptiveCard {
  const a = ns(t);
  return card(
    [...stepHeader(t, 'signin', a('entry.signin')), text(a('signin.waiting'))],
    [submit(a('signin.newLink'), 'newLink', promptId), submit(a('signin.resend'), 'resend', promptId), submit(a('signin.back'), 'back', promptId)],
  );
}

function departmentChoices(): { title: string; value: string }[] {
  return DEPARTMENTS.map((d) => ({ title: `${d.code} — ${d.name}`, value: d.code }));
}

function regionChoices(): { title: string; value: string }[] {
  return REGIONS.map((r) => ({ title: r.name, value: r.code }));
}

export function adminFileCard(t: Translator, view: CardView): AdaptiveCard {
  const a = ns(t);
  const optional = { isRequired: false };
  return card(
    [
      ...stepHeader(t, 'signin', a('adminFile.title')),
      text(a('adminFile.intro'), { isSubtle: true }),
      ...errorSummary(t, view.errors),
      ...withError(input(t, 'address', a('adminFile.address'), view, { isRequired: true, maxLength: 200, placeholder: a('adminFile.addressExample') }), view.errors),
      ...withError(input(t, 'addressMore', a('adminFile.addressMore'), view, { maxLength: 200 }), view.errors),
      ...withError(input(t, 'postalCode', a('adminFile.postalCode'), view, { isRequired: true, maxLength: 5, placeholder: a('adminFile.postalCodeExample') }), view.errors),
      ...withError(input(t, 'city', a('adminFile.city'), view, { isRequired: true, maxLength: 100, placeholder: a('adminFile.cityExample') }), view.errors),
      ...withError(choice(t, 'cpamDepartment', a('adminFile.cpamDepartment'), departmentChoices(), view), view.errors),
      ...withError(choice(t, 'crfmcRegion', a('adminFile.crfmcRegion'), regionChoices(), view), view.errors),
      ...withError(
        choice(t, 'practiceMode', a('adminFile.practiceMode'), [
          { title: a('adminFile.liberal'), value: 'liberal' },
          { title: a('adminFile.salaried'), value: 'salaried' },
          { title: a('adminFile.mixed'), value: 'mixed' },
        ], view, { style: 'expanded' }),
        view.errors,
      ),
      ...withError(choice(t, 'urmlRegion', a('adminFile.urmlRegion'), regionChoices(), view, optional), view.errors),
      ...[1, 2, 3].flatMap((n) => [
        ...withError(
          input(t, `establishment${n}`, a(n === 1 ? 'adminFile.establishment' : 'adminFile.establishmentOptional', { n }), view, {
            isRequired: n === 1,
            maxLength: 150,
            placeholder: n === 1 ? a('adminFile.establishmentExample') : undefined,
          }),
          view.errors,
        ),
        ...withError(input(t, `finess${n}`, a('adminFile.finess'), view, { maxLength: 12, placeholder: n === 1 ? a('adminFile.finessExample') : undefined }), view.errors),
      ]),
      ...withError(input(t, 'mobile', a('adminFile.mobile'), view, { style: 'tel', maxLength: 20, placeholder: a('adminFile.mobileExample') }), view.errors),
    ],
    [submit(a('adminFile.submit'), 'submit', view.promptId, { style: 'positive' }), submit(a('signin.back'), 'back', view.promptId)],
  );
}

/** The recap before saving; the department deduced from the postal code is confirmed here. */
export function adminRecapCard(t: Translator, view: CardView, facts: { title: string; value: string }[]): AdaptiveCard {
  const a = ns(t);
  return card(
    [
      ...stepHeader(t, 'signin', a('adminFile.recapTitle')),
      { type: 'FactSet', facts: facts.map((f) => ({ title: f.title, value: plain(f.value) })) },
      choice(t, 'department', a('adminFile.department'), departmentChoices(), view),
    ],
    [submit(a('adminFile.save'), 'save', view.promptId, { style: 'positive' }), submit(a('adminFile.edit'), 'edit', view.promptId)],
  );
}
