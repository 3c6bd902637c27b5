import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { agentQueueData, agentSummaryData, concernTexts, waitingData, type AgentQueueItem, type AgentRequestItem } from '../cards/medimail';
import { renderCard } from '../cards/render';
import { businessHoursBetween } from '../services/businessHours';
import type { DeskAccounts, DeskAccountView } from '../services/desk/deskAccounts';
import { DESK_SIGNED_IN_EVENT } from '../services/identity/linkPurposes';
import type { SecureLinks } from '../services/identity/secureLinks';
import type { MedimailService } from '../services/medimail/medimail';
import { CardPrompt, type CardPromptResult, type FieldValues } from './cardPrompt';
import { codeSpans, tr } from './turn';
import { DeskSession, type DeskConversation } from './deskSession';
import { plain } from '../cards/adaptive';
import { isRejectPart, type RejectPart } from '../services/medimail/accountStatus';

export const CENTRE_DIALOG = 'centre';
const SIGN_IN = 'centre.signIn';
const QUEUE = 'centre.queue';
const REVIEW = 'centre.review';

/**
 * The GRADeS service centre's desk, in the chat: agents sign in on the bot's page, see the
 * accounts to validate with their age in business hours (over 48 highlighted), open one, and
 * validate it or reject it with a reason; the user gets a mail and a message either way.
 */
export class CentreDialog extends ComponentDialog {
  private readonly session: DeskSession;

  constructor(
    desk: DeskAccounts,
    private readonly medimail: MedimailService,
    links: SecureLinks,
    state: StatePropertyAccessor<DeskConversation>,
    publicUrl: () => string,
    private readonly notifyUser: (conversation: unknown, status: 'VALIDATED' | 'REJECTED', reason?: string, part?: RejectPart) => Promise<void>,
    private readonly now: () => Date = () => new Date(),
  ) {
    super(CENTRE_DIALOG);
    this.session = new DeskSession('AGENT', desk, links, state, publicUrl, now);
    const none = z.object({});
    this.addDialog(
      new CardPrompt('centre.p.wait', {
        verbs: ['newLink', 'leave'],
        schema: none,
        events: [DESK_SIGNED_IN_EVENT],
        render: (t, v) =>
          renderCard('medimail/waiting', waitingData(t, v.promptId, 'agent', t('desk:entry.waiting'), [
            { title: t('desk:entry.newLink'), verb: 'newLink' },
            { title: t('medimail:agent.leave'), verb: 'leave' },
          ])),
      }),
    );
    this.addDialog(
      new CardPrompt('centre.p.queue', {
        verbs: ['open', 'done', 'refresh', 'leave'],
        schema: none,
        render: (t, v) => renderCard('centre/queue', agentQueueData(t, v.promptId, JSON.parse(v.values.items ?? '[]') as AgentQueueItem[], JSON.parse(v.values.requests ?? '[]') as AgentRequestItem[])),
      }),
    );
    this.addDialog(
      new CardPrompt('centre.p.summary', {
        verbs: ['validate', 'reject', 'back'],
        schema: none,
        schemaFor: (verb) =>
          verb === 'reject'
            ? z.object({ part: z.string().optional(), reason: z.string().trim().max(1000).optional() }).superRefine((v, ctx) => {
                if (!isRejectPart(v.part)) ctx.addIssue({ code: 'custom', path: ['part'], message: 'rejectPartRequired' });
                if (!v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'rejectReasonRequired' });
              })
            : undefined,
        fields: { part: { label: 'medimail:agent.part' }, reason: { label: 'medimail:agent.reason' } },
        render: (t, v, c) => renderCard('centre/summary', agentSummaryData(t, v, JSON.parse(v.values.account ?? '{}'), concernTexts(t, JSON.parse(v.values.concerns ?? '[]')), codeSpans(c))),
      }),
    );
    this.addDialog(new WaterfallDialog(SIGN_IN, [this.sendLink.bind(this), this.afterSignIn.bind(this)]));
    this.addDialog(new WaterfallDialog(QUEUE, [this.showQueue.bind(this), this.routeQueue.bind(this)]));
    this.addDialog(new WaterfallDialog(REVIEW, [this.showAccount.bind(this), this.decide.bind(this)]));
    this.initialDialogId = SIGN_IN;
  }

  private agent(context: TurnContext): Promise<DeskAccountView | undefined> {
    return this.session.current(context);
  }

  private async sendLink(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (await this.agent(step.context)) return step.replaceDialog(QUEUE);
    await this.session.sendLink(step.context, 'medimail:agent.intro', 'medimail:agent.link');
    return step.beginDialog('centre.p.wait');
  }

  private async afterSignIn(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ linkId?: string }>;
    if (verb === 'newLink') return step.replaceDialog(SIGN_IN);
    if (verb === 'leave') return step.endDialog();
    const t = tr(step.context);
    const account = await this.session.take(step.context, values.linkId);
    if (!account) {
      await step.context.sendActivity(t('medimail:agent.notAgent'));
      return step.endDialog();
    }
    await step.context.sendActivity(t('medimail:agent.connected', { name: plain(account.name) }));
    return step.replaceDialog(QUEUE);
  }

  private async showQueue(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const agent = await this.agent(step.context);
    if (!agent) return step.replaceDialog(SIGN_IN);
    const now = this.now();
    const items: AgentQueueItem[] = await Promise.all(
      (await this.medimail.queue(agent.id)).map(async (a) => ({
        id: a.id,
        name: `${a.firstName} ${a.lastName}`,
        profession: a.details?.profession ?? a.profession,
        specialty: a.details?.specialty,
        department: a.details?.department,
        liberal: a.details?.liberal,
        hours: businessHoursBetween(a.submittedAt ?? now, now),
        flagged: (await this.medimail.concerns(a.id)).length > 0,
      })),
    );
    const requests: AgentRequestItem[] = (await this.medimail.openRequests(agent.id)).map((r) => ({ id: r.id, reference: r.reference, type: r.type, createdAt: r.createdAt.toISOString(), detail: r.detail }));
    return step.beginDialog('centre.p.queue', { values: { items: JSON.stringify(items), requests: JSON.stringify(requests) } });
  }

  private async routeQueue(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'open' && values.accountId) return step.replaceDialog(REVIEW, { accountId: values.accountId });
    if (verb === 'done' && values.requestId) {
      const agent = await this.agent(step.context);
      if (!agent) return step.replaceDialog(SIGN_IN);
      const request = (await this.medimail.openRequests(agent.id)).find((r) => r.id === values.requestId);
      // Already handled (by a colleague, or a second click): the queue is shown as it is now.
      if (request) {
        await this.medimail.closeRequest(agent.id, request.id);
        await step.context.sendActivity(tr(step.context)('medimail:agent.requestClosed', { reference: request.reference }));
      }
      return step.replaceDialog(QUEUE);
    }
    if (verb === 'leave') {
      await this.session.end(step.context);
      await step.context.sendActivity(tr(step.context)('medimail:agent.left'));
      return step.endDialog();
    }
    return step.replaceDialog(QUEUE);
  }

  private async showAccount(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const agent = await this.agent(step.context);
    if (!agent) return step.replaceDialog(SIGN_IN);
    const { accountId } = step.options as { accountId: string };
    const account = await this.medimail.account(accountId);
    if (!account) return step.replaceDialog(QUEUE);
    const concerns = await this.medimail.concerns(accountId);
    return step.beginDialog('centre.p.summary', { values: { account: JSON.stringify(account), concerns: JSON.stringify(concerns) } });
  }

  private async decide(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'back') return step.replaceDialog(QUEUE);
    const agent = await this.agent(step.context);
    if (!agent) return step.replaceDialog(SIGN_IN);
    const { accountId } = step.options as { accountId: string };
    const decision = verb === 'validate' ? 'VALIDATED' : 'REJECTED';
    const part = decision === 'REJECTED' && isRejectPart(values.part) ? values.part : undefined;
    const { conversation } = await this.medimail.decide(agent.id, accountId, decision, values.reason, part);
    await step.context.sendActivity(tr(step.context)('medimail:agent.done'));
    // Not awaited: the user's conversation runs its own turn.
    if (conversation) void this.notifyUser(conversation, decision, values.reason, part);
    return step.replaceDialog(QUEUE);
  }
}
