import { ActivityTypes, ConversationState, MemoryStorage, type Activity, type TurnContext } from 'botbuilder';
import type { Dialog, DialogTurnResult } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { createI18n, type Locale } from '../../src/i18n';
import { setLanguageSwitch, setTurnLanguage } from '../../src/dialogs/turn';
import type { AdaptiveCard } from '../../src/cards/adaptive';

/**
 * The one place that knows the SDK's DialogTestClient (an SDK migration touches this file only).
 * Runs a dialog on a given channel with the per-turn language the bot would set, and returns
 * every reply of a turn.
 */
export interface Harness {
  say(text: string): Promise<Partial<Activity>[]>;
  submit(value: Record<string, unknown>): Promise<Partial<Activity>[]>;
  /** Any activity (a typed message with the channel data a client adds). */
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
  readonly result: DialogTurnResult | undefined;
  readonly locale: Locale;
}

export async function dialogHarness(
  dialog: Dialog,
  options: { channelId?: string; locale?: Locale; initialOptions?: unknown; conversationState?: ConversationState } = {},
): Promise<Harness> {
  const i18n = await createI18n('fr');
  let locale: Locale = options.locale ?? 'fr';
  const language = {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      setTurnLanguage(context, locale, i18n.getFixedT(locale));
      setLanguageSwitch(context, async (chosen) => {
        locale = chosen;
        setTurnLanguage(context, chosen, i18n.getFixedT(chosen));
      });
      await next();
    },
  };
  const client = new DialogTestClient(options.channelId ?? 'webchat', dialog, options.initialOptions, [language], options.conversationState ?? new ConversationState(new MemoryStorage()));
  const drain = (first: Partial<Activity> | undefined) => {
    const replies: Partial<Activity>[] = [];
    for (let reply = first; reply; reply = client.getNextReply()) {
      if (reply.type !== ActivityTypes.Typing) replies.push(reply);
    }
    return replies;
  };
  return {
    async say(text) {
      return drain(await client.sendActivity(text));
    },
    async submit(value) {
      return drain(await client.sendActivity({ type: ActivityTypes.Message, value }));
    },
    async send(activity) {
      return drain(await client.sendActivity({ type: ActivityTypes.Message, ...activity }));
    },
    get result() {
      return client.dialogTurnResult;
    },
    get locale() {
      return locale;
    },
  };
}

/** The Adaptive Card of a reply, if it has one. */
export function cardOf(activity: Partial<Activity> | undefined): AdaptiveCard | undefined {
  const attachment = activity?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return attachment?.content as AdaptiveCard | undefined;
}

/** Every text of a card, flattened, for assertions. */
export function cardTexts(card: AdaptiveCard | undefined): string[] {
  const out: string[] = [];
  const walk = (items: unknown[]) => {
    for (const item of items as Record<string, unknown>[]) {
      if (typeof item.text === 'string') out.push(item.text);
      if (typeof item.label === 'string') out.push(item.label);
      if (Array.isArray(item.items)) walk(item.items);
    }
  };
  walk(card?.body ?? []);
  return out;
}

export function promptIdOf(card: AdaptiveCard | undefined): string {
  const id = card?.actions?.[0]?.data.promptId;
  if (!id) throw new Error('card has no promptId');
  return id;
}
