import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Self-assessment questionnaires are data, not code: versioned definitions per OA in
 * data/accreditation/questionnaires, validated at start-up. Texts are i18n keys of the
 * "questionnaire" namespace, checked to exist in every language.
 */
const key = z.string().regex(/^q\.[\w.]+$/, { message: 'must be an i18n key of locales/*/questionnaire.json, like "q.section.question"' });

const questionSchema = z
  .object({
    id: z.string().regex(/^[a-z][A-Za-z0-9]*$/, { message: 'must be camelCase letters and digits' }),
    type: z.enum(['text', 'longText', 'number', 'single', 'multiple', 'yesNo', 'date']),
    label: key,
    help: key.optional(),
    required: z.boolean().default(true),
    options: z.array(z.object({ value: z.string().min(1), label: key })).min(2).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** Required only when another question of an earlier place has this answer (a count after « Oui »); overrides `required`. */
    requiredIf: z.object({ question: z.string().min(1), equals: z.string().min(1) }).optional(),
    /** Taken from the administrative file while unanswered (the establishments are not asked twice). */
    prefill: z.enum(['establishments']).optional(),
    /** The answer sending requires (the prerequisites accepted), and the i18n key of why, said when another is given. */
    mustBe: z.object({ value: z.string().min(1), reason: key }).optional(),
  })
  .superRefine((q, ctx) => {
    const needsOptions = q.type === 'single' || q.type === 'multiple';
    if (needsOptions && !q.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `a "${q.type}" question needs at least two options` });
    if (!needsOptions && q.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `a "${q.type}" question takes no options` });
  });

export const questionnaireSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    version: z.number().int().positive(),
    /** OA ids this definition serves; "*" for every OA without a definition of its own. */
    oa: z.array(z.string().min(1)).min(1),
    note: z.string().optional(),
    sections: z
      .array(z.object({ id: z.string().regex(/^[a-z][A-Za-z0-9]*$/), title: key, intro: key.optional(), questions: z.array(questionSchema).min(1) }))
      .min(1),
  })
  .superRefine((d, ctx) => {
    const ids = d.sections.flatMap((s) => s.questions.map((q) => q.id));
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (twice.length) ctx.addIssue({ code: 'custom', path: ['sections'], message: `question ids must be unique, repeated: ${twice.join(', ')}` });
    for (const question of d.sections.flatMap((s) => s.questions)) {
      const on = question.requiredIf?.question;
      if (on && ids.indexOf(on) < 0) ctx.addIssue({ code: 'custom', path: ['sections'], message: `${question.id}: requiredIf names "${on}", which is not a question of this questionnaire` });
      if (on && ids.indexOf(on) > ids.indexOf(question.id)) ctx.addIssue({ code: 'custom', path: ['sections'], message: `${question.id}: requiredIf names "${on}", which comes after it` });
    }
  });

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type Question = Questionnaire['sections'][number]['questions'][number];
/** Answers as the cards send them: strings ("a,b" for several choices). */
export type Answers = Record<string, string>;

export class QuestionnaireError extends Error {}

/** Parses one definition; the message names the file, the place and the rule. */
export function parseQuestionnaire(json: unknown, source: string, hasKey: (key: string) => boolean = () => true): Questionnaire {
  const result = questionnaireSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new QuestionnaireError(`Questionnaire ${source}: ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  const keys = result.data.sections.flatMap((s) => [s.title, s.intro, ...s.questions.flatMap((q) => [q.label, q.help, q.mustBe?.reason, ...(q.options ?? []).map((o) => o.label)])]);
  const missing = keys.filter((k): k is string => Boolean(k) && !hasKey(k!));
  if (missing.length) throw new QuestionnaireError(`Questionnaire ${source}: texts missing from locales/*/questionnaire.json: ${missing.slice(0, 5).join(', ')}`);
  return result.data;
}

export class QuestionnaireCatalog {
  constructor(private readonly definitions: Questionnaire[]) {}

  static load(dir: string, hasKey: (key: string) => boolean): QuestionnaireCatalog {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    return new QuestionnaireCatalog(files.map((f) => parseQuestionnaire(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), f, hasKey)));
  }

  /** The latest version for this OA, else the latest default ("*"). */
  forOa(oaId: string): Questionnaire {
    const latest = (list: Questionnaire[]) => list.sort((a, b) => b.version - a.version)[0];
    const own = latest(this.definitions.filter((d) => d.oa.includes(oaId)));
    const fallback = latest(this.definitions.filter((d) => d.oa.includes('*')));
    const found = own ?? fallback;
    if (!found) throw new QuestionnaireError(`No questionnaire for ${oaId} and no default one`);
    return found;
  }

  byRef(ref: string): Questionnaire {
    const [id, version] = ref.split('@');
    const found = this.definitions.find((d) => d.id === id && d.version === Number(version));
    if (!found) throw new QuestionnaireError(`Questionnaire ${ref} is not in data/accreditation/questionnaires any more`);
    return found;
  }
}

export const refOf = (q: Questionnaire) => `${q.id}@${q.version}`;

/** An answer is there (not empty). */
function answered(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/** Whether a question must be answered before sending, given the other answers (« Non » spares what only « Oui » asks). */
export function isRequired(question: Question, answers: Answers): boolean {
  return question.requiredIf ? answers[question.requiredIf.question] === question.requiredIf.equals : question.required;
}

/**
 * What stops the sending, in order: a required answer missing, or an answer other than the one
 * sending requires (`refused`: the i18n key of why, e.g. the prerequisites not accepted).
 */
export function missingAnswers(q: Questionnaire, answers: Answers): { section: number; question: Question; refused?: string }[] {
  return q.sections.flatMap((s, section) =>
    s.questions.flatMap((question) => {
      if (isRequired(question, answers) && !answered(answers[question.id])) return [{ section, question }];
      if (question.mustBe && answered(answers[question.id]) && answers[question.id] !== question.mustBe.value) return [{ section, question, refused: question.mustBe.reason }];
      return [];
    }),
  );
}
