import { z } from 'zod';
import type { Translator } from '../i18n';
import type { AccountView } from '../services/accreditation/registry';
import type { EngagementView, PreviousDecision } from '../services/accreditation/engagement';
import type { EprView } from '../services/accreditation/epr';
import { department, region } from '../services/geography';
import { plain } from './adaptive';
import type { CardView } from './form';
import { calendarLongDay, longDateTime } from '../dates';
import { shortTitle } from './medimail';
import { answerText } from './questionnaire';
import { choice, fact, form, formData, pick, text, texts, userText, values } from './schema';

// The expert's desk (templates/desk/): the queue, a request to decide, the EPRs.

const d = (t: Translator, key: string, options?: Record<string, unknown>) => t(`desk:${key}`, options);

/** How long a request has waited, as an expert reads it. */
export function age(t: Translator, since: Date, now: Date): string {
  const hours = Math.floor((now.getTime() - since.getTime()) / 3_600_000);
  if (hours < 1) return d(t, 'queue.lessThanHour');
  if (hours < 48) return d(t, 'queue.hours', { count: hours });
  return d(t, 'queue.days', { count: Math.floor(hours / 24) });
}

const section = z.object({ title: text, facts: z.array(fact) });

export const deskSchemas = {
  /** The expert's queue, oldest first, each request opened by its own button. */
  queue: z.object({
    promptId: form.promptId,
    text: texts('title', 'eprs', 'refresh', 'leave'),
    count: text,
    items: z.array(userText),
    open: z.array(z.object({ title: text, accountId: z.string().min(1) })),
  }),
  /** Everything the expert needs to decide, and the three decisions. */
  summary: z.object({
    ...form,
    text: texts('title', 'reason', 'reasonHelp', 'section', 'accept', 'refuse', 'complete', 'back').extend({ documents: z.string() }),
    facts: z.array(fact),
    sections: z.array(section),
    choices: z.array(choice).min(1),
    values: values({ reason: '', section: '' }),
  }),
  eprs: z.object({ promptId: form.promptId, text: texts('title', 'none', 'back'), eprs: z.array(section) }),
  wait: z.object({ promptId: form.promptId, text: texts('title', 'waiting', 'newLink', 'leave') }),
};

export interface QueueItem {
  accountId: string;
  name: string;
  specialty: string;
  sentAt: string;
}

export function queueData(t: Translator, promptId: string, items: QueueItem[], now: Date) {
  return {
    promptId,
    text: { title: d(t, 'queue.title'), eprs: d(t, 'queue.eprs'), refresh: d(t, 'queue.refresh'), leave: d(t, 'entry.leave') },
    count: items.length ? d(t, 'queue.count', { count: items.length }) : d(t, 'queue.empty'),
    // The whole line is escaped (as before): it holds the name the user typed.
    items: items.map((item, i) => `${i + 1}. ${d(t, 'queue.item', { name: item.name, specialty: t(`accreditation:specialty.${item.specialty}`), age: age(t, new Date(item.sentAt), now) })}`),
    open: items.slice(0, 5).map((item, i) => ({ title: shortTitle(`${d(t, 'queue.open')} ${i + 1} — ${item.name}`), accountId: item.accountId })),
  };
}

/** The previous decision on a request sent again, as it travels in the dialog's state (dates as strings). */
export type PreviousInState = Omit<PreviousDecision, 'at'> & { at: Date | string };

/** The previous decision (who, when, why) and the answers changed since, as two sections of the summary. */
function previousSections(t: Translator, engagement: EngagementView, previous: PreviousInState) {
  const questions = engagement.questionnaire.sections.flatMap((s) => s.questions);
  const sectionTitle = engagement.questionnaire.sections.find((s) => s.id === previous.section)?.title;
  const decision = [
    ...(previous.expertName ? [{ title: d(t, 'previous.expert'), value: plain(previous.expertName) }] : []),
    ...(previous.reason ? [{ title: d(t, 'previous.reason'), value: plain(previous.reason) }] : []),
    ...(sectionTitle ? [{ title: d(t, 'previous.section'), value: t(`questionnaire:${sectionTitle}`) }] : []),
  ];
  const changes = previous.changes
    ? previous.changes.length
      ? previous.changes.map((c) => {
          const question = questions.find((q) => q.id === c.question);
          const label = question ? t(`questionnaire:${question.label}`) : c.question;
          const shown = (value: string | undefined) => (question && value ? answerText(t, question, value) : d(t, 'previous.empty'));
          return { title: label, value: plain(d(t, 'previous.change', { before: shown(c.before), after: shown(c.after) })) };
        })
      : [{ title: d(t, 'previous.answers'), value: d(t, 'previous.unchanged') }]
    : [{ title: d(t, 'previous.answers'), value: d(t, 'previous.notKept') }];
  return [
    { title: d(t, 'previous.title', { decision: d(t, `previous.${previous.decision}`), date: longDateTime(t, new Date(previous.at)) }), facts: decision },
    { title: d(t, 'previous.changesTitle'), facts: changes },
  ];
}

/** A supporting document as the summary lists it (dates as strings in the dialog's state). */
export type DocumentInState = { filename: string; size: number; receivedAt: Date | string };

export function summaryData(t: Translator, view: CardView, account: AccountView, engagement: EngagementView, previous?: PreviousInState, documents: DocumentInState[] = []) {
  const file = account.adminFile;
  const facts = [
    { title: d(t, 'summary.identifier'), value: d(t, account.identifierKeyOk ? 'summary.keyOk' : 'summary.keyBad', { kind: account.identifierKind, value: account.identifier }) },
    { title: d(t, 'summary.specialty'), value: t(`accreditation:specialty.${account.specialty}`) },
    { title: d(t, 'summary.practice'), value: t(`accreditation:eligibility.${account.practice}`) },
    { title: d(t, 'summary.email'), value: plain(account.email) },
    ...(file
      ? [
          { title: d(t, 'summary.address'), value: plain(`${file.address}, ${file.postalCode} ${file.city}`) },
          { title: d(t, 'summary.establishments'), value: plain(file.establishments.map((e) => (e.finess ? `${e.name} (FINESS ${e.finess})` : e.name)).join(' ; ')) },
          { title: d(t, 'summary.cpam'), value: department(file.cpamDepartment)?.name ?? file.cpamDepartment },
          { title: d(t, 'summary.mode'), value: `${t(`accreditation:adminFile.${file.practiceMode}`)}${file.urmlRegion ? ` (URML ${region(file.urmlRegion)?.name ?? ''})` : ''}` },
        ]
      : []),
    ...(engagement.sentAt ? [{ title: d(t, previous ? 'summary.sentAgainAt' : 'summary.sentAt'), value: longDateTime(t, engagement.sentAt) }] : []),
    ...(documents.length
      ? [{ title: d(t, 'documents.title'), value: plain(documents.map((doc) => d(t, 'documents.item', { name: doc.filename, size: Math.max(1, Math.round(doc.size / 1024)), date: longDateTime(t, new Date(doc.receivedAt)) })).join(' ; ')) }]
      : []),
  ];
  const sections = engagement.questionnaire.sections;
  return {
    ...formData(t, view),
    text: {
      title: d(t, 'summary.title', { name: plain(`${account.firstName} ${account.lastName}`) }),
      ...pick(t, 'desk:summary', ['reason', 'reasonHelp', 'section', 'accept', 'refuse', 'complete', 'back'] as const),
      documents: documents.length ? d(t, 'documents.open', { count: documents.length }) : '',
    },
    facts,
    sections: [
      ...(previous ? previousSections(t, engagement, previous) : []),
      ...sections.map((s) => ({
        title: d(t, 'summary.answers', { section: t(`questionnaire:${s.title}`) }),
        facts: s.questions.map((q) => ({ title: t(`questionnaire:${q.label}`), value: plain(answerText(t, q, engagement.answers[q.id])) })),
      })),
    ],
    // No section chosen for the expert: « none » comes first and is the one selected.
    choices: [{ title: d(t, 'summary.noSection'), value: NO_SECTION }, ...sections.map((s, i) => ({ title: `${i + 1}. ${t(`questionnaire:${s.title}`)}`, value: s.id }))],
    values: { ...view.values, section: view.values.section || NO_SECTION },
  };
}

/** The section choice that names none (a complement about the whole request). */
export const NO_SECTION = 'none';

const EPR_FIELDS = ['what', 'consequences', 'causes', 'barriersWorked', 'barriersFailed', 'actions'] as const;

/** The EPRs sent to the expert's OAs. */
export function deskEprsData(t: Translator, promptId: string, eprs: EprView[]) {
  return {
    promptId,
    text: { title: d(t, 'eprs.title'), none: d(t, 'eprs.none'), back: d(t, 'summary.back') },
    eprs: eprs.map((e) => ({
      title: d(t, 'eprs.item', { date: calendarLongDay(t, e.answers.date ?? ''), establishment: plain(e.answers.establishment ?? '') }),
      facts: [
        ...(e.declaredBy
          ? [
              {
                title: d(t, 'eprs.declaredBy'),
                value: plain(`${t(`mail:civility.${e.declaredBy.civility}`)} ${e.declaredBy.firstName} ${e.declaredBy.lastName} — ${e.declaredBy.identifierKind} ${e.declaredBy.identifier}`),
              },
            ]
          : []),
        ...(e.sentAt ? [{ title: d(t, 'eprs.sentAt'), value: longDateTime(t, new Date(e.sentAt)) }] : []),
        {
          title: t('accreditation:epr.targeted'),
          value: e.answers.targeted === 'yes' ? d(t, 'eprs.targeted', { theme: e.answers.theme ? t(`accreditation:theme.${e.answers.theme}`) : '' }) : d(t, 'eprs.notTargeted'),
        },
        ...EPR_FIELDS.map((f) => ({ title: t(`accreditation:epr.${f}`), value: plain(e.answers[f] || '—') })),
      ],
    })),
  };
}

export const deskWaitData = (t: Translator, promptId: string) => ({ promptId, text: pick(t, 'desk:entry', ['title', 'waiting', 'newLink', 'leave'] as const) });
