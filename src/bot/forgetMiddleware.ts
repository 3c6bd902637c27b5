import type { Middleware, TurnContext } from 'botbuilder';
import { isForgotten } from '../dialogs/turn';
import type { Logger } from '../logger';

/** The transcript store's part that erasure needs. */
export interface ErasableTranscripts {
  flush(): Promise<void>;
  deleteTranscript(channelId: string, conversationId: string): Promise<void>;
}

/**
 * Runs outside botbuilder's TranscriptLoggerMiddleware: once a turn that erased the user's data is
 * over — and its own activities logged — the conversation's transcript is deleted again, so the
 * erasure turn leaves nothing behind either.
 */
export class ForgetMiddleware implements Middleware {
  constructor(
    private readonly transcripts: ErasableTranscripts,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    await next();
    if (!isForgotten(context)) return;
    const { channelId, conversation } = context.activity;
    await this.transcripts.flush();
    await this.transcripts.deleteTranscript(channelId, conversation.id).catch((error: unknown) => {
      this.logger.error({ err: error, conversationId: conversation.id }, 'erasure: the turn’s transcript could not be deleted');
    });
  }
}
