import { WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { MENU_VERBS, welcomeCard, type MenuVerb } from '../cards/welcomeCard';
import { normalize } from '../services/text';
import { CardPrompt, type CardPromptResult } from './cardPrompt';
import { InterruptibleDialog } from './interruptibleDialog';
import { tr } from './turn';

export const MAIN_DIALOG = 'main';
const MENU_WATERFALL = 'main.menu';
const MENU_PROMPT = 'main.menuCard';

// A few words per entry, so a user who types instead of clicking is understood.
const ENTRY_WORDS: [RegExp, MenuVerb][] = [
  [/\b(accreditation|accredite|engagement|engager|siam)\b/, 'accreditation.start'],
  [/\b(medimail|mssante|messagerie|mss|mail securise)\b/, 'medimail.start'],
  [/\b(probleme|pb|souci|bloque|problem|stuck|issue|support|depannage)\b/, 'help.problem'],
];

export function recognizeEntry(text: string): MenuVerb | undefined {
  const normalized = normalize(text);
  return ENTRY_WORDS.find(([pattern]) => pattern.test(normalized))?.[1];
}

/** The root: the welcome card with Sésame's three entries, and the routing to each journey. */
export class MainDialog extends InterruptibleDialog {
  constructor() {
    super(MAIN_DIALOG);
    this.addDialog(
      new CardPrompt(MENU_PROMPT, {
        verbs: MENU_VERBS,
        schema: z.object({}),
        render: (t, view) => welcomeCard(t, view.promptId),
        recognizeText: recognizeEntry,
      }),
    );
    this.addDialog(new WaterfallDialog(MENU_WATERFALL, [this.showMenu.bind(this), this.route.bind(this)]));
    this.initialDialogId = MENU_WATERFALL;
  }

  /** Offer the three entries. */
  private async showMenu(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(MENU_PROMPT);
  }

  /** Start the chosen journey; until one exists, say so plainly and come back to the menu. */
  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<Record<string, never>>;
    const t = tr(step.context);
    const key = verb === 'accreditation.start' ? 'comingSoon.accreditation' : verb === 'medimail.start' ? 'comingSoon.medimail' : 'comingSoon.problem';
    await step.context.sendActivity(t(key));
    return step.replaceDialog(MENU_WATERFALL);
  }

  protected override async onLeave(innerDc: DialogContext, command: 'cancel' | 'menu'): Promise<DialogTurnResult> {
    const t = tr(innerDc.context);
    await innerDc.cancelAllDialogs();
    await innerDc.context.sendActivity(t(command === 'cancel' ? 'cancelled' : 'menu.back'));
    return innerDc.beginDialog(MENU_WATERFALL);
  }
}
