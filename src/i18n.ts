import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths';
import i18next, { type i18n as I18n, type Resource, type TFunction } from 'i18next';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Translator = TFunction;

const localesDir = path.join(ROOT, 'locales');

/** Every JSON file of locales/<lng>/ is a namespace; "common" is the default one. */
function loadResources(): Resource {
  const resources: Resource = {};
  for (const lng of LOCALES) {
    resources[lng] = {};
    for (const file of fs.readdirSync(path.join(localesDir, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng][path.basename(file, '.json')] = JSON.parse(fs.readFileSync(path.join(localesDir, lng, file), 'utf8'));
    }
  }
  return resources;
}

/**
 * A private i18next instance. Callers take a fixed translator per turn
 * (`getFixedT(locale)`); the global language is never changed, so two users
 * in two languages never race.
 */
export async function createI18n(defaultLocale: Locale): Promise<I18n> {
  const instance = i18next.createInstance();
  const resources = loadResources();
  await instance.init({
    resources,
    lng: defaultLocale,
    fallbackLng: defaultLocale,
    supportedLngs: [...LOCALES],
    ns: Object.keys(resources[defaultLocale] ?? {}),
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  return instance;
}

/** "fr-FR" → "fr", "en-US" → "en", anything else → undefined. */
export function toLocale(tag: string | undefined | null): Locale | undefined {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(base) ? (base as Locale) : undefined;
}

/**
 * The first of our languages a browser asks for, by its Accept-Language header
 * ("en-US,en;q=0.9,fr;q=0.8" → "en"), or undefined when it asks for none of them.
 */
export function preferredLocale(acceptLanguage: string | undefined | null): Locale | undefined {
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { locale: toLocale(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((w): w is { locale: Locale; q: number; index: number } => w.locale !== undefined && w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return wanted[0]?.locale;
}
