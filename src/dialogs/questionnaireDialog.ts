import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { confirmData } from '../cards/common';
import { answerText, missingData, sectionData, sentQuestionnaireData } from '../cards/questionnaire';
import { renderCard } from '../cards/render';
import { dateTime } from '../dates';
import type { EngagementService } from '../services/accreditation/engagement';
import { missingAnswers, type Answers, type Questionnaire } from '../services/accreditation/questionnaires';
import type { AccountView } from '../services/accreditation/registry';
import { CardPrompt, type CardPromptResult, type FieldValues } from './cardPrompt';
import { tr } from './turn';

export const QUESTIONNAIRE_DIALOG = 'acc.questionnaire';
const LOOP = 'acc.questionnaire.loop';
const P_SECTION = 'acc.questionnaire.sectionCard';
const P_MISSING = 'acc.questionnaire.missingCard';
const P_SENT = 'acc.questionnaire.sentCard';
const P_CONFIRM = 'acc.questionnaire.confirmCard';

/** What a section card carries besides its inputs (strings only, like every card value). */
interface Shown {
  ref: string;
  section: number;
}

export type QuestionnaireOutcome = { outcome: 'saved' | 'sent' | 'back' | 'expired' };

/**
 * "Questionnaire auto-évaluation" → "Ouvrir": one section per card with its progress, a draft
 * kept at every click ("Enregistrer le questionnaire" at any moment), "Envoyer" only when
 * complete, read-only once sent; returned by the expert, it reopens at the commented section.
 */
export class QuestionnaireDialog extends ComponentDialog {
  constructor(
    private readonly engagements: EngagementService,
    private readonly signedIn: (context: TurnContext) => Promise<AccountView | undefined>,
  ) {
    super(QUESTIONNAIRE_DIALOG);
    const shownOf = (values: FieldValues): Shown => JSON.parse(values.shown ?? '{}') as Shown;
    this.addDialog(
      new CardPrompt(P_SECTION, {
        verbs: ['previous', 'next', 'save', 'send'],
        schema: z.object({}),
        // Only the form of an answer is checked here; what is missing is named at "Envoyer".
        schemaFor: (_verb, shown) => formatSchema(this.engagements, shownOf(shown)),
        fields: (shown) => fieldsOf(this.engagements, shownOf(shown)),
        render: (t, view) => {
          const shown = shownOf(view.values);
          return renderCard('questionnaire/section', sectionData(t, view, {
            questionnaire: this.engagements.definition(shown.ref),
            section: shown.section,
            answers: JSON.parse(view.values.answers ?? '{}') as Answers,
            comment: view.values.comment || undefined,
          }));
        },
      }),
    );
    this.addDialog(
      new CardPrompt(P_MISSING, {
        verbs: ['goto'],
        schema: z.object({}),
        render: (t, view) => renderCard('questionnaire/missing', missingData(t, view.promptId, JSON.parse(view.values.missing ?? '[]') as { section: number; question: string; refused?: string }[])),
      }),
    );
    this.addDialog(
      new CardPrompt(P_SENT, {
        verbs: ['back'],
        schema: z.object({}),
        render: (t, view) =>
          renderCard('questionnaire/sent', sentQuestionnaireData(t, view.promptId, this.engagements.definition(view.values.ref), JSON.parse(view.values.answers ?? '{}') as Answers, new Date(view.values.sentAt))),
      }),
    );
    this.addDialog(
      new CardPrompt(P_CONFIRM, {
        verbs: ['confirm', 'back'],
        schema: z.object({}),
        render: (t, view) => {
          const questionnaire = this.engagements.definition(view.values.ref);
          const answers = JSON.parse(view.values.answers ?? '{}') as Answers;
          const facts = questionnaire.sections.flatMap((s) => s.questions.filter((q) => answers[q.id]?.trim()).map((q) => ({ title: t(`questionnaire:${q.label}`), value: answerText(t, q, answers[q.id]) })));
          return renderCard('common/confirm', confirmData(t, view.promptId, 'questionnaire', facts, { oa: view.values.oa || t('accreditation:hub.yourOa') }));
        },
      }),
    );
    this.addDialog(new WaterfallDialog(LOOP, [this.showSection.bind(this), this.afterSection.bind(this), this.afterCheck.bind(this)]));
    this.initialDialogId = LOOP;
  }

  /** The section the user is at (or asked for); a sent questionnaire is shown read-only. */
  private async showSection(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const account = await this.signedIn(step.context);
    if (!account) return step.endDialog({ outcome: 'expired' } satisfies QuestionnaireOutcome);
    const view = await this.engagements.open(account.id);
    const options = (step.options ?? {}) as { section?: number };
    if (view.status !== 'DRAFT' && view.status !== 'TO_COMPLETE') {
      return step.beginDialog(P_SENT, { values: { ref: this.engagements.refOf(view), answers: JSON.stringify(view.answers), sentAt: (view.sentAt ?? new Date()).toISOString() } });
    }
    const section = options.section ?? view.section;
    const shown: Shown = { ref: this.engagements.refOf(view), section };
    const sectionId = view.questionnaire.sections[section]?.id;
    const comment = view.status === 'TO_COMPLETE' && view.commentSection === sectionId ? (view.expertComment ?? '') : '';
    return step.beginDialog(P_SECTION, {
      values: { shown: JSON.stringify(shown), answers: JSON.stringify({ ...prefilled(view.questionnaire, account), ...view.answers }), comment },
    });
  }

  /** Every click keeps the section's answers; then move, save, or send. */
  private async afterSection(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'back') return step.endDialog({ outcome: 'back' } satisfies QuestionnaireOutcome);
    const account = await this.signedIn(step.context);
    if (!account) return step.endDialog({ outcome: 'expired' } satisfies QuestionnaireOutcome);
    const t = tr(step.context);
    const current = await this.engagements.open(account.id);
    // Sent meanwhile (another device, a stale card): nothing is changed, the questionnaire shows read-only.
    if (current.status !== 'DRAFT' && current.status !== 'TO_COMPLETE') return step.replaceDialog(LOOP);
    const section = (step.options as { section?: number } | undefined)?.section ?? current.section;
    const answers = sectionAnswers(current.questionnaire, section, values);
    const target = verb === 'next' ? section + 1 : verb === 'previous' ? section - 1 : section;
    const saved = await this.engagements.saveDraft(account.id, target, answers);
    if (verb === 'next' || verb === 'previous') return step.replaceDialog(LOOP, { section: saved.section });
    if (verb === 'save') {
      await step.context.sendActivity(t('questionnaire:saved', { current: saved.section + 1, total: saved.questionnaire.sections.length }));
      return step.endDialog({ outcome: 'saved' } satisfies QuestionnaireOutcome);
    }
    // Nothing is sent before the user has seen the recap and confirmed: what is missing (or refused) first.
    const missing = missingAnswers(saved.questionnaire, saved.answers).map((m) => ({ section: m.section, question: m.question.label, refused: m.refused }));
    if (missing.length) return step.beginDialog(P_MISSING, { values: { missing: JSON.stringify(missing) } });
    return step.beginDialog(P_CONFIRM, { values: { ref: this.engagements.refOf(saved), answers: JSON.stringify(saved.answers), oa: saved.oa.name ?? '' } });
  }

  /** After "what is missing" (go to a section) or the recap (confirm, or back to the last section). */
  private async afterCheck(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'goto') return step.replaceDialog(LOOP, { section: Number(values.section) || 0 });
    if (verb === 'back') return step.replaceDialog(LOOP);
    const account = await this.signedIn(step.context);
    if (!account) return step.endDialog({ outcome: 'expired' } satisfies QuestionnaireOutcome);
    const t = tr(step.context);
    const result = await this.engagements.send(account.id);
    if (result.status === 'incomplete') {
      // Changed in another conversation meanwhile: back to the first section that needs it.
      return step.replaceDialog(LOOP, { section: result.missing[0]?.section });
    }
    if (result.status === 'sent') {
      await step.context.sendActivity(t('questionnaire:sent', { oa: result.oa.name ?? t('accreditation:hub.yourOa'), date: dateTime(t, result.sentAt) }));
      return step.endDialog({ outcome: 'sent' } satisfies QuestionnaireOutcome);
    }
    return step.replaceDialog(LOOP);
  }
}

/** What the administrative file already says, for the questions that take it while unanswered (shown, saved when the user moves on). */
function prefilled(questionnaire: Questionnaire, account: AccountView): Answers {
  const establishments = (account.adminFile?.establishments ?? []).map((e) => e.name).join(', ');
  const out: Answers = {};
  for (const question of questionnaire.sections.flatMap((s) => s.questions)) {
    if (question.prefill === 'establishments' && establishments) out[question.id] = establishments;
  }
  return out;
}

/** The answers of one section, as the card sent them (an emptied field clears its answer). */
function sectionAnswers(questionnaire: Questionnaire, section: number, values: FieldValues): Answers {
  const out: Answers = {};
  for (const question of questionnaire.sections[section]?.questions ?? []) {
    if (question.id in values) out[question.id] = values[question.id].trim();
  }
  return out;
}

function formatSchema(engagements: EngagementService, shown: Shown): z.ZodType<Record<string, unknown>> | undefined {
  if (!shown.ref) return undefined;
  const section = engagements.definition(shown.ref).sections[shown.section];
  if (!section) return undefined;
  const shape: Record<string, z.ZodType> = {};
  for (const question of section.questions) {
    if (question.type === 'number') {
      const min = question.min ?? 0;
      const max = question.max ?? 1_000_000;
      shape[question.id] = z
        .string()
        .optional()
        .superRefine((v, ctx) => {
          if (!v?.trim()) return;
          const n = Number(v.replace(',', '.'));
          if (!Number.isFinite(n) || n < min || n > max) ctx.addIssue({ code: 'custom', message: 'invalidNumber', params: { min, max } });
        });
    } else if (question.type === 'date') {
      shape[question.id] = z
        .string()
        .optional()
        .superRefine((v, ctx) => {
          if (!v?.trim()) return;
          const date = new Date(`${v}T00:00:00Z`);
          if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(date.getTime()) || date.getTime() > Date.now()) ctx.addIssue({ code: 'custom', message: 'pastDate' });
        });
    }
  }
  return z.object(shape).passthrough();
}

function fieldsOf(engagements: EngagementService, shown: Shown) {
  if (!shown.ref) return {};
  const section = engagements.definition(shown.ref).sections[shown.section];
  return Object.fromEntries((section?.questions ?? []).map((q) => [q.id, { label: `questionnaire:${q.label}` }]));
}

