import type { Translator } from '../i18n';
import type { AccountView } from '../services/accreditation/registry';
import type { EngagementView } from '../services/accreditation/engagement';
import type { EprView } from '../services/accreditation/epr';
import { department, region } from '../services/geography';
import { card, plain, submit, text, type AdaptiveCard, type CardElement } from './adaptive';
import { errorSummary, withError, type CardView } from './form';
import { dateTime } from './format';
import { answerText } from './questionnaireCards';

const d = (t: Translator) => (key: string, options?: Record<string, unknown>) => t(`desk:${key}`, options);

/** How long a request has waited, as an expert reads it. */
export function age(t: Translator, since: Date, now: Date): string {
  const hours = Math.floor((now.getTime() - since.getTime()) / 3_600_000);
  if (hours < 1) return d(t)('queue.lessThanHour');
  if (hours < 48) return d(t)('queue.hours', { count: hours });
  return d(t)('queue.days', { count: Math.floor(hours / 24) });
}

export interface QueueItem {
  accountId: string;
  name: string;
  specialty: string;
  sentAt: string;
}

/** The expert's queue, oldest first, each request opened by its own button. */
export function queueCard(t: Translator, promptId: string, items: QueueItem[], now: Date): AdaptiveCard {
  const body: CardElement[] = [text(d(t)('queue.title'), { size: 'medium', weight: 'bolder', style: 'heading' })];
  body.push(text(items.length ? d(t)('queue.count', { count: items.length }) : d(t)('queue.empty')));
  items.forEach((item, i) =>
    body.push(text(`${i + 1}. ${plain(d(t)('queue.item', { name: item.name, specialty: t(`accreditation:specialty.${item.specialty}`), age: age(t, new Date(item.sentAt), now) }))}`, { spacing: 'small' })),
  );
  return card(body, [
    ...items.slice(0, 5).map((item, i) => submit(`${d(t)('queue.open')} ${i + 1} — ${item.name}`, 'open', promptId, {}, { accountId: item.accountId })),
    submit(d(t)('queue.eprs'), 'eprs', promptId),
    submit(d(t)('queue.refresh'), 'refresh', promptId),
    submit(d(t)('entry.leave'), 'leave', promptId),
  ]);
}

/** Everything the expert needs to decide, and the three decisions. */
export function summaryCard(t: Translator, view: CardView, account: AccountView, engagement: EngagementView): AdaptiveCard {
  const file = account.adminFile;
  const facts = [
    { title: d(t)('summary.identifier'), value: d(t)(account.identifierKeyOk ? 'summary.keyOk' : 'summary.keyBad', { kind: account.identifierKind, value: account.identifier }) },
    { title: d(t)('summary.specialty'), value: t(`accreditation:specialty.${account.specialty}`) },
    { title: d(t)('summary.practice'), value: t(`accreditation:eligibility.${account.practice}`) },
    { title: d(t)('summary.email'), value: plain(account.email) },
    ...(file
      ? [
          { title: d(t)('summary.address'), value: plain(`${file.address}, ${file.postalCode} ${file.city}`) },
          { title: d(t)('summary.establishments'), value: plain(file.establishments.map((e) => (e.finess ? `${e.name} (FINESS ${e.finess})` : e.name)).join(' ; ')) },
          { title: d(t)('summary.cpam'), value: department(file.cpamDepartment)?.name ?? file.cpamDepartment },
          { title: d(t)('summary.mode'), value: `${t(`accreditation:adminFile.${file.practiceMode}`)}${file.urmlRegion ? ` (URML ${region(file.urmlRegion)?.name ?? ''})` : ''}` },
        ]
      : []),
    ...(engagement.sentAt ? [{ title: d(t)('summary.sentAt'), value: dateTime(t, engagement.sentAt) }] : []),
  ];
  const body: CardElement[] = [
    text(d(t)('summary.title', { name: plain(`${account.firstName} ${account.lastName}`) }), { size: 'medium', weight: 'bolder', style: 'heading' }),
    { type: 'FactSet', facts },
  ];
  for (const section of engagement.questionnaire.sections) {
    body.push(text(d(t)('summary.answers', { section: t(`questionnaire:${section.title}`) }), { weight: 'bolder' }));
    body.push({
      type: 'FactSet',
      facts: section.questions.map((q) => ({ title: t(`questionnaire:${q.label}`), value: plain(answerText(t, q, engagement.answers[q.id])) })),
    });
  }
  body.push(...errorSummary(t, view.errors));
  body.push(...withError({ type: 'Input.Text', id: 'reason', label: d(t)('summary.reason'), isMultiline: true, maxLength: 2000, value: view.values.reason ?? '' }, view.errors));
  body.push(text(d(t)('summary.reasonHelp'), { isSubtle: true, size: 'small', spacing: 'none' }));
  body.push({
    type: 'Input.ChoiceSet',
    wrap: true,
    id: 'section',
    label: d(t)('summary.section'),
    style: 'compact',
    value: view.values.section ?? engagement.questionnaire.sections[0].id,
    choices: engagement.questionnaire.sections.map((s, i) => ({ title: `${i + 1}. ${t(`questionnaire:${s.title}`)}`, value: s.id })),
  });
  return card(body, [
    submit(d(t)('summary.accept'), 'accept', view.promptId, { style: 'positive' }),
    submit(d(t)('summary.refuse'), 'refuse', view.promptId, { style: 'destructive' }),
    submit(d(t)('summary.complete'), 'complete', view.promptId),
    submit(d(t)('summary.back'), 'back', view.promptId),
  ]);
}

/** The EPRs sent to the expert's OAs. */
export function deskEprsCard(t: Translator, promptId: string, eprs: EprView[]): AdaptiveCard {
  const body: CardElement[] = [text(d(t)('eprs.title'), { size: 'medium', weight: 'bolder', style: 'heading' })];
  if (!eprs.length) body.push(text(d(t)('eprs.none')));
  for (const e of eprs) {
    body.push(text(d(t)('eprs.item', { date: e.answers.date ?? '', establishment: plain(e.answers.establishment ?? '') }), { weight: 'bolder' }));
    body.push({
      type: 'FactSet',
      facts: [
        { title: t('accreditation:epr.targeted'), value: e.answers.targeted === 'yes' ? d(t)('eprs.targeted', { theme: e.answers.theme ? t(`accreditation:theme.${e.answers.theme}`) : '' }) : d(t)('eprs.notTargeted') },
        ...(['what', 'consequences', 'causes', 'barriersWorked', 'barriersFailed', 'actions'] as const).map((f) => ({ title: t(`accreditation:epr.${f}`), value: plain(e.answers[f] || '—') })),
      ],
    });
  }
  return card(body, [submit(d(t)('summary.back'), 'back', promptId)]);
}

export function deskWaitCard(t: Translator, promptId: string): AdaptiveCard {
  return card([text(d(t)('entry.title'), { size: 'medium', weight: 'bolder', style: 'heading' }), text(d(t)('entry.waiting'))], [
    submit(d(t)('entry.newLink'), 'newLink', promptId),
    submit(d(t)('entry.leave'), 'leave', promptId),
  ]);
}
