import type { Middleware, TurnContext } from 'botbuilder';
import { isWithheld, turnJournal } from '../dialogs/turn';
import type { Logger } from '../logger';
import { redactForRecord } from '../services/support/redact';
import { errorTrace, type TranscriptStore } from '../services/support/transcripts';

/**
 * What botbuilder's TranscriptLoggerMiddleware cannot know, told to the transcript before it is
 * written (this middleware runs inside it): that the user's message held a secret (it is then
 * stored as a mark, never with its text), and the problems the dialogs noted (sent as trace
 * activities, which the logger records and only the Emulator's channel receives).
 */
export class TranscriptNotes implements Middleware {
  constructor(
    private readonly store: TranscriptStore,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    try {
      await next();
      const errors = turnJournal(context).filter((line) => line.role === 'error');
      // The errors the dialogs noted may quote what was typed: they are kept redacted too.
      if (errors.length) {
        await context.sendActivities(errors.map((line) => errorTrace(redactForRecord(line.text)))).catch((error: unknown) => {
          this.logger.error({ err: error, conversationId: context.activity.conversation?.id }, 'transcript: errors not noted');
        });
      }
    } finally {
      if (isWithheld(context)) this.store.withhold(context.activity);
    }
  }
}
