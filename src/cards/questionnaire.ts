import { z } from 'zod';
import type { Translator } from '../i18n';
import type { Answers, Question, Questionnaire } from '../services/accreditation/questionnaires';
import type { CardView } from './form';
import { calendarLongDay, longDateTime } from '../dates';
import { choice, fact, form, formData, pick, text, texts, userText } from './schema';

// The self-assessment questionnaire (templates/questionnaire/): one section per card, with its progress.

const q = (t: Translator, key: string, options?: Record<string, unknown>) => t(`questionnaire:${key}`, options);

const question = z.object({
  id: z.string().min(1),
  type: z.enum(['text', 'longText', 'number', 'date', 'yesNo', 'single', 'multiple']),
  label: text,
  value: z.string(),
  choices: z.array(choice),
  error: z.string(),
  help: z.string(),
});

export const questionnaireSchemas = {
  section: z.object({
    ...form,
    /** `note`: what sending needs, and that saving or moving never does (the card itself requires nothing, see sectionData). */
    text: texts('title', 'note', 'yes', 'no', 'previous', 'save', 'next', 'send'),
    progress: text,
    /** The expert's words when a complement was asked. */
    comment: z.string(),
    intro: z.string(),
    questions: z.array(question).min(1),
    first: z.boolean(),
    last: z.boolean(),
  }),
  /** "Envoyer" on an incomplete questionnaire: what is missing, with a button to each section. */
  /** "Envoyer" on an incomplete questionnaire, or with an answer that forbids sending (prerequisites refused): what and why. */
  missing: z.object({ promptId: form.promptId, title: text, items: z.array(text).min(1), sections: z.array(z.object({ title: text, section: z.string() })) }),
  /** A sent questionnaire, read-only. */
  sent: z.object({
    promptId: form.promptId,
    text: texts('title', 'back'),
    readOnly: text,
    sections: z.array(z.object({ title: text, facts: z.array(fact.extend({ value: userText })) })),
  }),
};

export interface SectionCardData {
  questionnaire: Questionnaire;
  section: number;
  answers: Answers;
  comment?: string;
}

/**
 * No input of a section is required or bounded in the card: Adaptive Cards check every input on
 * every button, so a required answer would block « Enregistrer » and « Section précédente », and an
 * empty Input.Number with min/max is invalid in the client (its value is NaN) and blocked a section
 * whose count is optional. Ranges are checked by the bot, completeness at « Envoyer ».
 */
export function sectionData(t: Translator, view: CardView, data: SectionCardData) {
  const section = data.questionnaire.sections[data.section];
  const total = data.questionnaire.sections.length;
  return {
    ...formData(t, view),
    text: { ...pick(t, 'questionnaire:card', ['title', 'note', 'yes', 'no', 'previous', 'save', 'next', 'send'] as const) },
    progress: q(t, 'card.progress', { current: data.section + 1, total, title: q(t, section.title) }),
    comment: data.comment ? q(t, 'card.expertComment', { comment: userText.parse(data.comment) }) : '',
    intro: section.intro ? q(t, section.intro) : '',
    questions: section.questions.map((question) => ({
      id: question.id,
      type: question.type,
      label: q(t, question.label),
      value: view.values[question.id] ?? data.answers[question.id] ?? '',
      choices: (question.options ?? []).map((o) => ({ title: q(t, o.label), value: o.value })),
      error: view.errors[question.id] ?? '',
      help: question.help ? q(t, question.help) : '',
    })),
    first: data.section === 0,
    last: data.section === total - 1,
  };
}

/** `refused`: the i18n key of why the answer given forbids sending. */
export function missingData(t: Translator, promptId: string, missing: { section: number; question: string; refused?: string }[]) {
  return {
    promptId,
    title: missing.some((m) => m.refused) ? q(t, 'blocked') : q(t, 'missing', { count: missing.length }),
    items: missing.map((m) =>
      m.refused ? q(t, 'refusedItem', { section: m.section + 1, question: q(t, m.question), reason: q(t, m.refused) }) : q(t, 'missingItem', { section: m.section + 1, question: q(t, m.question) }),
    ),
    sections: [...new Set(missing.map((m) => m.section))].map((s) => ({ title: q(t, 'goTo', { section: s + 1 }), section: String(s) })),
  };
}

export function sentQuestionnaireData(t: Translator, promptId: string, questionnaire: Questionnaire, answers: Answers, sentAt: Date) {
  return {
    promptId,
    text: { title: t('accreditation:questionnaire.readOnlyTitle'), back: t('accreditation:questionnaire.back') },
    readOnly: q(t, 'card.readOnly', { date: longDateTime(t, sentAt) }),
    sections: questionnaire.sections.map((section) => ({
      title: q(t, section.title),
      facts: section.questions.map((question) => ({ title: q(t, question.label), value: answerText(t, question, answers[question.id]) })),
    })),
  };
}

/** An answer as a person reads it: the labels of the choices, "Oui"/"Non", a date as written. */
export function answerText(t: Translator, question: Question, value: string | undefined): string {
  if (!value) return q(t, 'card.answerNone');
  if (question.type === 'date') return calendarLongDay(t, value);
  if (question.type === 'yesNo') return q(t, value === 'yes' ? 'card.yes' : 'card.no');
  if (question.options) {
    return value
      .split(',')
      .map((v) => question.options!.find((o) => o.value === v))
      .filter(Boolean)
      .map((o) => q(t, o!.label))
      .join(', ');
  }
  return value;
}
