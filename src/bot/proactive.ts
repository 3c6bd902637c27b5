import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import { setTrustedEvent } from '../dialogs/turn';

/**
 * Continues a conversation from outside a turn (a secure page was completed, a decision was
 * taken): an event activity runs through the bot like any turn, so the dialog that waits for it
 * resumes, state is loaded and saved, and turns stay serialised.
 */
export class ProactiveNotifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly bot: { run(context: TurnContext): Promise<void> },
    private readonly appId: string,
    private readonly logger: Logger,
    private readonly localServiceUrl: () => string,
  ) {}

  async sendEvent(stored: Partial<ConversationReference>, name: string, value: Record<string, unknown>): Promise<void> {
    // Our own Direct Line channel is always served by this process: its loopback address is the
    // current one, whatever port it had when the reference was stored.
    const local = stored.channelId === 'directline' && stored.serviceUrl?.startsWith('http://127.0.0.1:');
    const reference = local ? { ...stored, serviceUrl: this.localServiceUrl() } : stored;
    try {
      // botbuilder needs a string app id: '' when the bot runs without credentials.
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        context.activity.name = name;
        context.activity.value = value;
        // Only this path makes Sésame's own events: the bot ignores any posted from outside.
        setTrustedEvent(context, { name, value });
        // Nothing the user sent is answered here: a replyToId (the synthetic event's) would make Web Chat
        // wait seconds for an activity it never sees before showing the message.
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        await this.bot.run(context);
      });
    } catch (error) {
      this.logger.error({ err: error, conversationId: reference.conversation?.id, event: name }, 'proactive: could not continue the conversation');
    }
  }
}
