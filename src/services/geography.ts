import regionsData from '../../data/regions.json';

/** Regions and departments (INSEE codes, knowledge.md §4), and postal code → department (§3.2). */
export interface Department {
  code: string;
  name: string;
  regionCode: string;
  regionName: string;
}

type RegionsFile = Record<string, { name: string; deps: Record<string, string> }>;
const regionsFile = regionsData as RegionsFile;

export const REGIONS = Object.entries(regionsFile)
  .map(([code, r]) => ({ code, name: r.name }))
  .sort((a, b) => a.name.localeCompare(b.name, 'fr'));

export const DEPARTMENTS: Department[] = Object.entries(regionsFile)
  .flatMap(([regionCode, r]) => Object.entries(r.deps).map(([code, name]) => ({ code, name, regionCode, regionName: r.name })))
  .sort((a, b) => a.code.localeCompare(b.code));

const byCode = new Map(DEPARTMENTS.map((d) => [d.code, d]));

export function department(code: string): Department | undefined {
  return byCode.get(code.toUpperCase());
}

export function region(code: string): { code: string; name: string } | undefined {
  return REGIONS.find((r) => r.code === code);
}

export type PostalCodeCheck =
  | { status: 'valid'; department: Department }
  /** A real postal code outside the departments (Monaco, overseas collectivities). */
  | { status: 'outside'; reason: 'monaco' | 'collectivity' }
  | { status: 'invalid' };

/**
 * The postal code gives the *probable* department: that of its distribution office. A few
 * border communes differ (Laveyrune, Ardèche, has 48250), so the user is asked to confirm.
 */
export function departmentFromPostalCode(input: string): PostalCodeCheck {
  const code = input.replace(/\s/g, '');
  if (!/^\d{5}$/.test(code) || code.startsWith('00')) return { status: 'invalid' };
  if (code === '98000') return { status: 'outside', reason: 'monaco' };
  if (code.startsWith('20')) {
    const n = Number(code.slice(2, 3));
    return { status: 'valid', department: byCode.get(n <= 1 ? '2A' : '2B')! };
  }
  if (code.startsWith('97')) {
    if (code === '97133' || code === '97150' || code.startsWith('975') || code.startsWith('977') || code.startsWith('978')) {
      return { status: 'outside', reason: 'collectivity' };
    }
    const found = byCode.get(code.slice(0, 3));
    return found ? { status: 'valid', department: found } : { status: 'invalid' };
  }
  if (code.startsWith('98')) return { status: 'outside', reason: 'collectivity' };
  const found = byCode.get(code.slice(0, 2));
  return found ? { status: 'valid', department: found } : { status: 'invalid' };
}
