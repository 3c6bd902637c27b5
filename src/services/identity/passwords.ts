import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { normalize } from '../text';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };

/** scrypt with a random salt; the stored form names its parameters so they can evolve. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return crypto.timingSafeEqual(actual, expected);
}

// No look-alikes (0/O, 1/l/I): a temporary password is read in a mail and typed by hand.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random temporary password: 14 characters with upper case, lower case and digits. */
export function temporaryPassword(length = 14): string {
  for (;;) {
    const value = Array.from({ length }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]).join('');
    if (/[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value)) return value;
  }
}

export const PASSWORD_MIN_LENGTH = 12;

export type PasswordProblem = 'tooShort' | 'containsUsername' | 'containsName' | 'mismatch' | 'tooLong';

/**
 * The personal password policy: at least 12 characters, not containing the username or the
 * person's names, typed twice the same. Length beats composition rules (NIST SP 800-63B).
 */
export function checkNewPassword(password: string, confirmation: string, context: { username: string; names: string[] }): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push('tooShort');
  if (password.length > 200) problems.push('tooLong');
  const flat = normalize(password).replace(/\s/g, '');
  if (context.username && flat.includes(normalize(context.username).replace(/\s/g, ''))) problems.push('containsUsername');
  if (context.names.some((name) => name.length >= 3 && flat.includes(normalize(name).replace(/\s/g, '')))) problems.push('containsName');
  if (password !== confirmation) problems.push('mismatch');
  return problems;
}
