/**
 * A person's name as registries write them: letters of any script (Łukasiewicz, Şahin, Nguyễn, 王),
 * with spaces, hyphens, apostrophes and dots between them. Nothing that markdown or HTML could read
 * as markup (a name is shown in other people's chats: an expert's desk, the service centre's).
 */
export const PERSON_NAME = /^[\p{L}\p{M}](?:[\p{L}\p{M}'’. -]*[\p{L}\p{M}.])?$/u;

/**
 * A name as typed, with capitals where the user typed none or only capitals (« jean », « DURAND »
 * → « Jean », « Durand »); a name with its own mixed case (« McLean », « de La Tour ») is kept.
 */
export function displayName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed !== trimmed.toLowerCase() && trimmed !== trimmed.toUpperCase()) return trimmed;
  return trimmed.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}
