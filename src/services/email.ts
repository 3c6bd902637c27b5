import { z } from 'zod';
import { editDistance as distance } from './text';

/** A deliverable-looking address (the same rule everywhere an address is typed). */
export const emailSchema = z.string().trim().toLowerCase().email('email').max(254, 'tooLong');

// Domains physicians in France use most; a typo close to one of these is probably that one.
const COMMON_DOMAINS = [
  'gmail.com', 'yahoo.fr', 'yahoo.com', 'hotmail.fr', 'hotmail.com', 'outlook.fr', 'outlook.com', 'live.fr',
  'orange.fr', 'wanadoo.fr', 'free.fr', 'sfr.fr', 'neuf.fr', 'laposte.net', 'icloud.com', 'me.com', 'aol.com',
  'gmx.fr', 'bbox.fr', 'numericable.fr', 'protonmail.com', 'proton.me', 'aphp.fr', 'chu-toulouse.fr',
];

/**
 * A likely typo in a common domain ("gmial.com", "orange.fe", "hotmail.fr.") → the corrected
 * address, to offer as a one-click correction; undefined when the domain looks intended.
 */
export function suggestEmail(address: string): string | undefined {
  const at = address.trim().toLowerCase().lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = address.trim().toLowerCase().slice(0, at);
  const domain = address.trim().toLowerCase().slice(at + 1).replace(/\.+$/, '');
  if (COMMON_DOMAINS.includes(domain)) return domain === address.trim().toLowerCase().slice(at + 1) ? undefined : `${local}@${domain}`;
  let best: { domain: string; d: number } | undefined;
  for (const candidate of COMMON_DOMAINS) {
    const d = distance(domain, candidate);
    if (d <= 2 && (!best || d < best.d)) best = { domain: candidate, d };
  }
  if (!best) return undefined;
  // One typo in a short domain is already a lot: "sfr.fr" vs "sfr.fe" yes, but not "ac.fr" vs "sfr.fr".
  if (best.d === 2 && domain.length < 8) return undefined;
  return `${local}@${best.domain}`;
}

/** j•••@gmail.com — enough for the user to recognise their address, not enough to leak it. */
export function maskEmail(address: string): string {
  const [local, domain] = address.split('@');
  if (!domain) return '•••';
  return `${local.slice(0, 1)}•••@${domain}`;
}
