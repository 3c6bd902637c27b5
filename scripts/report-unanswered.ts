// npm run report:unanswered [-- --days 30] — what Sésame could not answer, grouped so the team sees
// what to teach next: not understood and asked back by journey and step, tickets by helpdesk and step,
// 👍 / 👎 by topic. Texts are redacted as in transcripts; no conversation or user is named.
import { parseArgs } from 'node:util';
import { ConfigError, databaseUrl, loadConfig } from '../src/config';
import { openDatabase } from '../src/services/db/database';
import { UnderstandingLog, type UnderstandingReport } from '../src/services/support/understandingLog';

export function formatUnderstandingReport(report: UnderstandingReport, days: number): string {
  const lines = [`Since ${report.since.toISOString().slice(0, 10)} (${days} days)`, '', 'Not understood, by journey and step:'];
  if (!report.unanswered.length) lines.push('  none');
  for (const u of report.unanswered) lines.push(`  ${u.count}  ${u.journey} / ${u.step}`, ...u.examples.map((e) => `       « ${e} »`));
  lines.push('', 'Asked back (two close topics):', ...(report.askedBack.length ? report.askedBack.map((a) => `  ${a.count}  ${a.topic}`) : ['  none']));
  lines.push('', 'Tickets, by helpdesk, journey and step:', ...(report.tickets.length ? report.tickets.map((t) => `  ${t.count}  ${t.route}  ${t.journey} / ${t.step}`) : ['  none']));
  lines.push('', 'Answers rated (👍 / 👎), by topic:', ...(report.feedback.length ? report.feedback.map((f) => `  ${f.topic}  👍 ${f.helpful}  👎 ${f.notHelpful}`) : ['  none']));
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { days: { type: 'string', default: '30' } } });
  const days = Number.parseInt(values.days ?? '30', 10);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new ConfigError('--days must be a number of days between 1 and 3650, e.g. --days 30');
  const db = await openDatabase(databaseUrl(loadConfig()));
  try {
    process.stdout.write(formatUnderstandingReport(await new UnderstandingLog(db).report(days), days));
  } finally {
    await db.$disconnect();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`report:unanswered: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
