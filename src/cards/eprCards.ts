import type { Translator } from '../i18n';
import type { EprView } from '../services/accreditation/epr';
import { card, plain, submit, text, type AdaptiveCard, type CardElement } from './adaptive';
import { errorSummary, withError, type CardView } from './form';
import { dateTime } from './format';

const a = (t: Translator) => (key: string, options?: Record<string, unknown>) => t(`accreditation:${key}`, options);

/** The "Portail OA-Accréditation": the specialty programme and the EPR. */
export function portalCard(t: Translator, promptId: string, oaName: string, themes: string[]): AdaptiveCard {
  const body: CardElement[] = [
    text(a(t)('portal.title'), { size: 'medium', weight: 'bolder', style: 'heading' }),
    text(a(t)('portal.intro', { oa: oaName })),
    ...[1, 2, 3, 4].map((n) => text(`• ${a(t)(`portal.item${n}`)}`, { spacing: 'none' })),
  ];
  if (themes.length) body.push(text(a(t)('portal.themes', { oa: oaName, themes: themes.map((th) => a(t)(`theme.${th}`)).join(', ') })));
  return card(body, [submit(a(t)('portal.declare'), 'declare', promptId, { style: 'positive' }), submit(a(t)('portal.list'), 'list', promptId), submit(a(t)('portal.back'), 'back', promptId)]);
}

export function eprCard(t: Translator, view: CardView, themes: string[], today: string): AdaptiveCard {
  const l = a(t);
  const req = (label: string) => ({ isRequired: true, errorMessage: t('validation.required', { field: label }) });
  const long = (id: string, required: boolean) => {
    const label = l(`epr.${id}`);
    return withError({ type: 'Input.Text', id, label, value: view.values[id] ?? '', isMultiline: true, maxLength: id === 'what' ? 4000 : 2000, ...(required ? req(label) : {}) }, view.errors);
  };
  const body: CardElement[] = [
    text(l('epr.title'), { size: 'medium', weight: 'bolder', style: 'heading' }),
    text(l('epr.anonymous'), { color: 'warning', weight: 'bolder' }),
    ...errorSummary(t, view.errors),
    ...withError({ type: 'Input.Date', id: 'date', label: l('epr.date'), value: view.values.date ?? '', max: today, ...req(l('epr.date')) }, view.errors),
    ...withError({ type: 'Input.Text', id: 'establishment', label: l('epr.establishment'), value: view.values.establishment ?? '', maxLength: 150, placeholder: l('epr.establishmentExample'), ...req(l('epr.establishment')) }, view.errors),
    ...withError(
      {
        type: 'Input.ChoiceSet',
        wrap: true,
        id: 'targeted',
        label: l('epr.targeted'),
        style: 'expanded',
        value: view.values.targeted ?? 'no',
        choices: [
          { title: l('epr.targetedNo'), value: 'no' },
          { title: l('epr.targetedYes'), value: 'yes' },
        ],
        ...req(l('epr.targeted')),
      },
      view.errors,
    ),
  ];
  if (themes.length) {
    body.push(...withError({ type: 'Input.ChoiceSet', wrap: true, id: 'theme', label: l('epr.theme'), value: view.values.theme, style: 'compact', choices: themes.map((th) => ({ title: l(`theme.${th}`), value: th })) }, view.errors));
  } else {
    body.push(text(l('epr.noTheme'), { isSubtle: true, size: 'small' }));
  }
  body.push(...long('what', true), ...long('consequences', true), ...long('causes', true), ...long('barriersWorked', false), ...long('barriersFailed', false), ...long('actions', true));
  return card(body, [submit(l('epr.send'), 'send', view.promptId, { style: 'positive' }), submit(l('epr.save'), 'save', view.promptId), submit(l('epr.back'), 'back', view.promptId)]);
}

/** "Mes EPR": each declaration with its status; drafts can be taken up. */
export function eprListCard(t: Translator, promptId: string, eprs: EprView[]): AdaptiveCard {
  const l = a(t);
  const body: CardElement[] = [text(l('epr.listTitle'), { size: 'medium', weight: 'bolder', style: 'heading' })];
  if (eprs.length === 0) body.push(text(l('epr.none')));
  else {
    body.push({
      type: 'FactSet',
      facts: eprs.map((e) => ({
        title: e.status === 'SENT' ? l('epr.sentOn', { date: dateTime(t, new Date(e.sentAt!)) }) : l('epr.draft', { date: dateTime(t, new Date(e.createdAt)) }),
        value: plain(`${e.answers.date ?? ''} ${e.answers.establishment ?? ''}`.trim() || '—'),
      })),
    });
  }
  const drafts = eprs.filter((e) => e.status === 'DRAFT');
  return card(body, [
    ...drafts.map((e) => submit(l('epr.open', { date: dateTime(t, new Date(e.createdAt)) }), 'open', promptId, {}, { eprId: e.id })),
    submit(l('portal.declare'), 'declare', promptId),
    submit(l('portal.back'), 'back', promptId),
  ]);
}
