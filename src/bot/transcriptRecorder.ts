import { ActivityTypes, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import { isWithheld, turnJournal } from '../dialogs/turn';
import type { Logger } from '../logger';
import { redactForRecord } from '../services/support/redact';
import { conversationKey, TAG } from '../services/support/transcripts';
import type { TranscriptStore } from '../services/support/transcripts';

type CardItem = { type?: string; text?: string; title?: string; value?: string; facts?: { title: string; value: string }[]; items?: CardItem[]; columns?: CardItem[] };

/** What a person reads in a card: its texts and facts, in order (inputs' values are not echoed). */
function cardText(card: { body?: CardItem[] }): string {
  const parts: string[] = [];
  const walk = (items: CardItem[] | undefined) => {
    for (const item of items ?? []) {
      if (item.type === 'TextBlock' && item.text) parts.push(item.text);
      item.facts?.forEach((f) => parts.push(`${f.title} ${f.value}`));
      walk(item.items);
      walk(item.columns);
    }
  };
  walk(card.body);
  return parts.join(' | ');
}

const HIDDEN_FIELD = /^(promptId|verb)$|password|passwd|mdp|code|otp|secret|token/i;

/** One line for a message of the bot: its text, its cards, its buttons. */
function describeBotMessage(activity: Partial<Activity>): string {
  const parts = [activity.text ?? ''];
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') parts.push(`${TAG.card} ${cardText(attachment.content as { body?: CardItem[] })}`);
    else parts.push(`${TAG.attachment} ${attachment.name ?? attachment.contentType}`);
  }
  const buttons = activity.suggestedActions?.actions?.map((a) => a.title).filter(Boolean) ?? [];
  if (buttons.length) parts.push(`${TAG.buttons} ${buttons.join(' · ')}`);
  return redactForRecord(parts.filter(Boolean).join('\n'));
}

/** One line for what the user sent: what they typed, or the card they submitted (which button, which values). */
function describeUserMessage(activity: Partial<Activity>): string {
  const value = activity.value as Record<string, unknown> | undefined;
  if (value && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([key, v]) => !HIDDEN_FIELD.test(key) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && String(v).trim() !== '')
      .map(([key, v]) => `${key}=${redactForRecord(String(v)).slice(0, 300)}`);
    const verb = typeof value.verb === 'string' ? value.verb : '?';
    return `${TAG.submitted} ${verb}${fields.length ? ` — ${fields.join('; ')}` : ''}`;
  }
  // A pasted document is kept by its start: the helpdesk needs the gist, not the whole.
  return redactForRecord((activity.text ?? '').slice(0, 2000));
}

/**
 * Keeps every conversation's messages for the helpdesk: the user's (a message that held a
 * password is replaced by a mark, as the dialogs decided), the bot's, and the errors the dialogs
 * noted, in order — secrets and patient data masked in every line. Written after the turn; a failure to record never fails the turn.
 */
export class TranscriptRecorder implements Middleware {
  constructor(
    private readonly store: TranscriptStore,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const journal = turnJournal(context);
    context.onSendActivities(async (_ctx, activities, send) => {
      for (const activity of activities) {
        if (activity.type === ActivityTypes.Message) journal.push({ role: 'bot', text: describeBotMessage(activity) });
      }
      return send();
    });
    try {
      await next();
    } finally {
      const incoming = context.activity;
      const user = incoming.type === ActivityTypes.Message ? [{ role: 'user' as const, text: isWithheld(context) ? TAG.withheld : describeUserMessage(incoming) }] : [];
      // The errors the dialogs noted may quote what was typed: they are kept redacted too.
      const lines = [...user, ...journal.map((line) => (line.role === 'error' ? { ...line, text: redactForRecord(line.text) } : line))];
      await this.store.append(conversationKey(incoming), lines).catch((error: unknown) => {
        this.logger.error({ err: error, conversationId: incoming.conversation?.id }, 'transcript: not recorded');
      });
    }
  }
}
