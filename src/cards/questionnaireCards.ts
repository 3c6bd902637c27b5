import type { Translator } from '../i18n';
import type { Answers, Question, Questionnaire } from '../services/accreditation/questionnaires';
import { card, plain, submit, text, type AdaptiveCard, type CardElement } from './adaptive';
import { errorSummary, withError, type CardView } from './form';
import { dateTime } from './format';

// The self-assessment questionnaire: one section per card, with its progress.

const q = (t: Translator) => (key: string, options?: Record<string, unknown>) => t(`questionnaire:${key}`, options);

function inputFor(t: Translator, question: Question, value: string | undefined): CardElement {
  const label = q(t)(question.label);
  const required = question.required ? { isRequired: true, errorMessage: q(t)('card.required') } : {};
  switch (question.type) {
    case 'text':
      return { type: 'Input.Text', id: question.id, label, value: value ?? '', maxLength: 500, ...required };
    case 'longText':
      return { type: 'Input.Text', id: question.id, label, value: value ?? '', maxLength: 4000, isMultiline: true, ...required };
    case 'number':
      return { type: 'Input.Number', id: question.id, label, value: value ? Number(value) : undefined, min: question.min, max: question.max, ...required };
    case 'date':
      return { type: 'Input.Date', id: question.id, label, value: value ?? '', ...required };
    case 'yesNo':
      return {
        type: 'Input.ChoiceSet',
        wrap: true,
        id: question.id,
        label,
        style: 'expanded',
        choices: [
          { title: q(t)('card.yes'), value: 'yes' },
          { title: q(t)('card.no'), value: 'no' },
        ],
        value,
        ...required,
      };
    case 'single':
    case 'multiple':
      return {
        type: 'Input.ChoiceSet',
        wrap: true,
        id: question.id,
        label,
        style: question.type === 'multiple' ? 'expanded' : 'compact',
        isMultiSelect: question.type === 'multiple',
        choices: (question.options ?? []).map((o) => ({ title: q(t)(o.label), value: o.value })),
        value,
        ...required,
      };
  }
}

export interface SectionCardData {
  questionnaire: Questionnaire;
  section: number;
  answers: Answers;
  comment?: string;
}

export function sectionCard(t: Translator, view: CardView, data: SectionCardData): AdaptiveCard {
  const section = data.questionnaire.sections[data.section];
  const total = data.questionnaire.sections.length;
  const body: CardElement[] = [
    text(q(t)('card.title'), { isSubtle: true, size: 'small', spacing: 'none' }),
    text(q(t)('card.progress', { current: data.section + 1, total, title: q(t)(section.title) }), { size: 'medium', weight: 'bolder', style: 'heading', spacing: 'none' }),
  ];
  if (data.comment) body.push(text(q(t)('card.expertComment', { comment: plain(data.comment) }), { color: 'warning', weight: 'bolder' }));
  if (section.intro) body.push(text(q(t)(section.intro)));
  body.push(...errorSummary(t, view.errors));
  for (const question of section.questions) {
    const element = inputFor(t, question, view.values[question.id] ?? data.answers[question.id]) as CardElement & { id: string };
    body.push(...withError(element, view.errors));
    if (question.help) body.push(text(q(t)(question.help), { isSubtle: true, size: 'small', spacing: 'none' }));
  }
  const actions = [];
  if (data.section > 0) actions.push(submit(q(t)('card.previous'), 'previous', view.promptId));
  actions.push(submit(q(t)('card.save'), 'save', view.promptId));
  actions.push(data.section < total - 1 ? submit(q(t)('card.next'), 'next', view.promptId, { style: 'positive' }) : submit(q(t)('card.send'), 'send', view.promptId, { style: 'positive' }));
  return card(body, actions);
}

/** "Envoyer" on an incomplete questionnaire: what is missing, with a button to each section. */
export function missingCard(t: Translator, promptId: string, missing: { section: number; question: string }[]): AdaptiveCard {
  const sections = [...new Set(missing.map((m) => m.section))];
  return card(
    [
      text(q(t)('missing', { count: missing.length }), { weight: 'bolder', color: 'attention' }),
      ...missing.map((m) => text(`• ${q(t)('missingItem', { section: m.section + 1, question: q(t)(m.question) })}`, { spacing: 'none' })),
    ],
    sections.map((s) => submit(q(t)('goTo', { section: s + 1 }), 'goto', promptId, {}, { section: String(s) })),
  );
}

/** A sent questionnaire, read-only. */
export function sentQuestionnaireCard(t: Translator, promptId: string, questionnaire: Questionnaire, answers: Answers, sentAt: Date): AdaptiveCard {
  const body: CardElement[] = [
    text(t('accreditation:questionnaire.readOnlyTitle'), { size: 'medium', weight: 'bolder', style: 'heading' }),
    text(q(t)('card.readOnly', { date: dateTime(t, sentAt) }), { isSubtle: true }),
  ];
  for (const section of questionnaire.sections) {
    body.push(text(q(t)(section.title), { weight: 'bolder' }));
    body.push({ type: 'FactSet', facts: section.questions.map((question) => ({ title: q(t)(question.label), value: plain(answerText(t, question, answers[question.id])) })) });
  }
  return card(body, [submit(t('accreditation:questionnaire.back'), 'back', promptId)]);
}

/** An answer as a person reads it: the labels of the choices, "Oui"/"Non". */
export function answerText(t: Translator, question: Question, value: string | undefined): string {
  if (!value) return q(t)('card.answerNone');
  if (question.type === 'yesNo') return q(t)(value === 'yes' ? 'card.yes' : 'card.no');
  if (question.options) {
    return value
      .split(',')
      .map((v) => question.options!.find((o) => o.value === v))
      .filter(Boolean)
      .map((o) => q(t)(o!.label))
      .join(', ');
  }
  return value;
}
