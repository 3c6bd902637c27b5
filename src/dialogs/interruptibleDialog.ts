import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Locale } from '../i18n';
import { normalize } from '../services/text';
import { switchLanguage, tr, trustedEvent } from './turn';

export type Command = 'help' | 'cancel' | 'menu' | 'status' | 'desk' | 'centre' | 'myData' | 'exportData' | 'eraseData' | { language: Locale };
export type LeaveCommand = 'cancel' | 'menu' | 'status' | 'desk' | 'centre' | 'myData' | 'exportData' | 'eraseData';

const COMMANDS: Record<string, Command> = {
  aide: 'help',
  help: 'help',
  '?': 'help',
  annuler: 'cancel',
  annule: 'cancel',
  cancel: 'cancel',
  stop: 'cancel',
  menu: 'menu',
  accueil: 'menu',
  'ou en suis je': 'status',
  'ou j en suis': 'status',
  'on en est ou': 'status',
  statut: 'status',
  status: 'status',
  suivi: 'status',
  'where am i': 'status',
  'espace expert': 'desk',
  'bureau expert': 'desk',
  'expert desk': 'desk',
  'espace centre de services': 'centre',
  'espace agent': 'centre',
  'service centre desk': 'centre',
  'mes donnees': 'myData',
  'mes donnees personnelles': 'myData',
  rgpd: 'myData',
  'my data': 'myData',
  'my personal data': 'myData',
  gdpr: 'myData',
  english: { language: 'en' },
  anglais: { language: 'en' },
  'in english': { language: 'en' },
  francais: { language: 'fr' },
  french: { language: 'fr' },
  'en francais': { language: 'fr' },
};

// Asking for one's data is a command even in a sentence: « je voudrais supprimer mes données svp ».
const DATA_REQUESTS: [RegExp, Command][] = [
  [/\b(telecharger|exporter|recuperer|obtenir|avoir|copie|download|export|get|copy)\b.*\b(mes|my) (donnees|data)\b/, 'exportData'],
  [/\b(supprimer|supprime|supprimez|effacer|efface|effacez|delete|erase|remove)\b.*\b(mes|my) (donnees|data)\b/, 'eraseData'],
];

/** The words that work everywhere, typed alone (and the data requests, in any sentence). */
export function recognizeCommand(text: string | undefined): Command | undefined {
  if (!text) return undefined;
  const normalized = normalize(text);
  return COMMANDS[normalized] ?? DATA_REQUESTS.find(([pattern]) => pattern.test(normalized))?.[1] ?? (text.trim() === '?' ? 'help' : undefined);
}

/**
 * Base of every journey: "aide", "annuler", "menu", "english"/"français" work at any step.
 * Help and language keep the user where they are (the current card comes back, answers
 * kept); cancel and menu leave the journey, handled by the dialog that owns the menu.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const { activity } = innerDc.context;
    // A page's code typed in the chat is the page's outcome, for the step that waits for it: not a question.
    if (trustedEvent(innerDc.context)) return super.onContinueDialog(innerDc);
    const typed = activity.type === 'message' && !activity.value && activity.text?.trim() ? activity.text : undefined;
    const command = typed ? recognizeCommand(typed) : undefined;
    if (command) {
      const handled = await this.interrupt(innerDc, command);
      if (handled) return handled;
    }
    if (typed && !command) {
      const handled = await this.onFreeText(innerDc, typed);
      if (handled) return handled;
    }
    return super.onContinueDialog(innerDc);
  }

  /** Free text that is not a command: the dialog that understands questions answers it (the root). */
  protected async onFreeText(_innerDc: DialogContext, _text: string): Promise<DialogTurnResult | undefined> {
    return undefined;
  }

  protected async interrupt(innerDc: DialogContext, command: Command): Promise<DialogTurnResult | undefined> {
    const context = innerDc.context;
    if (command === 'help') {
      await context.sendActivity(tr(context)('help.text'));
      await innerDc.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }
    if (typeof command === 'object') {
      await switchLanguage(context, command.language);
      await context.sendActivity(tr(context)('language.switched'));
      await innerDc.repromptDialog();
      return { status: DialogTurnStatus.waiting };
    }
    return this.onLeave(innerDc, command);
  }

  /** "annuler" / "menu" / "où en suis-je". The dialog that owns the menu handles them; a journey lets them bubble up. */
  protected async onLeave(_innerDc: DialogContext, _command: LeaveCommand): Promise<DialogTurnResult | undefined> {
    return undefined;
  }
}
