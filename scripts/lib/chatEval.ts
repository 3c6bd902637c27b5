// Understanding measured where users meet it: each phrasing is the first message of a fresh
// conversation with the real server (in this process, over HTTP Direct Line, its own database),
// and what is scored is the answer the bot shows — not the classifier's label.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseConfig } from '../../src/config';
import { startApp, type App } from '../../src/app';
import { createLogger } from '../../src/logger';
import { ROOT } from '../../src/paths';

/**
 * What a phrasing should get. A topic of knowledge §5 or an out-of-scope category (`H04`, `OOS03`),
 * a journey's start (`start:accreditation`, `start:medimail`), a definition (`define:urml`),
 * small talk (`chat:thanks`) or a command (`command:help`).
 */
export const evalCaseSchema = z.object({ lang: z.enum(['fr', 'en']), text: z.string().min(1), intent: z.string().min(1) });
export type EvalCase = z.infer<typeof evalCaseSchema>;

export function loadCases(file = path.join(ROOT, 'test', 'nlu', 'heldout.json')): EvalCase[] {
  return z.array(evalCaseSchema).parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

type Bundle = Record<string, unknown>;
const bundle = (lng: string, ns: string): Bundle => JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', lng, `${ns}.json`), 'utf8')) as Bundle;
const at = (b: Bundle, key: string): string | undefined => {
  const value = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Bundle)[k] : undefined), b);
  return typeof value === 'string' ? value : undefined;
};
/** A sentence with its nested sentences (`$t(ns:key)`) written out, as i18next renders them. */
const nested = (text: string, lng: string) => text.replace(/\$t\(([a-z]+):([^)]+)\)/g, (whole, ns: string, key: string) => at(bundle(lng, ns), key) ?? whole);
/** The part of a sentence before its first interpolation: what every rendering of it starts with. */
const stem = (text: string, lng: string) => nested(text, lng).split('{{')[0].trim();

/** The signatures of every answer the bot can show, in both languages: what was shown is recognised by them. */
function signatures(): { label: string; text: string }[] {
  const out: { label: string; text: string }[] = [];
  for (const lng of ['fr', 'en']) {
    const faq = bundle(lng, 'faq') as Record<string, { answer?: string }>;
    for (const [id, entry] of Object.entries(faq)) if (entry.answer) out.push({ label: id, text: stem(entry.answer, lng) });
    const common = bundle(lng, 'common');
    const glossary = (common.glossary ?? {}) as Record<string, { definition?: string }>;
    for (const [term, entry] of Object.entries(glossary)) if (entry.definition) out.push({ label: `define:${term}`, text: stem(entry.definition, lng) });
    const chat = (common.smallTalk ?? {}) as Record<string, string>;
    for (const [kind, text] of Object.entries(chat)) out.push({ label: `chat:${kind}`, text: stem(text, lng) });
    const password = at(common, 'understand.passwordNotStored');
    if (password) out.push({ label: 'OOS09', text: stem(password, lng) });
    const ticket = at(common, 'support.intro');
    if (ticket) out.push({ label: 'nav_advisor', text: stem(ticket, lng) });
    const help = at(common, 'help.text');
    if (help) out.push({ label: 'command:help', text: stem(help, lng) });
    const accreditation = at(bundle(lng, 'accreditation'), 'entry.intro');
    if (accreditation) out.push({ label: 'start:accreditation', text: stem(accreditation, lng) });
    for (const key of ['orientation.what', 'step.orientation']) {
      const medimail = at(bundle(lng, 'medimail'), key);
      if (medimail) out.push({ label: 'start:medimail', text: stem(medimail, lng) });
    }
    for (const key of ['understand.unknown', 'understand.unknownNoSuggestion']) {
      const text = at(common, key);
      if (text) out.push({ label: 'dontKnow', text: stem(text, lng) });
    }
    const didYouMean = at(common, 'understand.didYouMean');
    if (didYouMean) out.push({ label: 'askedBack', text: stem(didYouMean, lng) });
  }
  // Longest first: an answer that quotes a shorter one is recognised as itself.
  return out.filter((s) => s.text.length >= 8).sort((a, b) => b.text.length - a.text.length);
}

/** Every text a set of bot activities shows: messages, card text blocks, facts. */
function shownTexts(activities: unknown[]): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') texts.push(o.text);
      for (const value of Object.values(o)) if (typeof value === 'object') walk(value);
    }
  };
  for (const a of activities as { type?: string; text?: string; attachments?: { content?: unknown }[] }[]) {
    if (a.type !== 'message') continue;
    if (a.text) texts.push(a.text);
    for (const attachment of a.attachments ?? []) walk(attachment.content);
  }
  return texts;
}

export interface CaseResult {
  case: EvalCase;
  /** What the answer shown was recognised as (`dontKnow`, `askedBack`, a label), or `other`. */
  shown: string;
  right: boolean;
  ms: number;
}

export interface EvalReport {
  results: CaseResult[];
  total: number;
  right: number;
  dontKnow: number;
  askedBack: number;
  /** Out-of-scope requests answered as if in scope. */
  oosLeaks: number;
  confusions: { expected: string; shown: string; text: string }[];
}

/** The signature that recognises what the bot showed for a case. */
function recognise(texts: string[], sigs: { label: string; text: string }[], expected: string): string {
  const all = texts.join('\n');
  // The expected answer shown among others (an answer then "Autre chose ?") counts.
  if (sigs.some((s) => s.label === expected && all.includes(s.text))) return expected;
  return sigs.find((s) => all.includes(s.text))?.label ?? 'other';
}

/** Starts Sésame in this process on a free port, with a database of its own; `close` removes it. */
export async function startEvalApp(): Promise<{ app: App; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sesame-eval-'));
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATABASE_URL: `file:${path.join(dir, 'sesame.db')}`,
    RATE_LIMIT_FACTOR: '1000',
    TYPING_DELAY_MS: '0',
  });
  const app = await startApp(config, createLogger('silent'));
  return {
    app,
    close: async () => {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One phrasing, as the first message of a new conversation: the bot's activities in answer. */
async function ask(app: App, c: EvalCase, n: number): Promise<unknown[]> {
  const base = app.url;
  const user = { id: `eval-${n}` };
  const token = ((await (await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, locale: c.lang }) })).json()) as { token: string }).token;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const { conversationId } = (await (await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers })).json()) as { conversationId: string };
  await app.channel.idle();
  const activitiesUrl = `${base}/v3/directline/conversations/${conversationId}/activities`;
  const { watermark } = (await (await fetch(activitiesUrl, { headers })).json()) as { watermark: string };
  const posted = await fetch(activitiesUrl, { method: 'POST', headers, body: JSON.stringify({ type: 'message', from: user, text: c.text, locale: c.lang }) });
  if (!posted.ok) throw new Error(`POST activity: ${posted.status} ${await posted.text()}`);
  await app.channel.idle();
  const after = (await (await fetch(`${activitiesUrl}?watermark=${watermark}`, { headers })).json()) as { activities: { from?: { role?: string } }[] };
  return after.activities.filter((a) => a.from?.role === 'bot');
}

export async function evaluate(app: App, cases: EvalCase[]): Promise<EvalReport> {
  const sigs = signatures();
  const results: CaseResult[] = [];
  for (const [n, c] of cases.entries()) {
    const started = performance.now();
    const shown = recognise(shownTexts(await ask(app, c, n)), sigs, c.intent);
    results.push({ case: c, shown, right: shown === c.intent, ms: performance.now() - started });
  }
  const wrong = results.filter((r) => !r.right);
  return {
    results,
    total: results.length,
    right: results.length - wrong.length,
    dontKnow: wrong.filter((r) => r.shown === 'dontKnow').length,
    askedBack: wrong.filter((r) => r.shown === 'askedBack').length,
    oosLeaks: results.filter((r) => r.case.intent.startsWith('OOS') && !r.shown.startsWith('OOS') && r.shown !== 'dontKnow').length,
    confusions: wrong.filter((r) => r.shown !== 'dontKnow' && r.shown !== 'askedBack').map((r) => ({ expected: r.case.intent, shown: r.shown, text: r.case.text })),
  };
}

export function formatReport(report: EvalReport): string {
  const pct = (n: number) => `${((100 * n) / report.total).toFixed(1)} %`;
  const times = report.results.map((r) => r.ms).sort((a, b) => a - b);
  const lines = [
    `Phrasings, each the first message of a new conversation: ${report.total}`,
    `Right answer shown (top-1): ${pct(report.right)} (${report.right}/${report.total})`,
    `Honest "don't know": ${pct(report.dontKnow)}`,
    `Asked back ("Vouliez-vous dire… ?"): ${pct(report.askedBack)}`,
    `Out-of-scope answered as in scope: ${report.oosLeaks}`,
    `One question, HTTP to answer: p50 ${times[Math.floor(times.length / 2)]?.toFixed(0)} ms`,
  ];
  if (report.confusions.length) lines.push('Confusions (expected → shown):', ...report.confusions.map((c) => `  ${c.expected} → ${c.shown}  « ${c.text} »`));
  const missed = report.results.filter((r) => !r.right && (r.shown === 'dontKnow' || r.shown === 'askedBack'));
  if (missed.length) lines.push('Not answered:', ...missed.map((r) => `  ${r.case.intent} (${r.shown})  « ${r.case.text} »`));
  return `${lines.join('\n')}\n`;
}
