import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve(__dirname, '..', 'locales');
const keys = (o: Record<string, unknown>, p = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? keys(v as Record<string, unknown>, `${p}${k}.`) : [`${p}${k}`]));
const load = (lng: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, lng, file), 'utf8')) as Record<string, unknown>;

describe('locales', () => {
  const files = fs.readdirSync(path.join(dir, 'fr')).filter((f) => f.endsWith('.json'));

  it('has the same files in French and English', () => {
    expect(fs.readdirSync(path.join(dir, 'en')).filter((f) => f.endsWith('.json')).sort()).toEqual(files.sort());
  });

  it.each(files)('%s has the same keys and placeholders in both languages', (file) => {
    const fr = load('fr', file);
    const en = load('en', file);
    expect(keys(en).sort()).toEqual(keys(fr).sort());
    const placeholders = (o: Record<string, unknown>) =>
      Object.fromEntries(keys(o).map((k) => [k, (String(k.split('.').reduce<unknown>((v, p) => (v as Record<string, unknown>)[p], o)).match(/{{\w+}}/g) ?? []).sort()]));
    expect(placeholders(en)).toEqual(placeholders(fr));
  });
});
