import type { Translator } from '../i18n';
import { SPECIALTIES } from '../services/accreditation/specialties';
import { PROFESSIONS } from '../services/medimail/mssAddress';
import type { MedimailAccountView } from '../services/medimail/medimail';
import { DEPARTMENTS, REGIONS } from '../services/geography';
import { card, plain, submit, text, type AdaptiveCard, type CardElement, type SubmitAction } from './adaptive';
import { choice, errorSummary, input, withError, type CardView } from './form';
import { dateTime } from './format';

// Every card of the Medimail journey (seed 003, knowledge.md §2) and of the service centre's desk.

const m = (t: Translator) => (key: string, options?: Record<string, unknown>) => t(`medimail:${key}`, options);

const header = (t: Translator, step: string, title: string): CardElement[] => [
  text(m(t)(`step.${step}`), { isSubtle: true, size: 'small', spacing: 'none' }),
  text(title, { size: 'medium', weight: 'bolder', style: 'heading', spacing: 'none' }),
];

export const professionChoices = (t: Translator) => PROFESSIONS.map((p) => ({ title: m(t)(`profession.${p.code}`), value: p.code }));

export function orientationCard(t: Translator, promptId: string): AdaptiveCard {
  return card(
    [...header(t, 'orientation', m(t)('orientation.title')), text(m(t)('orientation.what')), text(m(t)('orientation.who')), text(m(t)('orientation.question'), { weight: 'bolder' })],
    [
      submit(m(t)('orientation.individual'), 'individual', promptId, { style: 'positive' }),
      submit(m(t)('orientation.structureWants'), 'structureWants', promptId),
      submit(m(t)('orientation.structureHas'), 'structureHas', promptId),
      submit(m(t)('orientation.types'), 'types', promptId),
    ],
  );
}

export function typesCard(t: Translator, promptId: string): AdaptiveCard {
  return card(
    [text(m(t)('orientation.typesTitle'), { size: 'medium', weight: 'bolder', style: 'heading' }), text(m(t)('orientation.typePer')), text(m(t)('orientation.typeInt')), text(m(t)('orientation.typeOrg'))],
    [submit(m(t)('orientation.back'), 'back', promptId)],
  );
}

export function connectionCard(t: Translator, view: CardView): AdaptiveCard {
  const c = (key: string) => m(t)(`connection.${key}`);
  return card(
    [
      text(c('title'), { size: 'medium', weight: 'bolder', style: 'heading' }),
      ...errorSummary(t, view.errors),
      ...withError(input(t, 'structure', c('structure'), view, { isRequired: true, maxLength: 150, placeholder: c('structureExample') }), view.errors),
      ...withError(input(t, 'structureId', c('structureId'), view, { isRequired: true, maxLength: 20, placeholder: c('structureIdExample') }), view.errors),
      ...withError(input(t, 'contactName', c('contactName'), view, { isRequired: true, maxLength: 100 }), view.errors),
      ...withError(input(t, 'contactEmail', c('contactEmail'), view, { isRequired: true, style: 'email', maxLength: 254 }), view.errors),
      ...withError(input(t, 'contactPhone', c('contactPhone'), view, { style: 'tel', maxLength: 20 }), view.errors),
    ],
    [submit(c('submit'), 'submit', view.promptId, { style: 'positive' }), submit(c('back'), 'back', view.promptId)],
  );
}

export function regionCard(t: Translator, view: CardView): AdaptiveCard {
  return card(
    [
      text(m(t)('region.title'), { size: 'medium', weight: 'bolder', style: 'heading' }),
      ...errorSummary(t, view.errors),
      ...withError(choice(t, 'region', m(t)('region.region'), REGIONS.map((r) => ({ title: r.name, value: r.code })), view), view.errors),
    ],
    [submit(m(t)('region.submit'), 'submit', view.promptId, { style: 'positive' })],
  );
}

export function waysCard(t: Translator, promptId: string): AdaptiveCard {
  return card([text(m(t)('ways.title'), { size: 'medium', weight: 'bolder', style: 'heading' }), text(m(t)('ways.psc')), text(m(t)('ways.pscHere'), { weight: 'bolder' })], [
    submit(m(t)('ways.form'), 'form', promptId, { style: 'positive' }),
    submit(m(t)('ways.menu'), 'menu', promptId),
  ]);
}

export function medimailFormCard(t: Translator, view: CardView, roleAddress: boolean): AdaptiveCard {
  const f = (key: string) => m(t)(`form.${key}`);
  const body: CardElement[] = [
    ...header(t, 'form', f('title')),
    ...errorSummary(t, view.errors),
    ...withError(input(t, 'lastName', f('lastName'), view, { isRequired: true, maxLength: 80, placeholder: f('lastNameExample') }), view.errors),
    ...withError(input(t, 'firstName', f('firstName'), view, { isRequired: true, maxLength: 80, placeholder: f('firstNameExample') }), view.errors),
    ...withError(input(t, 'email', f('email'), view, { isRequired: true, style: 'email', maxLength: 254, placeholder: f('emailExample') }), view.errors),
    text(f('nominative'), { isSubtle: true, size: 'small', spacing: 'none' }),
  ];
  if (roleAddress) {
    body.push(text(m(t)('form.roleAddress', { email: plain(view.values.email ?? '') }), { color: 'warning' }));
    body.push({ type: 'Input.Toggle', id: 'confirmNominative', title: f('confirmNominative'), value: 'false', valueOn: 'true', valueOff: 'false', wrap: true });
  }
  body.push(...withError(choice(t, 'profession', f('profession'), professionChoices(t), view), view.errors));
  return card(body, [submit(f('submit'), 'submit', view.promptId, { style: 'positive' })]);
}

/** A step that waits for something done elsewhere (a page, a mail), with what the user can do meanwhile. */
export function waitingCard(t: Translator, promptId: string, step: string, message: string, actions: { title: string; verb: string }[]): AdaptiveCard {
  return card([text(m(t)(`step.${step}`), { isSubtle: true, size: 'small' }), text(message)], actions.map((a) => submit(a.title, a.verb, promptId)));
}

export function resendConfirmationCard(t: Translator, view: CardView, from: string): AdaptiveCard {
  const c = (key: string, o?: Record<string, unknown>) => m(t)(`confirm.${key}`, o);
  return card(
    [
      text(c('resendTitle'), { size: 'medium', weight: 'bolder', style: 'heading' }),
      text(c('resendText', { from: plain(from) })),
      ...errorSummary(t, view.errors),
      ...withError(input(t, 'email', c('email'), view, { isRequired: true, style: 'email', maxLength: 254 }), view.errors),
    ],
    [submit(c('resend'), 'submit', view.promptId, { style: 'positive' }), submit(c('back'), 'back', view.promptId)],
  );
}

export function pathCard(t: Translator, promptId: string): AdaptiveCard {
  return card([...header(t, 'finalise', m(t)('finalise.choose'))], [
    submit(m(t)('finalise.rpps'), 'rpps', promptId, { style: 'positive' }),
    submit(m(t)('finalise.structure'), 'structure', promptId),
  ]);
}

export function finaliseCard(t: Translator, view: CardView, path: 'rpps' | 'structure'): AdaptiveCard {
  const f = (key: string) => m(t)(`finalise.${key}`);
  const body: CardElement[] = [...header(t, 'finalise', f('title')), ...errorSummary(t, view.errors)];
  if (path === 'rpps') {
    body.push(...withError(input(t, 'rpps', f('rppsField'), view, { isRequired: true, maxLength: 20, placeholder: f('rppsExample') }), view.errors));
  } else {
    body.push(text(f('structureNote'), { isSubtle: true }));
    body.push(
      ...withError(
        choice(t, 'structureKind', f('structureKind'), [
          { title: 'FINESS', value: 'FINESS' },
          { title: 'SIRET', value: 'SIRET' },
          { title: 'SIREN', value: 'SIREN' },
        ], view, { style: 'expanded', value: 'SIRET' }),
        view.errors,
      ),
      ...withError(input(t, 'structureId', f('structureId'), view, { isRequired: true, maxLength: 20, placeholder: f('structureIdExample') }), view.errors),
    );
  }
  body.push(
    ...withError(choice(t, 'profession', f('profession'), professionChoices(t), view), view.errors),
    ...withError(
      choice(t, 'specialty', f('specialty'), SPECIALTIES.map((s) => ({ title: t(`accreditation:specialty.${s.code}`), value: s.code })), view, { isRequired: false }),
      view.errors,
    ),
    { type: 'Input.Toggle', id: 'liberal', title: f('liberal'), value: view.values.liberal ?? 'false', valueOn: 'true', valueOff: 'false', wrap: true },
    ...withError(input(t, 'phone', f('phone'), view, { isRequired: true, style: 'tel', maxLength: 20, placeholder: f('phoneExample') }), view.errors),
    ...withError(input(t, 'phone2', f('phone2'), view, { style: 'tel', maxLength: 20 }), view.errors),
    ...withError(input(t, 'address', f('address'), view, { isRequired: true, maxLength: 200, placeholder: f('addressExample') }), view.errors),
    ...withError(input(t, 'city', f('city'), view, { isRequired: true, maxLength: 100, placeholder: f('cityExample') }), view.errors),
    ...withError(input(t, 'postalCode', f('postalCode'), view, { isRequired: true, maxLength: 5, placeholder: f('postalCodeExample') }), view.errors),
    ...withError(input(t, 'raisonSociale', f('raisonSociale'), view, { maxLength: 150 }), view.errors),
    ...withError(input(t, 'service', f('service'), view, { maxLength: 150 }), view.errors),
    { type: 'Input.Toggle', id: 'directoryVisible', title: f('directory'), value: view.values.directoryVisible ?? 'true', valueOn: 'true', valueOff: 'false', wrap: true },
    { type: 'Input.Toggle', id: 'dematerialisation', title: f('demat'), value: view.values.dematerialisation ?? 'true', valueOn: 'true', valueOff: 'false', wrap: true },
    text(f('dematAdvice'), { isSubtle: true, size: 'small', spacing: 'none' }),
  );
  return card(body, [submit(f('check'), 'submit', view.promptId, { style: 'positive' }), submit(f('back'), 'back', view.promptId)]);
}

/** The recap before "Je valide"; region and department deduced from the postal code, confirmed here. */
export function finaliseRecapCard(t: Translator, view: CardView, facts: { title: string; value: string }[]): AdaptiveCard {
  const f = (key: string) => m(t)(`finalise.${key}`);
  return card(
    [
      ...header(t, 'finalise', f('recapTitle')),
      { type: 'FactSet', facts: facts.map((x) => ({ title: x.title, value: plain(x.value) })) },
      ...withError(choice(t, 'region', f('region'), REGIONS.map((r) => ({ title: r.name, value: r.code })), view), view.errors),
      ...withError(choice(t, 'department', f('department'), DEPARTMENTS.map((d) => ({ title: `${d.code} — ${d.name}`, value: d.code })), view), view.errors),
    ],
    [submit(f('validate'), 'validate', view.promptId, { style: 'positive' }), submit(f('edit'), 'edit', view.promptId)],
  );
}

export const MEDIMAIL_HUB_ACTIONS = ['start', 'firstSignIn', 'finalise', 'fixAndResend', 'resend', 'gotRpps', 'edit', 'org', 'support', 'menu'] as const;
export type MedimailHubAction = (typeof MEDIMAIL_HUB_ACTIONS)[number];

export interface MedimailHubView {
  account?: { status: string; mssAddress: string; submittedAt?: string; rejectReason?: string };
  actions: MedimailHubAction[];
}

export function medimailHubCard(t: Translator, promptId: string, view: MedimailHubView): AdaptiveCard {
  const h = (key: string, o?: Record<string, unknown>) => m(t)(`hub.${key}`, o);
  const body: CardElement[] = [text(h('title'), { size: 'medium', weight: 'bolder', style: 'heading' })];
  if (!view.account) body.push(text(h('none')));
  else {
    body.push(text(h('address', { mss: view.account.mssAddress }), { weight: 'bolder' }));
    body.push(
      text(
        h(`status${view.account.status}`, {
          date: view.account.submittedAt ? dateTime(t, new Date(view.account.submittedAt)) : '',
          reason: plain(view.account.rejectReason ?? ''),
        }),
      ),
    );
  }
  return card(body, view.actions.map((verb) => submit(h(verb), verb, promptId)));
}

export function rppsUpdateCard(t: Translator, view: CardView): AdaptiveCard {
  const r = (key: string) => m(t)(`rpps.${key}`);
  return card(
    [text(r('title'), { size: 'medium', weight: 'bolder', style: 'heading' }), ...errorSummary(t, view.errors), ...withError(input(t, 'rpps', r('field'), view, { isRequired: true, maxLength: 20 }), view.errors)],
    [submit(r('submit'), 'submit', view.promptId, { style: 'positive' }), submit(r('back'), 'back', view.promptId)],
  );
}

export function orgMailboxCard(t: Translator, view: CardView): AdaptiveCard {
  const o = (key: string) => m(t)(`org.${key}`);
  return card(
    [
      text(o('title'), { size: 'medium', weight: 'bolder', style: 'heading' }),
      ...errorSummary(t, view.errors),
      ...withError(input(t, 'name', o('name'), view, { isRequired: true, maxLength: 100 }), view.errors),
      ...withError(input(t, 'structure', o('structure'), view, { isRequired: true, maxLength: 150 }), view.errors),
    ],
    [submit(o('submit'), 'submit', view.promptId, { style: 'positive' }), submit(o('back'), 'back', view.promptId)],
  );
}

// ---- the service centre's desk ----

export interface AgentQueueItem {
  id: string;
  name: string;
  profession: string;
  hours: number;
}

export function agentQueueCard(t: Translator, promptId: string, items: AgentQueueItem[]): AdaptiveCard {
  const a = (key: string, o?: Record<string, unknown>) => m(t)(`agent.${key}`, o);
  const body: CardElement[] = [text(a('title'), { size: 'medium', weight: 'bolder', style: 'heading' }), text(items.length ? a('count', { count: items.length }) : a('empty'))];
  items.forEach((item, i) => {
    const late = item.hours > 48;
    body.push(
      text(`${i + 1}. ${a(late ? 'late' : 'item', { name: plain(item.name), profession: m(t)(`profession.${item.profession}`), hours: Math.floor(item.hours) })}`, {
        color: late ? 'attention' : 'default',
        weight: late ? 'bolder' : 'default',
        spacing: 'small',
      }),
    );
  });
  const actions: SubmitAction[] = items.slice(0, 5).map((item, i) => submit(`${a('open')} ${i + 1} — ${item.name}`, 'open', promptId, {}, { accountId: item.id }));
  return card(body, [...actions, submit(a('refresh'), 'refresh', promptId), submit(a('leave'), 'leave', promptId)]);
}

export function agentSummaryCard(t: Translator, view: CardView, account: MedimailAccountView): AdaptiveCard {
  const a = (key: string, o?: Record<string, unknown>) => m(t)(`agent.${key}`, o);
  const d = account.details;
  const yesNo = (v: boolean | undefined) => m(t)(v ? 'finalise.yes' : 'finalise.no');
  const facts = [
    { title: a('mss'), value: account.mssAddress },
    { title: a('email'), value: account.email },
    ...(d
      ? [
          { title: a('identification'), value: d.path === 'rpps' ? a('rppsValue', { value: d.rpps }) : a('structureValue', { kind: d.structureKind, value: d.structureId }) },
          { title: m(t)('finalise.profession'), value: `${m(t)(`profession.${d.profession}`)}${d.specialty ? ` — ${t(`accreditation:specialty.${d.specialty}`)}` : ''}` },
          { title: a('place'), value: [d.raisonSociale, d.service, d.address, `${d.postalCode} ${d.city}`].filter(Boolean).join(', ') },
          { title: a('phones'), value: [d.phone, d.phone2].filter(Boolean).join(' / ') },
          { title: a('options'), value: `${yesNo(d.directoryVisible)} / ${yesNo(d.dematerialisation)}` },
        ]
      : []),
  ];
  return card(
    [
      text(a('summary', { name: plain(`${account.firstName} ${account.lastName}`) }), { size: 'medium', weight: 'bolder', style: 'heading' }),
      { type: 'FactSet', facts: facts.map((f) => ({ title: f.title, value: plain(f.value ?? '') })) },
      ...errorSummary(t, view.errors),
      ...withError(input(t, 'reason', a('reason'), view, { isMultiline: true, maxLength: 1000 }), view.errors),
    ],
    [submit(a('validate'), 'validate', view.promptId, { style: 'positive' }), submit(a('reject'), 'reject', view.promptId, { style: 'destructive' }), submit(a('back'), 'back', view.promptId)],
  );
}
