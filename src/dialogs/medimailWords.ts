import type { i18n as I18n } from 'i18next';
import { MEDIMAIL_ACTIONS, type MedimailAction } from '../services/medimail/accountStatus';
import { normalize } from '../services/text';

/** What a user types for the Medimail account's actions: the hub's next step, or « mon compte Medimail » itself. */
export type MedimailTyped = MedimailAction | 'hub' | 'newLink';

// Said in a sentence, the way people say them (the bot itself says « écrivez "j'ai reçu mon RPPS" »).
// Normalised text: lower case, no accents, apostrophes as spaces (« j ai »).
const PHRASES: [RegExp, MedimailTyped][] = [
  [/\b(j ai|je viens d avoir|j ai enfin|on m a attribue|i (have )?(got|received)|i now have)\b.*\b(rpps)\b/, 'gotRpps'],
  [/\bmon (numero )?rpps (est )?(arrive|attribue)\b/, 'gotRpps'],
  [/\b(premiere connexion|me connecter (a|sur) (medimail|ma messagerie|mon compte medimail)|first sign ?in|sign in to medimail|log ?in to medimail)\b/, 'firstSignIn'],
  [/\b(corriger|modifier|changer) (mon nom|mon prenom|mon adresse (e )?mail|mon e ?mail|mon mail)\b/, 'fixIdentity'],
  [/\b(correct|change) my (name|e ?mail)\b/, 'fixIdentity'],
  [/\b(webmail|lire mes (messages|mails)( medimail)?|ouvrir (ma messagerie|medimail)|read my (medimail )?(messages|mails))\b/, 'webmail'],
  [/^(mon compte medimail|compte medimail|ma messagerie medimail|my medimail account|medimail account)$/, 'hub'],
  // A waiting card's « Envoyer un nouveau lien »: which link depends on where the account is.
  [/^((envoyer|renvoyer|send)( moi)? (un )?(a )?nouveau lien|nouveau lien|(send )?(me )?a new link)$/, 'newLink'],
  [/^(corriger|modifier) mes (informations|infos)( professionnelles| pro)?$/, 'fixAndResend'],
  [/^(correct|edit) my (professional )?(information|info)$/, 'fixAndResend'],
];

/**
 * Recognises a Medimail action typed instead of clicked: the exact title of one of the hub's
 * buttons (French or English), or one of the phrases above. Whether it applies is the account's
 * state machine's question, not this one's.
 */
export class MedimailWords {
  private readonly titles = new Map<string, MedimailAction>();

  constructor(i18n: I18n) {
    for (const lng of ['fr', 'en']) {
      const t = i18n.getFixedT(lng, 'medimail');
      for (const action of MEDIMAIL_ACTIONS) {
        // « Revenir au menu », « Mon accréditation », « Contacter le centre de services »: the commands and the questions have them.
        if (action === 'menu' || action === 'accreditation' || action === 'support' || action === 'start') continue;
        this.titles.set(normalize(t(`hub.${action}`)), action);
      }
    }
  }

  recognize(text: string): MedimailTyped | undefined {
    const normalized = normalize(text.replace(/['’]/g, ' '));
    return this.titles.get(normalized) ?? PHRASES.find(([pattern]) => pattern.test(normalized))?.[1];
  }
}
