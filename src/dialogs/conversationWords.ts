import type { i18n as I18n } from 'i18next';
import { normalize } from '../services/text';

/** Normalised for matching: lower case, no accents, apostrophes as spaces (« c est quoi l urml »). */
const words = (text: string) => normalize(text.replace(/['’]/g, ' '));

export type SmallTalk = 'hello' | 'thanks' | 'ok' | 'bye';

// Each kind's words; a message made only of these words (and the fillers) is small talk, whatever their order.
const KINDS: [SmallTalk, Set<string>][] = [
  ['bye', new Set(['revoir', 'aurevoir', 'bientot', 'bye', 'goodbye', 'ciao', 'journee', 'soiree', 'later', 'bonne', 'see'])],
  ['thanks', new Set(['merci', 'mercii', 'merciii', 'mci', 'thanks', 'thank', 'thx', 'ty'])],
  ['hello', new Set(['bonjour', 'bonsoir', 'salut', 'coucou', 'hello', 'hi', 'hey', 'bjr', 'slt', 'bonjours'])],
  ['ok', new Set(['ok', 'okay', 'oki', 'okk', 'accord', 'dac', 'daccord', 'super', 'parfait', 'top', 'genial', 'cool', 'nickel', 'entendu', 'compris', 'great', 'good', 'fine', 'alright', 'perfect', 'noted', 'note', 'bon'])],
];
const FILLERS = new Set(['sesame', 'a', 'au', 'vous', 'toi', 'beaucoup', 'bien', 'tres', 'encore', 'pour', 'tout', 'lot', 'so', 'much', 'very', 'you', 'd', 'ca', 'marche', 'c', 'est', 'de', 'rien', 'la', 'le', 'mille', 'fois', 'and', 'et', 'madame', 'monsieur', 'plus', 'day', 'have', 'nice', 'good', 'for', 'your', 'help', 'aide', 'votre']);

/**
 * « merci », « ok super », « bonjour », « au revoir »: the whole message is politeness, not a question
 * (a word of it inside a question — « merci de me dire… » — is not).
 */
export function recognizeSmallTalk(text: string): SmallTalk | undefined {
  const tokens = words(text).split(' ').filter(Boolean);
  if (tokens.length === 0 || tokens.length > 7) return undefined;
  const known = (w: string) => FILLERS.has(w) || KINDS.some(([, set]) => set.has(w));
  if (!tokens.every(known)) return undefined;
  return KINDS.find(([, set]) => tokens.some((w) => set.has(w)))?.[0];
}

// « c'est quoi X », « que veut dire X », « X c'est quoi », « what does X mean »: the asking around a term.
const ASK = '(?:c est quoi|cest quoi|c quoi|c koi|c est koi|ces quoi|qu est ce que|qu est ce qu|quest ce que|quest ce qu|qu est ce|que veut dire|que signifie|ca veut dire quoi|ca signifie quoi|signification de|signification d|signification du|signification|definition de|definition d|definition du|definition|sens de|kesako|what is|what s|whats|what are|what does|meaning of|define|definition of|explain)';
const ARTICLE = '(?:le |la |l |les |un |une |d |du |des |de |the |a |an )?';
const AFTER = '(?: (?:c est quoi|cest quoi|c quoi|c koi|ca veut dire quoi|veut dire quoi|signifie quoi|ca signifie quoi|kesako|meaning|mean|means|stand for|stands for|exactement|exactly|svp|stp|please|deja|en fait|au juste))*';
const DEFINITION = new RegExp(`^(?:${ASK} )?${ARTICLE}(.+?)${AFTER}$`);

interface GlossaryEntry {
  terms?: string[];
  definition?: string;
  /** The term has a topic of its own (« EPR » → H15): its answer is the definition. */
  topic?: string;
}

/**
 * The domain's acronyms and terms (from knowledge.md), answered as definitions: a question that
 * is only « what is X » about one of them, or X alone.
 */
export class Glossary {
  private readonly byTerm = new Map<string, { key: string; topic?: string }>();

  constructor(i18n: I18n) {
    for (const lng of ['fr', 'en']) {
      const glossary = ((i18n.getResourceBundle(lng, 'common') as { glossary?: Record<string, GlossaryEntry> } | undefined)?.glossary ?? {}) as Record<string, GlossaryEntry>;
      for (const [key, entry] of Object.entries(glossary)) {
        for (const term of [key, ...(entry.terms ?? [])]) this.byTerm.set(words(term), { key, topic: entry.topic });
      }
    }
  }

  /** The entry a definition question asks about, or undefined when the message is something else. */
  lookup(text: string): { key: string; topic?: string } | undefined {
    const match = DEFINITION.exec(words(text));
    return match ? this.byTerm.get(match[1]) : undefined;
  }
}
