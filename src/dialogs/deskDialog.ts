import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { deskEprsData, deskWaitData, NO_SECTION, queueData, summaryData, type DocumentInState, type QueueItem } from '../cards/desk';
import type { SupportingDocuments } from '../services/accreditation/documents';
import { DOCUMENT_PURPOSE } from '../services/identity/linkPurposes';
import { renderCard } from '../cards/render';
import type { EngagementService, ExpertDecision } from '../services/accreditation/engagement';
import { RequestTransitionError } from '../services/accreditation/requestStatus';
import type { EprService } from '../services/accreditation/epr';
import type { DeskAccounts, DeskAccountView } from '../services/desk/deskAccounts';
import { DESK_SIGNED_IN_EVENT } from '../services/identity/linkPurposes';
import type { SecureLinks } from '../services/identity/secureLinks';
import { CardPrompt, type CardPromptResult, type FieldValues } from './cardPrompt';
import { tr } from './turn';
import { DeskSession, type DeskConversation } from './deskSession';
import { plain } from '../cards/adaptive';
import { confirmData } from '../cards/common';

export const DESK_DIALOG = 'desk';
const SIGN_IN = 'desk.signIn';
const QUEUE = 'desk.queue';
const REVIEW = 'desk.review';
const EPRS = 'desk.eprs';
const P_WAIT = 'desk.waitCard';
const P_QUEUE = 'desk.queueCard';
const P_SUMMARY = 'desk.summaryCard';
const P_EPRS = 'desk.eprsCard';
const P_CONFIRM = 'desk.confirmCard';

export type { DeskConversation } from './deskSession';

/** A decision between its button and its confirmation. */
interface PendingDecision {
  verb: string;
  reason: string;
  section: string;
}

/** A refusal or a request for more needs its reason, which the physician will read. */
const decisionSchema = z
  .object({ reason: z.string().trim().max(2000).optional(), section: z.string().optional(), verb: z.string().optional() })
  .passthrough();

/**
 * The OA expert's desk, in the chat: sign in on the bot's secure page, the queue of the OA's
 * requests (oldest first, with their age), a request as a summary card, and the decision —
 * accept, refuse with a reason, or ask for more with a comment. An expert sees only their OAs.
 */
export class DeskDialog extends ComponentDialog {
  private readonly session: DeskSession;

  constructor(
    desk: DeskAccounts,
    private readonly engagements: EngagementService,
    private readonly eprs: EprService,
    private readonly links: SecureLinks,
    state: StatePropertyAccessor<DeskConversation>,
    private readonly publicUrl: () => string,
    private readonly notifyPhysician: (references: unknown[]) => Promise<void>,
    private readonly documents: SupportingDocuments,
    private readonly now: () => Date = () => new Date(),
  ) {
    super(DESK_DIALOG);
    this.session = new DeskSession('EXPERT', desk, links, state, publicUrl, now);
    this.addDialog(new CardPrompt(P_WAIT, { verbs: ['newLink', 'leave'], schema: z.object({}), events: [DESK_SIGNED_IN_EVENT], render: (t, v) => renderCard('desk/wait', deskWaitData(t, v.promptId)) }));
    this.addDialog(
      new CardPrompt(P_QUEUE, {
        verbs: ['open', 'eprs', 'refresh', 'leave'],
        schema: z.object({}),
        render: (t, v) => renderCard('desk/queue', queueData(t, v.promptId, JSON.parse(v.values.items ?? '[]') as QueueItem[], this.now())),
      }),
    );
    this.addDialog(
      new CardPrompt(P_SUMMARY, {
        verbs: ['accept', 'refuse', 'complete', 'documents', 'back'],
        schema: z.object({}),
        schemaFor: (verb) =>
          verb === 'refuse' || verb === 'complete'
            ? decisionSchema.superRefine((v, ctx) => {
                if (!v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reasonRequired' });
              })
            : undefined,
        fields: { reason: { label: 'desk:summary.reason' } },
        render: (t, v) => {
          const data = JSON.parse(v.values.summary ?? '{}') as Awaited<ReturnType<EngagementService['summary']>>;
          const engagement = { ...data.engagement, questionnaire: this.engagements.definition(v.values.ref), sentAt: data.engagement.sentAt ? new Date(data.engagement.sentAt) : undefined };
          return renderCard('desk/summary', summaryData(t, v, data.account, engagement, data.previous, JSON.parse(v.values.documents ?? '[]') as DocumentInState[]));
        },
      }),
    );
    this.addDialog(new CardPrompt(P_EPRS, { verbs: ['back'], schema: z.object({}), render: (t, v) => renderCard('desk/eprs', deskEprsData(t, v.promptId, JSON.parse(v.values.eprs ?? '[]'))) }));
    this.addDialog(new WaterfallDialog(SIGN_IN, [this.sendLink.bind(this), this.afterSignIn.bind(this)]));
    this.addDialog(new WaterfallDialog(QUEUE, [this.showQueue.bind(this), this.routeQueue.bind(this)]));
    this.addDialog(
      new CardPrompt(P_CONFIRM, {
        verbs: ['confirm', 'back'],
        schema: z.object({}),
        render: (t, v) => {
          const verb = v.values.verb as 'accept' | 'refuse' | 'complete';
          const questionnaire = this.engagements.definition(v.values.ref);
          const section = questionnaire.sections.find((s) => s.id === v.values.section);
          const facts = [
            { title: t('desk:summary.decision'), value: t(`desk:summary.${verb}`) },
            ...(verb !== 'accept' ? [{ title: t('desk:summary.reason'), value: v.values.reason ?? '' }] : []),
            ...(verb === 'complete' && section ? [{ title: t('desk:summary.section'), value: t(`questionnaire:${section.title}`) }] : []),
          ];
          return renderCard('common/confirm', confirmData(t, v.promptId, 'decision', facts, { name: v.values.name }));
        },
      }),
    );
    this.addDialog(new WaterfallDialog(REVIEW, [this.showSummary.bind(this), this.confirmDecision.bind(this), this.decide.bind(this)]));
    this.addDialog(new WaterfallDialog(EPRS, [this.showEprs.bind(this), this.backToQueue.bind(this)]));
    this.initialDialogId = SIGN_IN;
  }

  private expert(context: TurnContext): Promise<DeskAccountView | undefined> {
    return this.session.current(context, 'desk:entry.expired');
  }

  // ---- sign-in ----

  private async sendLink(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (await this.expert(step.context)) return step.replaceDialog(QUEUE);
    await this.session.sendLink(step.context, 'desk:entry.intro', 'desk:entry.link');
    return step.beginDialog(P_WAIT);
  }

  private async afterSignIn(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ linkId?: string }>;
    if (verb === 'newLink') return step.replaceDialog(SIGN_IN);
    if (verb === 'leave') return this.leave(step);
    const t = tr(step.context);
    const account = await this.session.take(step.context, values.linkId);
    if (!account) {
      // No physician, no service-centre agent on the expert desk.
      await step.context.sendActivity(t('desk:entry.notExpert'));
      return step.endDialog();
    }
    await step.context.sendActivity(t('desk:entry.connected', { name: plain(account.name), oas: account.oaIds.map((id) => this.engagements.oaName(id) ?? id).join(', ') }));
    return step.replaceDialog(QUEUE);
  }

  private async leave(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await this.session.end(step.context);
    await step.context.sendActivity(tr(step.context)('desk:entry.left'));
    return step.endDialog();
  }

  // ---- the queue ----

  private async showQueue(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const expert = await this.expert(step.context);
    if (!expert) return step.replaceDialog(SIGN_IN);
    const items: QueueItem[] = (await this.engagements.queue(expert.id)).map((r) => ({ accountId: r.accountId, name: r.name, specialty: r.specialty, sentAt: r.sentAt.toISOString() }));
    return step.beginDialog(P_QUEUE, { values: { items: JSON.stringify(items) } });
  }

  private async routeQueue(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'open' && values.accountId) return step.replaceDialog(REVIEW, { accountId: values.accountId });
    if (verb === 'eprs') return step.replaceDialog(EPRS);
    if (verb === 'leave') return this.leave(step);
    return step.replaceDialog(QUEUE);
  }

  // ---- a request ----

  private async showSummary(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const expert = await this.expert(step.context);
    if (!expert) return step.replaceDialog(SIGN_IN);
    const { accountId, reason, section } = step.options as { accountId: string; reason?: string; section?: string };
    const summary = await this.engagements.summary(expert.id, accountId);
    return step.beginDialog(P_SUMMARY, {
      values: {
        accountId,
        ref: this.engagements.refOf(summary.engagement),
        summary: JSON.stringify({ account: summary.account, engagement: { ...summary.engagement, questionnaire: undefined }, previous: summary.previous }),
        documents: JSON.stringify(await this.documents.list(accountId)),
        ...(reason !== undefined ? { reason } : {}),
        ...(section !== undefined ? { section } : {}),
      },
    });
  }

  /** A decision cannot be undone: its recap first, then « Confirmer » (or back to the request, reason kept). */
  private async confirmDecision(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'back') return step.replaceDialog(QUEUE);
    const expert = await this.expert(step.context);
    if (!expert) return step.replaceDialog(SIGN_IN);
    const { accountId } = step.options as { accountId: string };
    if (verb === 'documents') {
      await this.sendDocumentLinks(step.context, expert.id, accountId);
      return step.replaceDialog(REVIEW, { accountId });
    }
    const { account, engagement } = await this.engagements.summary(expert.id, accountId);
    // A section only for a complement, and none when the expert chose « aucune en particulier ».
    const section = verb !== 'accept' && verb !== 'refuse' && values.section && values.section !== NO_SECTION ? values.section : '';
    const decision: PendingDecision = { verb, reason: values.reason ?? '', section };
    (step.values as { decision?: PendingDecision }).decision = decision;
    return step.beginDialog(P_CONFIRM, { values: { ...decision, ref: this.engagements.refOf(engagement), name: `${account.firstName} ${account.lastName}` } });
  }

  private async decide(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb: answer } = step.result as CardPromptResult<FieldValues>;
    const { accountId } = step.options as { accountId: string };
    const { verb, reason, section } = (step.values as { decision: PendingDecision }).decision;
    if (answer === 'back') return step.replaceDialog(REVIEW, { accountId, reason, section });
    const expert = await this.expert(step.context);
    if (!expert) return step.replaceDialog(SIGN_IN);
    const decision: ExpertDecision = verb === 'accept' ? 'ACCEPTED' : verb === 'refuse' ? 'REFUSED' : 'TO_COMPLETE';
    let references: unknown[];
    try {
      ({ references } = await this.engagements.decide(expert.id, accountId, decision, reason || undefined, section || undefined));
    } catch (error) {
      // Another expert decided first, or the card is stale: the request is no longer waiting.
      if (!(error instanceof RequestTransitionError)) throw error;
      await step.context.sendActivity(tr(step.context)('desk:summary.alreadyDecided'));
      return step.replaceDialog(QUEUE);
    }
    await step.context.sendActivity(tr(step.context)('desk:summary.decided'));
    // Not awaited: the physician's conversation runs its own turn (it may be queued behind this one).
    void this.notifyPhysician(references);
    return step.replaceDialog(QUEUE);
  }

  /** One link per supporting document, for this expert, once, 15 minutes: the file is never in the chat. */
  private async sendDocumentLinks(context: TurnContext, expertId: string, accountId: string): Promise<void> {
    const t = tr(context);
    const documents = await this.documents.list(accountId);
    if (!documents.length) {
      await context.sendActivity(t('desk:documents.none'));
      return;
    }
    const lines = [];
    for (const doc of documents) {
      await this.documents.forExpert(expertId, doc.id);
      const link = await this.links.create(DOCUMENT_PURPOSE, { documentId: doc.id, locale: context.activity.locale }, 15, expertId);
      lines.push(`- ${plain(doc.filename)} : ${this.publicUrl()}/compte/bureau/document/${link.token}`);
    }
    await context.sendActivity(`${t('desk:documents.links', { count: documents.length })}\n\n${lines.join('\n')}`);
  }

  // ---- EPRs ----

  private async showEprs(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const expert = await this.expert(step.context);
    if (!expert) return step.replaceDialog(SIGN_IN);
    return step.beginDialog(P_EPRS, { values: { eprs: JSON.stringify(await this.eprs.forExpert(expert.id)) } });
  }

  private async backToQueue(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.replaceDialog(QUEUE);
  }
}
