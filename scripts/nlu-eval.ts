// npm run nlu:eval — how well Sésame understands free text, on phrasings kept apart from the
// training phrases (test/nlu/heldout.json): top-1 accuracy, honest "don't know" rate, confusions,
// out-of-scope requests answered as in scope, and the time to understand one message.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Nlu } from '../src/services/nlu';

interface Case {
  lang: 'fr' | 'en';
  text: string;
  intent: string;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const nlu = await Nlu.train();
  const trainMs = performance.now() - t0;
  const cases = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'test', 'nlu', 'heldout.json'), 'utf8')) as Case[];
  let right = 0;
  let unknown = 0;
  let oosAsInScope = 0;
  const confusions = new Map<string, number>();
  const times: number[] = [];
  for (const c of cases) {
    const started = performance.now();
    const result = await nlu.understand(c.text, c.lang);
    times.push(performance.now() - started);
    if (result.intent === c.intent) right += 1;
    else if (!result.intent) unknown += 1;
    else confusions.set(`${c.intent} → ${result.intent}  ("${c.text}")`, (confusions.get(`${c.intent} → ${result.intent}`) ?? 0) + 1);
    if (c.intent.startsWith('OOS') && result.intent && !result.intent.startsWith('OOS')) oosAsInScope += 1;
  }
  times.sort((a, b) => a - b);
  const pct = (n: number) => `${((100 * n) / cases.length).toFixed(1)} %`;
  process.stdout.write(
    `Held-out phrasings: ${cases.length}\n` +
      `Top-1 accuracy: ${pct(right)}\n` +
      `Honest "don't know": ${pct(unknown)}\n` +
      `Out-of-scope answered as in scope: ${oosAsInScope}\n` +
      `Training: ${(trainMs / 1000).toFixed(1)} s; one message: p50 ${times[Math.floor(times.length / 2)].toFixed(1)} ms, p95 ${times[Math.floor(times.length * 0.95)].toFixed(1)} ms\n` +
      (confusions.size ? `Confusions:\n${[...confusions.keys()].map((k) => `  ${k}`).join('\n')}\n` : ''),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`nlu:eval: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
