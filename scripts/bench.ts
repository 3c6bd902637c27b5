// npm run bench — how fast and how big Sésame is on this machine, measured (not assumed):
// conversation turns through the real server and the local Direct Line channel, and the
// validators every form submit runs. Bounded in count and time; loopback only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { businessHoursBetween } from '../src/services/businessHours';
import { parseConfig } from '../src/config';
import { startApp } from '../src/app';
import { createLogger } from '../src/logger';
import { checkProfessionalId } from '../src/services/identifiers';
import { suggestEmail } from '../src/services/email';
import { departmentFromPostalCode } from '../src/services/geography';

const TURNS = Number(process.env.BENCH_TURNS ?? 200);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function turns(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sesame-bench-'));
  const app = await startApp(parseConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: `file:${path.join(dir, 'sesame.db')}`, RATE_LIMIT_FACTOR: '0' }), createLogger('silent'));
  try {
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        const page = await fetch(`${app.url}/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: `bench-${c}` }) });
        const session = (await page.json()) as { conversationId: string; token: string };
        // As the chat page does: its browser's cookie goes with its token.
        const headers = { authorization: `Bearer ${session.token}`, 'content-type': 'application/json', cookie: (page.headers.get('set-cookie') ?? '').split(';')[0] };
        await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers });
        for (let i = 0; i < TURNS / CONVERSATIONS; i += 1) {
          const before = (await (await fetch(`${app.url}/v3/directline/conversations/${session.conversationId}/activities`, { headers })).json()) as { watermark: string };
          const t0 = performance.now();
          await fetch(`${app.url}/v3/directline/conversations/${session.conversationId}/activities`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ type: 'message', from: { id: `bench-${c}` }, text: 'aide' }),
          });
          // A turn is done when its reply (the help text and the card again) is there to read.
          for (;;) {
            const after = (await (await fetch(`${app.url}/v3/directline/conversations/${session.conversationId}/activities?watermark=${before.watermark}`, { headers })).json()) as {
              activities: { from: { role?: string }; attachments?: unknown[] }[];
            };
            if (after.activities.some((a) => a.from.role === 'bot' && a.attachments?.length)) break;
            await new Promise((r) => setTimeout(r, 2));
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    process.stdout.write(
      `Turns through Direct Line (${latencies.length} turns, ${CONVERSATIONS} conversations at once, SQLite):\n` +
        `  p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  max ${ms(latencies.at(-1)!)}  throughput ${(latencies.length / elapsed).toFixed(0)} turns/s\n` +
        `  memory: rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB, heap ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB\n`,
    );
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function validators(): void {
  const n = 100_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) {
    checkProfessionalId('101 0032 6494');
    suggestEmail('jean.durand@gmial.com');
    departmentFromPostalCode('31400');
  }
  process.stdout.write(`Validators (RPPS key, e-mail typo, postal code): ${(((performance.now() - t0) / n) * 1000).toFixed(1)} µs per form\n`);
}

/** What the agent's desk computes per waiting account: business hours waited over 30 days. */
function businessHours(): void {
  const n = 2_000;
  const from = new Date('2026-11-02T07:00:00Z');
  const to = new Date('2026-12-02T07:00:00Z');
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) businessHoursBetween(from, new Date(to.getTime() + i * 60_000));
  process.stdout.write(`Business hours waited, 30 days: ${(((performance.now() - t0) / n) * 1000).toFixed(1)} µs per account\n`);
}

turns()
  .then(validators)
  .then(businessHours)
  .catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
