// What never reaches a transcript, a ticket or a helpdesk: passwords and codes typed by mistake,
// the tokens of the one-time links to the secure pages (whoever holds one may use it), and data
// that identifies a patient.
import { redactPatientData } from '../patientData';

// The words that announce a secret, as people type them: "mot de passe", "M0t-de-Passe", "mot2passe",
// "mdp", "pwd", "pass"… (a whole word, not "Passe" inside a sentence).
const SECRET_WORD = String.raw`m[o0]ts?[\s-]*(?:de|d'|2)?[\s-]*pa[s$5]{2}e?s?|mdps?|password|passwd|pwd|pass|code(?: otp| sms| a usage unique| à usage unique)?|otp|pin`;
const SECRET_AFTER_WORD = new RegExp(String.raw`\b(${SECRET_WORD})(?![\p{L}\d])(\s*(?:est|is|c['’]est|cest|=|:|->)?\s*)("[^"]+"|'[^']+'|\S+)`, 'giu');
/** "identifiants : 10100326494 / Xk9…": what follows the username is its password. */
const CREDENTIALS_PAIR = /\b(identifiants?|login|credentials?)(\s*:?\s*\S+\s*[/|]\s*)(\S+)/gi;
/**
 * A word shaped like a password, wherever it stands ("j'ai tapé Renard2023!", "le mot de passe reçu
 * est Kq7-pL2x-9Zb"): letters and digits mixed with capitals, or with symbols in a long word — not an
 * address, a link, an identifier or a date.
 */
const PASSWORD_LIKE = /(?<![\p{L}\d@/.:-])(?=[^\s@/]*\p{L})(?=[^\s@/]*\d)(?:(?=[^\s@/]*\p{Lu})(?=[^\s@/]*\p{Ll})[^\s@/]{8,64}|(?=[^\s@/]*[^\p{L}\d\s])[^\s@/]{10,64})(?![^\s])/gu;
/** Six digits, alone or split in two: how a one-time code looks, whatever the sentence says. */
const SIX_DIGITS = /(?<![\d])\d{3}[\s.]?\d{3}(?![\d])/g;
const LINK_TOKEN = /(\/compte\/(?:[a-z-]+\/)*)[A-Za-z0-9_-]{16,}/g;
/** A run of 4 to 8 digits alone is how one-time codes look; identifiers (9+ digits) are kept. */
const BARE_CODE = /(^|[^\d])(\d{4,8})(?![\d])/g;

/** "mon code est refusé": what is said of a secret, not the secret. */
const STATE_WORD = /^(refus|oubli|bloqu|incorrect|faux|fausse|invalid|expir|perim|périm|wrong|not|pas|perdu|lost|forgot|ok|bon|bien|correct|valid|trop|too|le|la|les|mon|ma|the|my)/i;

export const WITHHELD_MARK = '•••';

/** The text with secrets masked. Identifiers (RPPS, ADELI, SIRET...) and e-mail addresses are kept. */
export function redactSecrets(text: string): string {
  let out = text.replace(LINK_TOKEN, `$1${WITHHELD_MARK}`);
  out = out.replace(SECRET_AFTER_WORD, (whole, word: string, sep: string, value: string) => {
    // "mot de passe oublié", "code refusé": a plain word after it, with nothing saying "is", is not a secret.
    const announced = /[=:>]|est|is/i.test(sep);
    if (!/[\p{L}\d]/u.test(value)) return whole;
    const plainWord = /^[a-zà-ÿ]+[.!?,]?$/.test(value);
    if (plainWord && (!announced || STATE_WORD.test(value))) return whole;
    return `${word}${sep}${WITHHELD_MARK}`;
  });
  out = out.replace(CREDENTIALS_PAIR, (_whole, word: string, between: string) => `${word}${between}${WITHHELD_MARK}`);
  out = out.replace(PASSWORD_LIKE, WITHHELD_MARK).replace(SIX_DIGITS, WITHHELD_MARK);
  // A code typed alone after "code"/"otp" is handled above; a message that is just a short number is a code.
  if (/^\s*\d{4,8}\s*$/.test(out)) return WITHHELD_MARK;
  return out.replace(BARE_CODE, (whole, before: string) => (/code|otp|pin/i.test(text) ? `${before}${WITHHELD_MARK}` : whole));
}

/** A form's answer with patient data masked (the fields' own rules decide what else is refused). */
export function redactPatient(text: string): string {
  return redactPatientData(text, WITHHELD_MARK);
}

/** What may be kept of a text (transcript, ticket, the conversation's memory): secrets and patient data masked. */
export function redactForRecord(text: string): string {
  // Patient data first: a social security number holds runs of digits the secret rules would cut.
  return redactSecrets(redactPatient(text));
}

/** Whether a text holds something that must not be kept as it was typed. */
export function isSensitive(text: string): boolean {
  return redactForRecord(text) !== text;
}
