import { z } from 'zod';
import type { Translator } from '../i18n';
import type { EprView } from '../services/accreditation/epr';
import { plain } from './adaptive';
import type { CardView } from './form';
import { calendarLongDay, day, longDateTime, longDay } from '../dates';
import { programmeCalendar } from '../services/accreditation/programme';
import { shortTitle } from './medimail';
import { choice, fact, form, formData, pick, requiredMessage, text, texts, values } from './schema';

// The "Portail OA-Accréditation" (templates/epr/): the specialty programme and the EPR.

const a = (t: Translator, key: string, options?: Record<string, unknown>) => t(`accreditation:${key}`, options);
const EPR_REQUIRED = ['date', 'establishment', 'targeted', 'what', 'consequences', 'causes', 'actions'] as const;
const EPR = [...EPR_REQUIRED, 'title', 'anonymous', 'establishmentExample', 'targetedNo', 'targetedYes', 'theme', 'noTheme', 'barriersWorked', 'barriersFailed', 'send', 'save', 'back'] as const;

export const eprSchemas = {
  portal: z.object({
    promptId: form.promptId,
    text: texts('title', 'declare', 'list', 'back', 'calendarTitle', 'calendarNote'),
    intro: text,
    items: z.array(text),
    themes: z.string(),
    calendar: z.array(fact),
  }),
  epr: z.object({
    ...form,
    text: texts(...EPR),
    required: texts(...EPR_REQUIRED),
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    themes: z.array(choice),
    values: values({ date: '', establishment: '', targeted: 'no', theme: '', what: '', consequences: '', causes: '', barriersWorked: '', barriersFailed: '', actions: '' }),
  }),
  /** "Mes EPR": each declaration with its status; drafts can be taken up. */
  list: z.object({ promptId: form.promptId, text: texts('title', 'none', 'declare', 'back'), eprs: z.array(fact), drafts: z.array(z.object({ title: text, eprId: z.string().min(1) })) }),
};

export function portalData(t: Translator, promptId: string, oaName: string, themes: string[], engagedOn?: Date) {
  return {
    promptId,
    text: { ...pick(t, 'accreditation:portal', ['title', 'declare', 'list', 'back', 'calendarTitle', 'calendarNote'] as const) },
    intro: a(t, 'portal.intro', { oa: oaName }),
    items: [1, 2, 3, 4].map((n) => a(t, `portal.item${n}`)),
    themes: themes.length ? a(t, 'portal.themes', { oa: oaName, themes: themes.map((th) => a(t, `theme.${th}`)).join(', ') }) : '',
    // The programme's calendar, where the engagement date is known.
    calendar: engagedOn
      ? programmeCalendar(engagedOn).map((e) => ({
          title: e.year === 0 ? longDay(t, e.date) : a(t, 'portal.around', { date: longDay(t, e.date) }),
          value: a(t, `portal.milestone.${e.milestone}`, { oa: oaName, year: e.year }),
        }))
      : [],
  };
}

export function eprData(t: Translator, view: CardView, themes: string[], today: string) {
  const text = pick(t, 'accreditation:epr', EPR);
  return {
    ...formData(t, view),
    text,
    required: Object.fromEntries(EPR_REQUIRED.map((id) => [id, requiredMessage(t, text[id])])) as Record<(typeof EPR_REQUIRED)[number], string>,
    today,
    themes: themes.map((th) => ({ title: a(t, `theme.${th}`), value: th })),
    values: view.values,
  };
}

/** An EPR as a line: its event's date as the user wrote it (never ISO) and its establishment. */
export const eprLine = (t: Translator, answers: Record<string, string | undefined>) => `${calendarLongDay(t, answers.date ?? '')} ${answers.establishment ?? ''}`.trim();

export function eprListData(t: Translator, promptId: string, eprs: EprView[]) {
  return {
    promptId,
    text: { title: a(t, 'epr.listTitle'), none: a(t, 'epr.none'), declare: a(t, 'portal.declare'), back: a(t, 'portal.back') },
    eprs: eprs.map((e) => ({
      title: e.status === 'SENT' ? a(t, 'epr.sentOn', { date: longDateTime(t, new Date(e.sentAt!)) }) : a(t, 'epr.draft', { date: longDateTime(t, new Date(e.createdAt)) }),
      value: plain(eprLine(t, e.answers)) || '—',
    })),
    drafts: eprs.filter((e) => e.status === 'DRAFT').map((e) => ({ title: shortTitle(a(t, 'epr.open', { date: day(t, new Date(e.createdAt)) })), eprId: e.id })),
  };
}
