import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { confirmData } from '../cards/common';
import { eprData, eprListData, portalData } from '../cards/epr';
import { calendarDay } from '../dates';
import { renderCard } from '../cards/render';
import { dateTime } from '../dates';
import type { EngagementService } from '../services/accreditation/engagement';
import { EPR_FIELDS, EPR_TEXT_FIELDS, eprSchema, patientDataFindings, type EprAnswers, type EprService } from '../services/accreditation/epr';
import type { AccountView } from '../services/accreditation/registry';
import { CardPrompt, type CardPromptResult, type FieldValues } from './cardPrompt';
import { tr } from './turn';
import type { Translator } from '../i18n';

export const PORTAL_DIALOG = 'acc.portal';
const PORTAL = 'acc.portal.home';
const EPR = 'acc.portal.epr';
const LIST = 'acc.portal.list';
const P_PORTAL = 'acc.portal.card';
const P_EPR = 'acc.portal.eprCard';
const P_LIST = 'acc.portal.listCard';
const P_CONFIRM = 'acc.portal.confirmCard';

/** Patient-identifying data in any free-text field: a declaration is anonymous by design. */
const anonymous = <T extends z.ZodType<Record<string, unknown>>>(schema: T) =>
  schema.superRefine((values, ctx) => {
    for (const field of EPR_TEXT_FIELDS) {
      const found = patientDataFindings(String((values as Record<string, unknown>)[field] ?? ''), { names: true });
      if (found.length) ctx.addIssue({ code: 'custom', path: [field], message: found[0] });
    }
  });

const today = () => new Date().toISOString().slice(0, 10);

const sendSchema = anonymous(
  eprSchema.superRefine((v, ctx) => {
    if (v.date > today()) ctx.addIssue({ code: 'custom', path: ['date'], message: 'pastDate' });
  }),
);
const draftSchema = anonymous(z.object({}).passthrough());

const FIELDS = Object.fromEntries(
  ['date', 'establishment', 'targeted', 'theme', 'what', 'consequences', 'causes', 'barriersWorked', 'barriersFailed', 'actions'].map((f) => [f, { label: `accreditation:epr.${f}` }]),
);

export type PortalOutcome = { outcome: 'back' | 'expired' };

/** "Portail OA-Accréditation", open once engaged: the specialty programme and "Déclarer un EPR". */
export class PortalDialog extends ComponentDialog {
  constructor(
    private readonly engagements: EngagementService,
    private readonly eprs: EprService,
    private readonly signedIn: (context: TurnContext) => Promise<AccountView | undefined>,
  ) {
    super(PORTAL_DIALOG);
    this.addDialog(
      new CardPrompt(P_PORTAL, {
        verbs: ['declare', 'list', 'back'],
        schema: z.object({}),
        render: (t, v) =>
          renderCard(
            'epr/portal',
            portalData(t, v.promptId, v.values.oa || t('accreditation:hub.yourOa'), JSON.parse(v.values.themes ?? '[]') as string[], v.values.engagedOn ? new Date(v.values.engagedOn) : undefined),
          ),
      }),
    );
    this.addDialog(
      new CardPrompt(P_EPR, {
        verbs: ['send', 'save', 'back'],
        schema: z.object({}),
        schemaFor: (verb, shown) => {
          if (verb === 'save') return draftSchema;
          if (verb !== 'send') return undefined;
          const themes = JSON.parse(shown.themes ?? '[]') as string[];
          return sendSchema.superRefine((v, ctx) => {
            const { targeted, theme } = v as EprAnswers;
            if (targeted === 'yes' && themes.length > 0 && !themes.includes(theme ?? '')) ctx.addIssue({ code: 'custom', path: ['theme'], message: 'themeRequired' });
          });
        },
        fields: FIELDS,
        render: (t, v) => renderCard('epr/epr', eprData(t, v, JSON.parse(v.values.themes ?? '[]') as string[], today())),
      }),
    );
    this.addDialog(new CardPrompt(P_LIST, { verbs: ['open', 'declare', 'back'], schema: z.object({}), render: (t, v) => renderCard('epr/list', eprListData(t, v.promptId, JSON.parse(v.values.eprs ?? '[]'))) }));
    this.addDialog(new WaterfallDialog(PORTAL, [this.showPortal.bind(this), this.routePortal.bind(this)]));
    this.addDialog(
      new CardPrompt(P_CONFIRM, {
        verbs: ['confirm', 'back'],
        schema: z.object({}),
        render: (t, v) => renderCard('common/confirm', confirmData(t, v.promptId, 'epr', eprFacts(t, JSON.parse(v.values.answers ?? '{}') as EprAnswers), { oa: v.values.oa || t('accreditation:hub.yourOa') })),
      }),
    );
    this.addDialog(new WaterfallDialog(EPR, [this.showEpr.bind(this), this.afterEpr.bind(this), this.afterConfirm.bind(this)]));
    this.addDialog(new WaterfallDialog(LIST, [this.showList.bind(this), this.routeList.bind(this)]));
    this.initialDialogId = PORTAL;
  }

  private async engaged(context: TurnContext) {
    const account = await this.signedIn(context);
    if (!account) return undefined;
    const engagement = await this.engagements.get(account.id);
    return engagement?.status === 'ACCEPTED' ? { account, engagement } : undefined;
  }

  private async showPortal(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const found = await this.engaged(step.context);
    if (!found) return step.endDialog({ outcome: 'expired' } satisfies PortalOutcome);
    const { oa, decidedAt } = found.engagement;
    return step.beginDialog(P_PORTAL, { values: { oa: oa.name ?? '', themes: JSON.stringify(oa.targetedThemes), engagedOn: decidedAt?.toISOString() ?? '' } });
  }

  private async routePortal(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'declare') return step.replaceDialog(EPR);
    if (verb === 'list') return step.replaceDialog(LIST);
    return step.endDialog({ outcome: 'back' } satisfies PortalOutcome);
  }

  /** The declaration card, empty or with a draft taken up. */
  private async showEpr(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const found = await this.engaged(step.context);
    if (!found) return step.endDialog({ outcome: 'expired' } satisfies PortalOutcome);
    const eprId = (step.options as { eprId?: string } | undefined)?.eprId;
    const draft = eprId ? await this.eprs.get(found.account.id, eprId) : undefined;
    // A new declaration starts from the main establishment of the administrative file (not asked twice).
    const establishment = draft ? undefined : found.account.adminFile?.establishments[0]?.name;
    return step.beginDialog(P_EPR, {
      values: { ...(establishment ? { establishment } : {}), ...(draft?.answers ?? {}), eprId: draft?.id ?? '', themes: JSON.stringify(found.engagement.oa.targetedThemes) } as FieldValues,
    });
  }

  private async afterEpr(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'back') return step.replaceDialog(PORTAL);
    const found = await this.engaged(step.context);
    if (!found) return step.endDialog({ outcome: 'expired' } satisfies PortalOutcome);
    const t = tr(step.context);
    const eprId = (step.options as { eprId?: string } | undefined)?.eprId;
    const answers = values as EprAnswers;
    const draft = await this.eprs.saveDraft(found.account.id, found.engagement.oa.id, answers, eprId);
    if (verb === 'save') {
      await step.context.sendActivity(t('accreditation:epr.saved'));
      return step.replaceDialog(PORTAL);
    }
    // Sent only after the recap is confirmed; « Modifier » comes back to the declaration, kept as a draft.
    (step.values as { eprId?: string }).eprId = draft.id;
    return step.beginDialog(P_CONFIRM, { values: { answers: JSON.stringify(draft.answers), oa: found.engagement.oa.name ?? '' } });
  }

  private async afterConfirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<FieldValues>;
    const { eprId } = step.values as { eprId: string };
    if (verb === 'back') return step.replaceDialog(EPR, { eprId });
    const found = await this.engaged(step.context);
    if (!found) return step.endDialog({ outcome: 'expired' } satisfies PortalOutcome);
    const t = tr(step.context);
    const sent = await this.eprs.send(found.account.id, eprId);
    await step.context.sendActivity(t('accreditation:epr.sent', { oa: found.engagement.oa.name ?? t('accreditation:hub.yourOa'), date: dateTime(t, sent.sentAt!) }));
    return step.replaceDialog(LIST);
  }

  private async showList(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const found = await this.engaged(step.context);
    if (!found) return step.endDialog({ outcome: 'expired' } satisfies PortalOutcome);
    return step.beginDialog(P_LIST, { values: { eprs: JSON.stringify(await this.eprs.list(found.account.id)) } });
  }

  private async routeList(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'open') return step.replaceDialog(EPR, { eprId: values.eprId });
    if (verb === 'declare') return step.replaceDialog(EPR);
    return step.replaceDialog(PORTAL);
  }
}

/** A declaration as its recap shows it: each answered field with its label, the date as written, yes/no in words. */
function eprFacts(t: Translator, answers: EprAnswers): { title: string; value: string }[] {
  return EPR_FIELDS.filter((field) => answers[field]?.trim()).map((field) => {
    const value = answers[field]!;
    const shown =
      field === 'date' ? calendarDay(t, value) : field === 'targeted' ? t(value === 'yes' ? 'accreditation:epr.targetedYes' : 'accreditation:epr.targetedNo') : field === 'theme' ? t(`accreditation:theme.${value}`) : value;
    return { title: t(`accreditation:epr.${field}`), value: shown };
  });
}
