import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, formatReport, loadCases, startEvalApp, type EvalReport } from '../scripts/lib/chatEval';

// Understanding as users meet it (npm run eval:chat): every held-out phrasing typed as the first
// message of a new conversation with the real server, scored on the answer the bot shows.
describe('the held-out phrasings, through the running bot', () => {
  let report: EvalReport;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const started = await startEvalApp();
    close = started.close;
    report = await evaluate(started.app, loadCases());
  }, 600_000);
  afterAll(async () => close?.());

  it('show the right answer for 95 % of them or more', () => {
    expect(report.right / report.total, formatReport(report)).toBeGreaterThanOrEqual(0.95);
  });

  it('never answer an out-of-scope request as if it were in scope, and give 15 / 112 to every emergency', () => {
    expect(report.oosLeaks, formatReport(report)).toBe(0);
    expect(report.results.filter((r) => r.case.intent === 'OOS10' && !r.right).map((r) => r.case.text)).toEqual([]);
  });

  it('open a journey only when one is asked for: a question naming one is answered', () => {
    const swallowed = report.results.filter((r) => r.shown.startsWith('start:') && !r.case.intent.startsWith('start:'));
    expect(swallowed.map((r) => `${r.case.intent} « ${r.case.text} »`)).toEqual([]);
  });
});
