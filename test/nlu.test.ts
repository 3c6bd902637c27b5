import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Nlu, spellOut } from '../src/services/nlu';
import { ROOT } from '../src/paths';

// The measured figure is `npm run nlu:eval`'s; this test keeps it from silently falling apart.
let nlu: Nlu;
beforeAll(async () => {
  nlu = await Nlu.train();
});

describe('the model, trained once', () => {
  it('is cached on its phrases: the cached model answers exactly as a trained one, and new phrases train a new one', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'sesame-nlu-'));
    const locales = fs.mkdtempSync(path.join(os.tmpdir(), 'sesame-locales-'));
    try {
      fs.cpSync(path.join(ROOT, 'locales'), locales, { recursive: true });
      const trained = await Nlu.train(locales, cache);
      const files = fs.readdirSync(cache);
      expect(files).toHaveLength(1);
      const loaded = await Nlu.train(locales, cache);
      const cases = (JSON.parse(fs.readFileSync(path.join(__dirname, 'nlu', 'heldout.json'), 'utf8')) as { lang: 'fr' | 'en'; text: string }[]).slice(0, 60);
      for (const c of cases) expect(await loaded.understand(c.text, c.lang)).toEqual(await trained.understand(c.text, c.lang));
      // A phrase added: the cached model is not the one any more.
      const file = path.join(locales, 'fr', 'nlu.json');
      const phrases = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>;
      phrases.H01 = [...phrases.H01, 'une phrase ajoutee pour le test'];
      fs.writeFileSync(file, JSON.stringify(phrases));
      await Nlu.train(locales, cache);
      // Its own model, the old one gone.
      expect(fs.readdirSync(cache)).toHaveLength(1);
      expect(fs.readdirSync(cache)).not.toEqual(files);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
      fs.rmSync(locales, { recursive: true, force: true });
    }
  });
});

describe('understanding free text', () => {
  it('spells out how people type on a phone', () => {
    expect(spellOut('Jai tjs pas reçu le MDP')).toBe("j'ai toujours pas recu le mot de passe");
  });

  it('keeps the held-out phrasings at 95 % or more, and never takes an out-of-scope request for a topic', async () => {
    // The classifier's own labels; definitions, small talk and journeys are scored through the bot (evalChat.test.ts).
    const cases = (JSON.parse(fs.readFileSync(path.join(__dirname, 'nlu', 'heldout.json'), 'utf8')) as { lang: 'fr' | 'en'; text: string; intent: string }[]).filter((c) => !c.intent.includes(':'));
    let right = 0;
    for (const c of cases) {
      const result = await nlu.understand(c.text, c.lang);
      if (result.intent === c.intent) right += 1;
      if (c.intent.startsWith('OOS')) expect(result.intent ?? '', c.text).toMatch(/^OOS/);
    }
    expect(right / cases.length).toBeGreaterThanOrEqual(0.95);
  });

  it('held-out phrasings are not training phrases', () => {
    const training = new Set(
      ['fr', 'en'].flatMap((lng) => Object.values(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'locales', lng, 'nlu.json'), 'utf8')) as Record<string, string[]>).flat().map(spellOut)),
    );
    const cases = JSON.parse(fs.readFileSync(path.join(__dirname, 'nlu', 'heldout.json'), 'utf8')) as { text: string }[];
    expect(cases.filter((c) => training.has(spellOut(c.text))).map((c) => c.text)).toEqual([]);
  });

  it('emergencies and passwords are caught whatever the wording', async () => {
    expect((await nlu.understand('urgence vitale au bloc', 'fr')).intent).toBe('OOS10');
    expect((await nlu.understand('mon mot de passe est Xk7pQ2mZ9wLr', 'fr')).intent).toBe('OOS09');
    expect((await nlu.understand('the patient is not breathing', 'en')).intent).toBe('OOS10');
  });
});

describe('the procedure a question names', () => {
  it('is Medimail or the accreditation by their words, and « has » in English is a verb, not the HAS', async () => {
    const { namedSide } = await import('../src/dialogs/freeText');
    expect(namedSide('le mail de Medimail est pas arrivé')).toBe('M');
    expect(namedSide('mot de passe SIAM oublié')).toBe('H');
    expect(namedSide('la HAS décide')).toBe('H');
    expect(namedSide('the confirmation email has not arrived')).toBeUndefined();
    expect(namedSide('medimail ou accréditation')).toBeUndefined();
  });
});
