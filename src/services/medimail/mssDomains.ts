import { z } from 'zod';
import mssDomainsData from '../../../data/medimail/mssDomains.json';

/**
 * The regional part of MSS addresses (data/medimail/mssDomains.json, with its source): one rule,
 * prenom.nom@<profession>.<label>.mssante.fr, the label being that of the regions where Sésame
 * creates accounts. Only labels seen in a source are listed; a region without one is refused at start-up.
 */
const schema = z.object({
  source: z.string().min(1),
  rule: z.string().min(1),
  regions: z.record(z.string().regex(/^\d{2}$/), z.object({ name: z.string().min(1), label: z.string().regex(/^[a-z]{2,10}$/) })),
});

const MSS_DOMAINS = schema.parse(mssDomainsData);

/** Why these regions cannot be configured together, or undefined when they can. */
export function mssLabelProblem(regions: string[]): string | undefined {
  const unknown = regions.filter((code) => !MSS_DOMAINS.regions[code]);
  if (unknown.length) return `${unknown.join(', ')} has no known MSS domain: add it, with its source, to data/medimail/mssDomains.json`;
  const labels = new Set(regions.map((code) => MSS_DOMAINS.regions[code].label));
  if (labels.size > 1) return `regions with different MSS domains (${[...labels].join(', ')}) cannot be configured together: an address is built before the user gives their practice's region`;
  return undefined;
}

/** The label of the MSS addresses made for these regions (`oc` for Occitanie). */
export function mssLabelFor(regions: string[]): string {
  const problem = mssLabelProblem(regions);
  if (problem) throw new Error(`MEDIMAIL_REGIONS ${problem}`);
  return MSS_DOMAINS.regions[regions[0]].label;
}
