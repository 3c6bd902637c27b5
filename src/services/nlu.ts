import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LangFr } from '@nlpjs/lang-fr';
import { LangEn } from '@nlpjs/lang-en';
import { LOCALES, type Locale } from '../i18n';
import { ROOT } from '../paths';
import { editDistance, normalize } from './text';

export interface Understanding {
  /** The best intent, or undefined when nothing is close enough. */
  intent: string | undefined;
  score: number;
  /** The next candidates, best first (for "Vouliez-vous dire…"). */
  alternatives: { intent: string; score: number }[];
  language: Locale;
}

// How people type on a phone, spelled out before classifying ("c koi mon mdp" → "c'est quoi mon mot de passe").
const SMS: Record<string, string> = {
  jai: "j'ai", c: "c'est", cest: "c'est", pb: 'probleme', pbs: 'problemes', mdp: 'mot de passe', tjs: 'toujours', ki: 'qui', koi: 'quoi', qd: 'quand',
  tps: 'temps', jsais: 'je sais', jpeux: 'je peux', stp: '', svp: '', co: 'connecter', spe: 'specialite', dispo: 'disponible', tel: 'telephone',
  admin: 'administratif', diff: 'difference', '1ere': 'premiere', pr: 'pour', ds: 'dans', bcp: 'beaucoup', msg: 'message', rdv: 'rendez vous',
  temp: 'temporary', didnt: 'did not', doesnt: 'does not', cant: 'cannot', whats: "what is", pwd: 'password', otp: 'code otp',
};

export function spellOut(text: string): string {
  return normalize(text)
    .split(/\s+/)
    .map((word) => SMS[word] ?? word)
    .join(' ')
    .trim();
}

// Some requests must never be taken for something else, whatever the classifier says: an
// emergency gets 15/112, a password is never taken, a legal question is redirected.
const GUARDS: [RegExp, string][] = [
  [/(urgence vitale|arret cardiaque|ne respire plus|au secours|malaise grave|inconscient|hemorragie massive|cardiac arrest|not breathing|heart attack|life threatening|urgence\b.{0,20}\bpatient|patient.{0,30}\burgence)/, 'OOS10'],
  [/(mon (mot de passe|mdp) (c'?est|est)|voici mon (mot de passe|mdp)|connecte[- ]?toi (pour moi|a ma place)|mes identifiants|here is my password|my password is|sign in for me|log in for me)/, 'OOS09'],
  [/\b(justice|proces|avocat|plainte|sued|lawsuit|lawyer)\b/, 'OOS03'],
  [/\b(ecris|ecrire|redige|rediger|remplis|remplir|reponds|repondre|fais|faire|invente)\b.{0,40}\b(a ma place|pour moi)\b|\b(write|fill|answer)\b.{0,30}\bfor me\b/, 'OOS04'],
];

type NlpEngine = {
  addLanguage(locale: string): void;
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<void>;
  export(minified?: boolean): string;
  import(model: string): void;
  process(locale: string, text: string): Promise<{ intent: string; score: number; classifications?: { intent: string; score: number }[] }>;
  settings: Record<string, unknown>;
};

/** What the cached model depends on besides the phrases: NLP.js's version and how Sésame configures it. */
const NLPJS_VERSION = `${(JSON.parse(fs.readFileSync(require.resolve('@nlpjs/nlp/package.json'), 'utf8')) as { version: string }).version}/sesame-1`;

/** Writes a file whole or not at all (a start killed while writing leaves no half model); never fails the start. */
function saveQuietly(file: string, content: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
    // Models of phrases that are no more.
    for (const other of fs.readdirSync(path.dirname(file))) {
      if (/^nlu-[0-9a-f]+\.json$/.test(other) && other !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), other), { force: true });
    }
  } catch {
    // A read-only installation trains at every start: slower, not wrong.
  }
}

/**
 * Understanding free text with NLP.js, trained (offline, once: the model is cached until the
 * phrases change) from the training phrases of locales/<lng>/nlu.json. Both languages are tried: a physician writes in
 * English in a French conversation, and the other way round.
 */
export class Nlu {
  private constructor(
    private readonly engine: NlpEngine,
    private readonly vocabulary: Set<string>,
  ) {}

  /** A word the training phrases never use, one typo away from one they use, is taken for it ("questionaire"). */
  private corrected(text: string): string {
    return text
      .split(' ')
      .map((word) => {
        if (word.length < 5 || this.vocabulary.has(word) || /\d/.test(word)) return word;
        const limit = word.length >= 9 ? 2 : 1;
        let best: { word: string; d: number } | undefined;
        for (const known of this.vocabulary) {
          if (Math.abs(known.length - word.length) > limit) continue;
          const d = editDistance(word, known);
          if (d <= limit && (!best || d < best.d)) best = { word: known, d };
        }
        return best?.word ?? word;
      })
      .join(' ');
  }

  /**
   * The model of locales/<lng>/nlu.json (and the topics' titles): loaded from the cache when it was
   * trained on exactly these phrases by this NLP.js, else trained (a few hundred milliseconds) and
   * cached for the next start. `cacheDir: null` trains without the cache.
   */
  static async train(localesDir = path.join(ROOT, 'locales'), cacheDir: string | null = path.join(ROOT, 'node_modules', '.cache', 'sesame')): Promise<Nlu> {
    const container = await containerBootstrap();
    // NLP.js's own defaults for every language's classifier, but silent: its neural network
    // otherwise prints an "Epoch n loss" line per epoch on the console (our logs are JSON lines).
    container.registerConfiguration('nlu-??', { keepStopwords: true, nonefeatureValue: 1, nonedeltaMultiplier: 1.2, spellCheck: false, spellCheckDistance: 1, filterZeros: true, log: false }, true);
    container.use(Nlp);
    container.use(LangFr);
    container.use(LangEn);
    const engine = container.get('nlp') as NlpEngine;
    engine.settings.autoSave = false;
    engine.settings.log = false;
    engine.settings.nlu = { log: false };
    const vocabulary = new Set<string>();
    const documents: [Locale, string, string][] = [];
    const inputs = crypto.createHash('sha256').update(`${NLPJS_VERSION}\n`);
    for (const lng of LOCALES) {
      const nluFile = fs.readFileSync(path.join(localesDir, lng, 'nlu.json'), 'utf8');
      const faqFile = fs.readFileSync(path.join(localesDir, lng, 'faq.json'), 'utf8');
      inputs.update(`${lng}\n${nluFile}\n${faqFile}\n`);
      const phrases = JSON.parse(nluFile) as Record<string, string[]>;
      // The topics' titles too: "Vouliez-vous dire… ?" offers them as buttons that send them back.
      const faq = JSON.parse(faqFile) as Record<string, { title: string }>;
      for (const [intent, { title }] of Object.entries(faq)) if (title) phrases[intent] = [...(phrases[intent] ?? []), title];
      for (const [intent, utterances] of Object.entries(phrases)) {
        for (const utterance of utterances) {
          const spelled = spellOut(utterance);
          spelled.split(' ').forEach((word) => vocabulary.add(word));
          documents.push([lng, spelled, intent]);
        }
      }
    }
    for (const lng of LOCALES) engine.addLanguage(lng);
    const cached = cacheDir ? path.join(cacheDir, `nlu-${inputs.digest('hex').slice(0, 20)}.json`) : undefined;
    const model = cached && fs.existsSync(cached) ? fs.readFileSync(cached, 'utf8') : undefined;
    if (model) {
      engine.import(model);
    } else {
      for (const [lng, spelled, intent] of documents) engine.addDocument(lng, spelled, intent);
      await engine.train();
      if (cached) saveQuietly(cached, engine.export(true));
    }
    return new Nlu(engine, vocabulary);
  }

  async understand(text: string, preferred: Locale): Promise<Understanding> {
    const spelled = this.corrected(spellOut(text));
    const guarded = GUARDS.find(([pattern]) => pattern.test(spelled))?.[1];
    if (guarded) return { intent: guarded, score: 1, alternatives: [], language: preferred };
    const results = await Promise.all(
      LOCALES.map(async (language) => {
        const result = await this.engine.process(language, spelled);
        const ranked = (result.classifications ?? []).filter((c) => c.intent !== 'None').sort((a, b) => b.score - a.score);
        return { language, ranked, top: ranked[0]?.score ?? 0 };
      }),
    );
    // The preferred language wins a tie.
    results.sort((a, b) => b.top - a.top || (a.language === preferred ? -1 : b.language === preferred ? 1 : 0));
    const best = results[0];
    const [first, ...rest] = best.ranked;
    return {
      intent: first && first.score >= 0.5 ? first.intent : undefined,
      score: first?.score ?? 0,
      alternatives: rest.slice(0, 3),
      language: best.language,
    };
  }
}
