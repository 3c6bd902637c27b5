// npm run eval:chat — understanding as users meet it: each held-out phrasing (test/nlu/heldout.json)
// typed as the first message of a new conversation with the running bot, scored on the answer shown.
import { evaluate, formatReport, loadCases, startEvalApp } from './lib/chatEval';

async function main(): Promise<void> {
  const { app, close } = await startEvalApp();
  try {
    process.stdout.write(formatReport(await evaluate(app, loadCases())));
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`eval:chat: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
