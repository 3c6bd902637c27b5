import { ActivityTypes, Channels, TurnContext } from 'botbuilder';
import { Dialog, WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { eraseConfirmData, keptSentences, privacyData } from '../cards/common';
import { renderCard } from '../cards/render';
import { DATA_EXPORT_PURPOSE, FORGET_CONVERSATION_EVENT } from '../services/identity/linkPurposes';
import type { SecureLinks } from '../services/identity/secureLinks';
import type { DataRights, DataSubject } from '../services/privacy/dataRights';
import { CardPrompt, type CardPromptResult } from './cardPrompt';
import { InterruptibleDialog } from './interruptibleDialog';
import { forgetConversation, tr, turnLocale } from './turn';

export const PRIVACY_DIALOG = 'privacy';
const FLOW = 'privacy.flow';
const CHOOSE = 'privacy.p.choose';
const CONFIRM = 'privacy.p.confirm';

export type PrivacyAction = 'export' | 'erase';
export interface PrivacyOptions {
  /** Typed « télécharger mes données » / « supprimer mes données »: straight to it. */
  action?: PrivacyAction;
}

/** What the conversation proves about its user: the accounts it holds (signed in, or created here). */
export interface PrivacySubjects {
  accounts(context: TurnContext): Promise<{ accreditationAccountId?: string; medimailAccountId?: string; accreditationNotSignedIn: boolean }>;
}

/**
 * « Mes données » (RGPD art. 15 and 17): a copy of what Sésame holds about the user, as a file
 * from a one-time secure link, or its erasure after a confirmation that says what goes and what
 * must be kept, and why.
 */
export class PrivacyDialog extends InterruptibleDialog {
  constructor(
    private readonly rights: DataRights,
    private readonly links: SecureLinks,
    private readonly subjects: PrivacySubjects,
    private readonly publicUrl: () => string,
  ) {
    super(PRIVACY_DIALOG);
    const none = z.object({});
    this.addDialog(new CardPrompt(CHOOSE, { verbs: ['export', 'erase', 'back'], schema: none, render: (t, v) => renderCard('common/privacy', privacyData(t, v.promptId)) }));
    this.addDialog(
      new CardPrompt(CONFIRM, {
        verbs: ['confirm', 'cancel'],
        schema: none,
        // What the card says travels in the prompt's own state (values), so the card comes back the same after « aide ».
        render: (t, v) => {
          const shown = shownSchema.parse(JSON.parse(v.values.shown ?? '{}'));
          return renderCard('common/eraseConfirm', eraseConfirmData(t, v.promptId, shown, shown.kept));
        },
      }),
    );
    this.addDialog(new WaterfallDialog(FLOW, [this.choose.bind(this), this.act.bind(this), this.erase.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async choose(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const action = (step.options as PrivacyOptions | undefined)?.action;
    if (action) return step.next({ verb: action, values: {} } satisfies CardPromptResult<Record<string, never>>);
    return step.beginDialog(CHOOSE);
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<Record<string, never>>;
    const context = step.context;
    const t = tr(context);
    const subject = await this.subject(context);
    if (verb === 'export') {
      const reference = { ...TurnContext.getConversationReference(context.activity), locale: turnLocale(context), sesameSubject: pickIds(subject) };
      const link = await this.links.create(DATA_EXPORT_PURPOSE, reference, 15, subject.accreditationAccountId ?? subject.medimailAccountId);
      await context.sendActivity(t('privacy.exportReady', { url: `${this.publicUrl()}/compte/donnees/${link.token}` }));
      if (subject.accreditationNotSignedIn) await context.sendActivity(t('privacy.notSignedIn'));
      return step.endDialog();
    }
    if (verb === 'erase') {
      const kept = await this.rights.wouldKeep(subject);
      const shown: Shown = { accreditation: Boolean(subject.accreditationAccountId), medimail: Boolean(subject.medimailAccountId), kept };
      return step.beginDialog(CONFIRM, { values: { shown: JSON.stringify(shown) } });
    }
    return step.endDialog();
  }

  private async erase(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<Record<string, never>>;
    const context = step.context;
    const t = tr(context);
    if (verb !== 'confirm') {
      await context.sendActivity(t('privacy.cancelled'));
      return step.endDialog();
    }
    const { kept } = await this.rights.erase(await this.subject(context));
    const lines = [t('privacy.erased'), ...keptSentences(t, kept)];
    if (context.activity.channelId === Channels.Msteams) lines.push(t('privacy.teamsHistory'));
    await context.sendActivity(lines.join('\n\n'));
    forgetConversation(context);
    // The chat page forgets this conversation (its key is revoked) and says so.
    if (context.activity.channelId === Channels.Directline) await context.sendActivity({ type: ActivityTypes.Event, name: FORGET_CONVERSATION_EVENT, value: 'erased' });
    // Nothing is left to continue: the whole stack ends (the menu would come back with a card the erased state no longer knows).
    let root: DialogContext = step;
    while (root.parent) root = root.parent;
    await root.cancelAllDialogs();
    return Dialog.EndOfTurn;
  }

  private async subject(context: TurnContext): Promise<DataSubject & { accreditationNotSignedIn: boolean }> {
    const accounts = await this.subjects.accounts(context);
    return { channelId: context.activity.channelId, conversationId: context.activity.conversation.id, userId: context.activity.from?.id, ...accounts };
  }
}

const shownSchema = z.object({
  accreditation: z.boolean().default(false),
  medimail: z.boolean().default(false),
  kept: z.array(z.object({ what: z.enum(['accreditation', 'medimail']), status: z.string() })).default([]),
});
type Shown = z.infer<typeof shownSchema>;

const pickIds = (s: { accreditationAccountId?: string; medimailAccountId?: string }) => ({ accreditationAccountId: s.accreditationAccountId, medimailAccountId: s.medimailAccountId });
