// npm run bench — Sésame measured against the framework's own floor, on this machine, in one run
// (issues #17 and #16). Loopback only, bounded in time (about 4 minutes; BENCH_QUICK=1: about 1).
//
// The floor is scripts/floor-bot.ts: restify + CloudAdapter + MemoryStorage + one waterfall of prompts
// (BotBuilder-Samples 05.multi-turn-prompt). Sésame runs as `npm start` runs it (the `start` script of
// package.json, read now). Both are driven through POST /api/messages with Bot Framework activities
// whose serviceUrl is a connector stand-in in this process; a turn is done when the POST returns,
// and each simulated user sends its next message then. The two alternate scenario by scenario, so
// that the machine's noise hits both. Measured: turns/s and latency at 1, 20 and 50 users (free
// text; Sésame's card form with real submits), CPU per turn of each server process, start to ready,
// memory idle and after 1,000 conversations, Sésame's SQL statements per turn (run in this process,
// its drivers counted), and several Sésame instances on one PostgreSQL (issue #16).
//
// Knobs (environment): BENCH_QUICK=1 (a few seconds per scenario), BENCH_SECONDS (per scenario and
// user count, 8), BENCH_ROUNDS (slices it is cut into, alternating, 2), BENCH_USERS (1,20,50),
// BENCH_INSTANCE_USERS (20,50), BENCH_CONVERSATIONS (1000), BENCH_STARTS (3), BENCH_SQL_TURNS (100),
// BENCH_WARMUP_SECONDS (3), BENCH_INSTANCES=0 (no PostgreSQL pass), BENCH_PROFILE=1 or =postgresql (a
// CPU profile of Sésame at 20 users: its top self-time functions; BENCH_PROFILE_KEEP=file.cpuprofile
// keeps it), BENCH_PG_URL (the PostgreSQL server's admin URL).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import { businessHoursBetween } from '../src/services/businessHours';
import { checkProfessionalId } from '../src/services/identifiers';
import { suggestEmail } from '../src/services/email';
import { departmentFromPostalCode } from '../src/services/geography';
import { Connector } from './lib/bench/connector';
import {
  answerKey,
  BenchAbort,
  closeIdleConnections,
  errorIn,
  Driver,
  emptyStats,
  FloorUser,
  mergeStats,
  SesameCardForm,
  SesameFreeText,
  type Endpoint,
  type RunStats,
  type SesameTexts,
  type SimUser,
} from './lib/bench/load';
import { Cleanup, freePort, ServerProcess } from './lib/bench/processes';
import { cpuSeconds, cpuSecondsOfCommand, machineSeconds, memoryMiB } from './lib/bench/procfs';
import { createDatabase, postgresqlServer } from './lib/bench/postgres';
import { fmt, markdownTable, median, percentile, targetText, verdict, type Target } from './lib/bench/report';
import { installSqlCounter, takeSqlCounts, type SqlCounts } from './lib/bench/sqlCount';
import { summarizeProfile } from './lib/bench/cpuProfile';

const ROOT = path.resolve(__dirname, '..');
const QUICK = process.env.BENCH_QUICK === '1';

function knob(name: string, full: number, quick: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return QUICK ? quick : full;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0 (got "${raw}")`);
  return value;
}

function list(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`${name} must be user counts separated by commas, e.g. 1,20,50 (got "${raw}")`);
  return values;
}

const SECONDS = knob('BENCH_SECONDS', 8, 2);
const ROUNDS = Math.max(1, Math.round(knob('BENCH_ROUNDS', 2, 2)));
const USERS = list('BENCH_USERS', [1, 20, 50]);
const INSTANCE_USERS = list('BENCH_INSTANCE_USERS', [20, 50]);
const CONVERSATIONS = Math.round(knob('BENCH_CONVERSATIONS', 1000, 200));
const STARTS = Math.max(1, Math.round(knob('BENCH_STARTS', 3, 1)));
const SQL_TURNS = Math.max(4, Math.round(knob('BENCH_SQL_TURNS', 100, 40)));
const WARMUP = knob('BENCH_WARMUP_SECONDS', 3, 1);
const INSTANCES = process.env.BENCH_INSTANCES !== '0';
/** BENCH_PROFILE=1 (or sqlite): a CPU profile of Sésame on SQLite; BENCH_PROFILE=postgresql: on PostgreSQL. */
const PROFILE = ((v) => (!v || v === '0' ? undefined : /^(pg|postgres|postgresql)$/i.test(v) ? 'postgresql' : 'sqlite'))(process.env.BENCH_PROFILE);
/** Turns per conversation of the memory pass (the conversation's start included). */
const TURNS_PER_CONVERSATION = 3;

/** issue #17's targets, on Sésame / floor. */
const TARGETS = {
  freeText20: { kind: 'min', value: 0.6 },
  cardForm20: { kind: 'min', value: 0.4 },
  p50At1: { kind: 'max', value: 2 },
  rssAfter: { kind: 'max', value: 1.5 },
  start: { kind: 'max', value: 1.2 },
  /** issue #16: two instances on one PostgreSQL / one. */
  twoInstances: { kind: 'min', value: 1.4 },
} satisfies Record<string, Target>;

const out = (text = '') => process.stdout.write(`${text}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const cleanup = new Cleanup();
const runId = crypto.randomBytes(3).toString('hex');

// ---- the two servers ---------------------------------------------------------------------------

/** The variables Sésame reads (.env.example names each): none inherited from this shell. */
const SESAME_VARIABLES = [...fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8').matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]);

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SESAME_VARIABLES) delete env[key];
  // Neither server gets this process's loaders (tsx) through NODE_OPTIONS.
  delete env.NODE_OPTIONS;
  // As npm runs a script: the project's binaries on the PATH.
  env.PATH = `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${env.PATH ?? ''}`;
  return { ...env, ...extra };
}

/** `npm start`'s command, read at run time (it may change). */
function startCommand(): string {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (!scripts.start) throw new Error('package.json has no "start" script');
  return scripts.start;
}

function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sesame-bench-${label}-`));
  cleanup.add(`temporary directory ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Sésame as `npm start` starts it: anonymous, no rate limit (a load test), logs off. */
async function startSesame(name: string, database: { url: string; dataDir: string }, extra: Record<string, string> = {}, nodeFlags = ''): Promise<ServerProcess & { built: boolean }> {
  const port = await freePort();
  const env = childEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    DATA_DIR: database.dataDir,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_FACTOR: '0',
    ...extra,
  });
  let command = startCommand();
  if (nodeFlags) {
    // Flags Node.js refuses in NODE_OPTIONS (--cpu-prof): given to the `node` of npm start's command.
    if (!/^node\s/.test(command)) throw new Error(`cannot add ${nodeFlags} to npm start's command: ${command}`);
    command = command.replace(/^node\s/, `node ${nodeFlags} `);
  }
  const server = new ServerProcess({ name, command, cwd: ROOT, env, port, readyPath: '/readyz', timeoutMs: 300_000 }, cleanup);
  await server.start();
  // scripts/start.js compiles src/ first when it is newer than dist/: that start is not a start time.
  return Object.assign(server, { built: /compiling src\//.test(server.tail(64 * 1024)) });
}

/**
 * The floor as JavaScript, as Sésame runs (npm start runs dist/): transpiled once per bench into
 * node_modules/.cache (where its imports resolve), so neither start pays for a TypeScript loader.
 */
let floorScript: string | undefined;
function compiledFloor(): string {
  if (!floorScript) {
    const source = fs.readFileSync(path.join(ROOT, 'scripts', 'floor-bot.ts'), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    floorScript = path.join(ROOT, 'node_modules', '.cache', 'sesame', 'floor-bot.js');
    fs.mkdirSync(path.dirname(floorScript), { recursive: true });
    fs.writeFileSync(floorScript, outputText);
  }
  return floorScript;
}

async function startFloor(): Promise<ServerProcess> {
  const port = await freePort();
  const server = new ServerProcess(
    { name: 'floor', command: { file: process.execPath, args: [compiledFloor()] }, cwd: ROOT, env: childEnv({ PORT: String(port), HOST: '127.0.0.1' }), port, readyPath: '/healthz', timeoutMs: 60_000 },
    cleanup,
  );
  return server.start();
}

const endpointOf = (server: ServerProcess): Endpoint => ({ name: server.name, port: server.options.port });

// ---- Sésame's words, read from its locales -------------------------------------------------------

function sesameTexts(): SesameTexts {
  const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'fr', file), 'utf8'));
  const common = read('common.json') as { welcome: { title: string }; error: string; prompt: Record<string, string | undefined> };
  const accreditation = read('accreditation.json') as Record<'entry' | 'eligibility' | 'form', { title: string }>;
  // « {{count}} champs sont à corriger : » — the words after the count.
  const fieldsToFix = (common.prompt.fixErrors_other ?? '').replace(/^.*\}\}/, '').trim();
  return {
    welcomeTitle: common.welcome.title,
    entryTitle: accreditation.entry.title,
    eligibilityTitle: accreditation.eligibility.title,
    formTitle: accreditation.form.title,
    errors: [common.error, common.prompt.stale, common.prompt.useCard, common.prompt.fixErrors_one, fieldsToFix].filter((t): t is string => Boolean(t && t.length > 8)),
  };
}

/** Free text Sésame answers: help, and a troubleshooting question. */
const QUESTIONS = ['aide', "je n'ai pas reçu le mail"];

// ---- measuring -----------------------------------------------------------------------------------

interface Measured {
  stats: RunStats;
  /** CPU seconds of the measured server processes. */
  cpu: number;
  /** CPU seconds of this process (load generator and connector stand-in). */
  benchCpu: number;
  /** CPU seconds of the PostgreSQL server's processes. */
  pgCpu: number;
  /** The machine's CPU seconds, busy and in all (every core). */
  busy: number;
  capacity: number;
}

const emptyMeasured = (): Measured => ({ stats: emptyStats(), cpu: 0, benchCpu: 0, pgCpu: 0, busy: 0, capacity: 0 });

/** One timed slice: the users for `ms`, the CPU time of the servers, this process, PostgreSQL and the machine read before and after. */
async function slice(driver: Driver, users: SimUser[], endpoints: Endpoint[], pids: number[], ms: number, into: Measured): Promise<RunStats> {
  const cpu0 = pids.reduce((s, pid) => s + cpuSeconds(pid), 0);
  const pg0 = cpuSecondsOfCommand('postgres');
  const bench0 = process.cpuUsage();
  const machine0 = machineSeconds();
  const stats = await driver.run(users, endpoints, { durationMs: ms });
  const machine1 = machineSeconds();
  const bench = process.cpuUsage(bench0);
  into.cpu += pids.reduce((s, pid) => s + cpuSeconds(pid), 0) - cpu0;
  // A backend that exited meanwhile takes its CPU time with it: never below zero.
  into.pgCpu += Math.max(0, cpuSecondsOfCommand('postgres') - pg0);
  into.benchCpu += (bench.user + bench.system) / 1e6;
  into.busy += machine1.busy - machine0.busy;
  into.capacity += machine1.total - machine0.total;
  mergeStats(into.stats, stats);
  return stats;
}

const throughput = (m: Measured) => (m.stats.elapsedMs ? m.stats.turns / (m.stats.elapsedMs / 1000) : Number.NaN);
const p50 = (m: Measured) => percentile(m.stats.latencies, 50);
const p95 = (m: Measured) => percentile(m.stats.latencies, 95);
const cpuPerTurn = (m: Measured) => (m.stats.turns ? (m.cpu / m.stats.turns) * 1000 : Number.NaN);
/** How busy the machine was (every core), and how much of it was neither the servers measured, nor this process, nor PostgreSQL. */
const busyPct = (m: Measured) => (m.capacity ? (m.busy / m.capacity) * 100 : Number.NaN);
const othersPct = (m: Measured) => (m.capacity ? (Math.max(0, m.busy - m.cpu - m.benchCpu - m.pgCpu) / m.capacity) * 100 : Number.NaN);
const busyText = (m: Measured) => `${fmt.pct(busyPct(m))} (${fmt.pct(othersPct(m))})`;

/** Errors of every run, by bot: they are printed and summed, never dropped. */
const errors: Record<string, { count: number; samples: string[] }> = {};
function noteErrors(bot: string, stats: RunStats): RunStats {
  const e = (errors[bot] ??= { count: 0, samples: [] });
  e.count += stats.errors;
  for (const s of stats.samples) if (e.samples.length < 6) e.samples.push(s);
  return stats;
}

/** Several scenarios measured in alternation: each round runs them all, the next round in reverse order. */
async function alternate(scenarios: { key: string; driver: Driver; bot: string; users: SimUser[]; servers: ServerProcess[] }[], seconds: number): Promise<Map<string, Measured>> {
  const results = new Map<string, Measured>(scenarios.map((s) => [s.key, emptyMeasured()]));
  const alive = () => {
    for (const s of scenarios) for (const server of s.servers) if (!server.alive) throw new Error(`${server.name} is gone (it exited during the run):\n${server.tail()}`);
  };
  for (const s of scenarios) noteErrors(s.bot, await s.driver.run(s.users, s.servers.map(endpointOf), { setup: true }));
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
    for (const s of order) {
      noteErrors(s.bot, await slice(s.driver, s.users, s.servers.map(endpointOf), s.servers.map((server) => server.pid), (seconds * 1000) / ROUNDS, results.get(s.key)!));
      alive();
    }
  }
  return results;
}

// ---- SQL statements per turn (Sésame in this process) -------------------------------------------

interface SqlResult {
  label: string;
  idlePerSecond: number;
  free: { turns: number; counts: SqlCounts; seconds: number };
  card: { turns: number; counts: SqlCounts; seconds: number };
}

async function sqlPass(connector: Connector, texts: SesameTexts, answers: { text: string; answer: string }[], provider: 'sqlite' | 'postgresql'): Promise<SqlResult> {
  installSqlCounter();
  // restify's deprecation warning (http_parser), printed by the servers' own processes too, not here.
  process.noDeprecation = true;
  // Loaded only now, after the drivers are patched, and only here: the servers measured above are child processes.
  const { startApp } = await import('../src/app');
  const { parseConfig } = await import('../src/config');
  const { createLogger } = await import('../src/logger');
  const dir = tempDir(`sql-${provider}`);
  let url = `file:${path.join(dir, 'sesame.db')}`;
  if (provider === 'postgresql') {
    const db = await createDatabase();
    cleanup.add(`database ${db.name}`, db.drop);
    url = db.url;
  }
  const app = await startApp(
    parseConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: url, DATA_DIR: dir, RATE_LIMIT_FACTOR: '0', RATE_LIMIT_STORE: provider === 'postgresql' ? 'database' : 'memory' }),
    createLogger('silent'),
  );
  const forget = cleanup.add('Sésame in this process', () => app.close());
  const flush = async () => {
    // The transcript logger writes after the turn: what a turn wrote is counted with it.
    await (app.services.transcripts as { flush?: () => Promise<void> }).flush?.();
  };
  try {
    const endpoint: Endpoint = { name: `in-process ${provider}`, port: app.port };
    const bot = `sql-${provider}`;
    const driver = new Driver(connector, bot);
    const count = async (user: SimUser, turns: number) => {
      noteErrors('sesame', await driver.run([user], [endpoint], { setup: true }));
      noteErrors('sesame', await driver.run([user], [endpoint], { turnsEach: 8 }));
      await flush();
      takeSqlCounts();
      const t0 = performance.now();
      noteErrors('sesame', await driver.run([user], [endpoint], { turnsEach: turns }));
      await flush();
      return { turns, counts: takeSqlCounts(), seconds: (performance.now() - t0) / 1000 };
    };
    // What runs with no turn at all (the outbox's and the channel's polls), to take out of the turns' count.
    await sleep(500);
    await flush();
    takeSqlCounts();
    const idleMs = QUICK ? 3000 : 6000;
    await sleep(idleMs);
    const idle = takeSqlCounts();
    const free = await count(new SesameFreeText(`sql-${runId}-${provider}-free`, `u-sql-${runId}-${provider}-free`, answers, texts), SQL_TURNS);
    const card = await count(new SesameCardForm(`sql-${runId}-${provider}-card`, `u-sql-${runId}-${provider}-card`, connector, texts), Math.ceil(SQL_TURNS / 4) * 4);
    return { label: provider === 'sqlite' ? 'SQLite' : 'PostgreSQL', idlePerSecond: idle.total / (idleMs / 1000), free, card };
  } finally {
    forget();
    await app.close();
  }
}

// ---- the run -------------------------------------------------------------------------------------

function gitDescription(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'package.json'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in src/ or package.json` : head;
  } catch {
    return 'unknown commit';
  }
}

async function main(): Promise<void> {
  cleanup.onSignals();
  const began = performance.now();
  const texts = sesameTexts();
  const command = startCommand();
  out(`# Sésame bench — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${QUICK ? ' (BENCH_QUICK: short runs, figures indicative only)' : ''}`);
  out();
  out(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}; Sésame at ${gitDescription()}.`);
  out(`Sésame started as \`npm start\` runs it: \`${command}\` (NODE_ENV=test, LOG_LEVEL=silent, RATE_LIMIT_FACTOR=0, no Bot Framework credentials).`);
  out('Floor: scripts/floor-bot.ts — restify + CloudAdapter (anonymous) + MemoryStorage + one waterfall of prompts (05.multi-turn-prompt), run as JavaScript (transpiled once), as Sésame runs dist/.');
  out('Everything on loopback. The load generator and the connector stand-in run in this process and share the machine\'s');
  out(`${os.cpus().length} cores with the servers (and PostgreSQL): throughput is the machine's, not the server's alone.`);
  out(`Per scenario and user count: ${SECONDS} s, cut in ${ROUNDS} slices, Sésame and the floor alternating.`);
  if (fs.existsSync(path.join(ROOT, '.env'))) out('Note: a .env file exists in the project: Sésame reads what this bench does not set from it.');
  out();

  const connector = new Connector();
  await connector.start();
  cleanup.add('connector stand-in', () => connector.close());
  const floorDriver = new Driver(connector, 'floor');
  const sesameDriver = new Driver(connector, 'sesame');

  // ---- 1. start to ready ----
  out('## Start to ready (spawn → first 200: Sésame /readyz, the floor /healthz)');
  const mainDir = tempDir('sqlite');
  const mainDatabase = { url: `file:${path.join(mainDir, 'sesame.db')}`, dataDir: mainDir };
  const first = await startSesame('sesame', mainDatabase);
  out(`  first start, new database (migrations, NLU model cache${first.built ? ', dist/ compiled first — src/ was newer' : ''}): ${fmt.s(first.startMs / 1000)} — not counted`);
  await first.stop();
  const floorStarts: number[] = [];
  const sesameStarts: number[] = [];
  let floor: ServerProcess | undefined;
  let sesame: (ServerProcess & { built: boolean }) | undefined;
  for (let i = 0, rebuilt = 0; i < STARTS; i += 1) {
    floor = await startFloor();
    floorStarts.push(floor.startMs);
    sesame = await startSesame('sesame', mainDatabase);
    if (sesame.built && rebuilt < 2) {
      // src/ changed during the run (someone is editing it): that start compiled; once more.
      rebuilt += 1;
      out(`  (a start compiled src/ again — src/ changed meanwhile — not counted)`);
      await Promise.all([floor.stop(), sesame.stop()]);
      floorStarts.pop();
      i -= 1;
      continue;
    }
    sesameStarts.push(sesame.startMs);
    if (i < STARTS - 1) await Promise.all([floor.stop(), sesame.stop()]);
  }
  if (!floor || !sesame) throw new Error('no server started');
  const startSesameMs = median(sesameStarts);
  const startFloorMs = median(floorStarts);
  out(`  Sésame (existing database): ${sesameStarts.map((v) => fmt.s(v / 1000)).join(', ')} → median ${fmt.s(startSesameMs / 1000)}`);
  out(`  floor (JavaScript): ${floorStarts.map((v) => fmt.s(v / 1000)).join(', ')} → median ${fmt.s(startFloorMs / 1000)}`);
  out(`  ratio ${fmt.ratio(startSesameMs / startFloorMs)} (target ${targetText(TARGETS.start)})`);
  out();

  // ---- 2. memory, idle then after 1,000 conversations ----
  await sleep(2000);
  const idle = { sesame: memoryMiB(sesame.pid), floor: memoryMiB(floor.pid) };
  out('## Memory (VmRSS of the server process)');
  out(`  idle, 2 s after ready: Sésame ${fmt.mib(idle.sesame.rss)}, floor ${fmt.mib(idle.floor.rss)} → ${fmt.ratio(idle.sesame.rss / idle.floor.rss)}`);

  // What Sésame answers to the bench's questions, seen once: under load every answer must be the same.
  const answers: { text: string; answer: string }[] = [];
  {
    const probe = new SesameFreeText(`calibrate-${runId}`, `u-calibrate-${runId}`, [], texts);
    noteErrors('sesame', await sesameDriver.run([probe], [endpointOf(sesame)], { setup: true }));
    for (const text of QUESTIONS) {
      let answer = '';
      const { problem } = await sesameDriver.turn(endpointOf(sesame), probe, {
        activity: { type: 'message', text },
        check: (replies) => {
          answer = replies.find((r) => r.type === 'message')?.text ?? '';
          return errorIn(replies, texts.errors) ?? (answer ? undefined : 'no reply');
        },
      });
      if (problem) throw new BenchAbort(`Sésame does not answer « ${text} »: ${problem}`);
      answers.push({ text, answer: answerKey(answer) });
    }
    closeIdleConnections();
  }

  const memoryPass = async (driver: Driver, server: ServerProcess, bot: string, make: (i: number) => SimUser, turnsEach: number) => {
    const stats = noteErrors(bot, await driver.conversations(CONVERSATIONS, 50, make, turnsEach, [endpointOf(server)]));
    await sleep(1000);
    return { stats, memory: memoryMiB(server.pid) };
  };
  // Three turns each: the conversation's start, then free text (the floor: its start, « hi », one answer).
  const floorMemory = await memoryPass(floorDriver, floor, 'floor', (i) => new FloorUser(`mem-${runId}-f${i}`, `u-mem-${runId}-f${i}`), TURNS_PER_CONVERSATION - 2);
  const sesameMemory = await memoryPass(sesameDriver, sesame, 'sesame', (i) => new SesameFreeText(`mem-${runId}-s${i}`, `u-mem-${runId}-s${i}`, answers, texts, i), TURNS_PER_CONVERSATION - 1);
  const rssRatio = sesameMemory.memory.rss / floorMemory.memory.rss;
  out(`  after ${CONVERSATIONS} conversations of ${TURNS_PER_CONVERSATION} turns (50 at a time): Sésame ${fmt.mib(sesameMemory.memory.rss)} (peak ${fmt.mib(sesameMemory.memory.peak)}), floor ${fmt.mib(floorMemory.memory.rss)} (peak ${fmt.mib(floorMemory.memory.peak)}) → ${fmt.ratio(rssRatio)} (target ${targetText(TARGETS.rssAfter)})`);
  out(`  (those conversations took Sésame ${fmt.s(sesameMemory.stats.elapsedMs / 1000)}, the floor ${fmt.s(floorMemory.stats.elapsedMs / 1000)})`);
  out();

  // ---- 3. throughput, latency, CPU per turn ----
  const newUsers = (n: number, make: (i: number) => SimUser) => Array.from({ length: n }, (_, i) => make(i));
  const floorUsers = (label: string, n: number) => newUsers(n, (i) => new FloorUser(`${label}-${runId}-f${n}-${i}`, `u-${label}-${runId}-f${n}-${i}`));
  const freeUsers = (label: string, n: number) => newUsers(n, (i) => new SesameFreeText(`${label}-${runId}-s${n}-${i}`, `u-${label}-${runId}-s${n}-${i}`, answers, texts, i));
  const cardUsers = (label: string, n: number) => newUsers(n, (i) => new SesameCardForm(`${label}-${runId}-c${n}-${i}`, `u-${label}-${runId}-c${n}-${i}`, connector, texts));
  const floorScenario = (users: SimUser[]) => ({ key: 'floor', driver: floorDriver, bot: 'floor', users, servers: [floor!] });
  const freeScenario = (users: SimUser[]) => ({ key: 'free', driver: sesameDriver, bot: 'sesame', users, servers: [sesame!] });
  const cardScenario = (users: SimUser[]) => ({ key: 'card', driver: sesameDriver, bot: 'sesame', users, servers: [sesame!] });

  if (WARMUP > 0) await alternate([floorScenario(floorUsers('warm', 20)), freeScenario(freeUsers('warm', 20)), cardScenario(cardUsers('warm', 20))], WARMUP);

  out('## Turns through POST /api/messages (a turn: the POST until it returns; each user sends its next message then)');
  out(`Free text: Sésame is asked ${answers.map((a) => `« ${a.text} » (answer: "${a.answer}…")`).join(' and ')} in turn, each answer`);
  out('checked under load; the floor gets its prompts\' answers (transport, name, age…), each next prompt checked.');
  out('Card form (Sésame): menu → « M\'engager dans l\'accréditation » → « Pas encore inscrit » → eligibility submitted → the');
  out('request form shown → « menu »…: real submits with the last card\'s promptId, every reply checked (a wrong one stops the bench).');
  out('CPU/turn: the server process\'s (utime + stime); bench: this process\'s (load + connector); busy: the whole machine, all');
  out('cores (others: what was neither the server measured, nor this process, nor PostgreSQL — idle servers, other programs).');
  const load = new Map<number, Map<string, Measured>>();
  const loadRows: string[][] = [];
  for (const n of USERS) {
    const results = await alternate([floorScenario(floorUsers('load', n)), freeScenario(freeUsers('load', n)), cardScenario(cardUsers('load', n))], SECONDS);
    load.set(n, results);
    const floorM = results.get('floor')!;
    for (const [key, label] of [['floor', 'floor, free text'], ['free', 'Sésame, free text'], ['card', 'Sésame, card form']] as const) {
      const m = results.get(key)!;
      loadRows.push([String(n), label, String(m.stats.turns), fmt.rate(throughput(m)), fmt.ms(p50(m)), fmt.ms(p95(m)), fmt.ms(cpuPerTurn(m)), fmt.ms((m.benchCpu / m.stats.turns) * 1000), busyText(m), key === 'floor' ? '' : fmt.ratio(throughput(m) / throughput(floorM)), String(m.stats.errors)]);
    }
  }
  out();
  out(markdownTable(['users', 'scenario', 'turns', 'turns/s', 'p50', 'p95', 'CPU/turn', 'bench CPU/turn', 'busy (others)', 'Sésame/floor', 'errors'], loadRows));
  const perTurn = (bot: string, driver: Driver) => {
    const c = connector.counts[bot];
    return c && driver.turns ? `${fmt.n(c.activities / driver.turns, 2)} activities${c.updates ? ` + ${fmt.n(c.updates / driver.turns, 2)} updates` : ''} (+ ${fmt.n(c.typing / driver.turns, 2)} typing)` : '—';
  };
  out(`Replies per turn received by the connector stand-in: Sésame ${perTurn('sesame', sesameDriver)}, floor ${perTurn('floor', floorDriver)}.`);
  out();
  await floor.stop();

  // ---- 4. several instances on one PostgreSQL (issue #16) ----
  let instances: Map<number, Map<string, Measured>> | undefined;
  let postgresDescription: string | undefined;
  if (INSTANCES) {
    out('## Several instances on one PostgreSQL (issue #16)');
    const server = await postgresqlServer();
    if (!server.ok) {
      out(`  not measured: PostgreSQL unreachable (${server.problem})`);
    } else {
      postgresDescription = server.description;
      const db = await createDatabase();
      const forgetDb = cleanup.add(`database ${db.name}`, db.drop);
      const secretsKey = crypto.randomBytes(32).toString('base64');
      const shared = { SECRETS_KEY: secretsKey, RATE_LIMIT_STORE: 'database' };
      // One after the other: the first migrates the new database.
      const a = await startSesame('sesame-pg-A', { url: db.url, dataDir: tempDir('pg-a') }, shared);
      const b = await startSesame('sesame-pg-B', { url: db.url, dataDir: tempDir('pg-b') }, shared);
      const pgDriver = new Driver(connector, 'sesame-pg');
      out(`  ${server.description}, a new database; two Sésame processes on it (same SECRETS_KEY, RATE_LIMIT_STORE=database), each`);
      out('  request of the load sent to A and B in turn (round robin, no affinity: a conversation\'s turns alternate between them);');
      out('  against A alone, and against the SQLite Sésame above. Free text. PG CPU: the PostgreSQL server\'s processes.');
      instances = new Map();
      const rows: string[][] = [];
      for (const n of INSTANCE_USERS) {
        const results = await alternate(
          [
            { key: 'sqlite', driver: sesameDriver, bot: 'sesame', users: freeUsers('sqlite', n), servers: [sesame] },
            { key: 'pg1', driver: pgDriver, bot: 'sesame', users: freeUsers('pg1', n), servers: [a] },
            { key: 'pg2', driver: pgDriver, bot: 'sesame', users: freeUsers('pg2', n), servers: [a, b] },
          ],
          SECONDS,
        );
        instances.set(n, results);
        for (const [key, label] of [['sqlite', 'one Sésame, SQLite'], ['pg1', 'one Sésame, PostgreSQL'], ['pg2', 'two Sésame, PostgreSQL']] as const) {
          const m = results.get(key)!;
          const ratio = key === 'pg2' ? `${fmt.ratio(throughput(m) / throughput(results.get('pg1')!))} of one PG` : key === 'pg1' ? `${fmt.ratio(throughput(m) / throughput(results.get('sqlite')!))} of SQLite` : '';
          rows.push([String(n), label, String(m.stats.turns), fmt.rate(throughput(m)), fmt.ms(p50(m)), fmt.ms(p95(m)), fmt.ms(cpuPerTurn(m)), fmt.ms((m.pgCpu / m.stats.turns) * 1000), busyText(m), ratio, String(m.stats.errors)]);
        }
      }
      out();
      out(markdownTable(['users', 'configuration', 'turns', 'turns/s', 'p50', 'p95', 'Sésame CPU/turn', 'PG CPU/turn', 'busy (others)', 'ratio', 'errors'], rows));
      out(`The load generator, the connector stand-in, PostgreSQL and both instances share the ${os.cpus().length} cores: a second instance`);
      out('adds a process, not a core. The ratio says what a second process brings on this machine, not on two machines.');
      out();
      await Promise.all([a.stop(), b.stop()]);
      forgetDb();
      await db.drop();
    }
  }
  await sesame.stop();

  // ---- 5. SQL statements per turn (Sésame in this process, its drivers counted) ----
  out('## SQL statements per turn (Sésame in this process; better-sqlite3 and pg counted at the driver, one user)');
  const sql: SqlResult[] = [];
  for (const provider of ['sqlite', 'postgresql'] as const) {
    if (provider === 'postgresql' && !postgresDescription && !(await postgresqlServer()).ok) continue;
    try {
      sql.push(await sqlPass(connector, texts, answers, provider));
    } catch (error) {
      if (error instanceof BenchAbort) throw error;
      out(`  ${provider}: not measured — ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const sqlPerTurn = (r: SqlResult, part: 'free' | 'card') => {
    const p = r[part];
    const background = r.idlePerSecond * p.seconds;
    return { total: (p.counts.total - background) / p.turns, raw: p.counts.total / p.turns, transaction: p.counts.transaction / p.turns, coordination: p.counts.coordination / p.turns, prepared: p.counts.prepared / p.turns };
  };
  for (const r of sql) {
    out(`  ${r.label}: with no turn at all, ${fmt.n(r.idlePerSecond, 1)} statements/s (polls), taken out of the figures below.`);
    for (const part of ['free', 'card'] as const) {
      const t = sqlPerTurn(r, part);
      out(
        `    ${part === 'free' ? 'free text' : 'card form'} (${r[part].turns} turns): ${fmt.n(t.total, 1)} statements per turn, of which ${fmt.n(t.transaction, 1)} BEGIN/COMMIT/ROLLBACK` +
          `${t.coordination ? `, ${fmt.n(t.coordination, 1)} locks/notifications` : ''}${r.label === 'SQLite' ? `; ${fmt.n(t.prepared, 1)} compiled (prepare)` : ''}`,
      );
      const shapes = [...r[part].counts.shapes].sort((x, y) => y[1] - x[1]).slice(0, 6);
      for (const [shape, n] of shapes) out(`        ${fmt.n(n / r[part].turns, 2).padStart(6)} × ${shape}`);
    }
  }
  out();

  // ---- 6. where Sésame's time goes (optional) ----
  if (PROFILE) {
    out(`## CPU profile of Sésame on ${PROFILE === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (node --cpu-prof, npm start's command; 20 users, free text then card form, start-up left out)`);
    const dir = tempDir('cpuprof');
    let database = { url: `file:${path.join(dir, 'sesame.db')}`, dataDir: dir };
    if (PROFILE === 'postgresql') {
      const db = await createDatabase();
      cleanup.add(`database ${db.name}`, db.drop);
      database = { url: db.url, dataDir: dir };
    }
    const profiled = await startSesame('sesame-profiled', database, {}, `--cpu-prof --cpu-prof-dir=${dir}`);
    const p = emptyMeasured();
    const loadStarts = performance.now();
    for (const users of [freeUsers('prof', 20), cardUsers('prof', 20)]) {
      noteErrors('sesame', await sesameDriver.run(users, [endpointOf(profiled)], { setup: true }));
      noteErrors('sesame', await slice(sesameDriver, users, [endpointOf(profiled)], [profiled.pid], SECONDS * 1000, p));
    }
    await profiled.stop();
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) out('  no profile written');
    else {
      // Samples from when the load began: the start-up left out.
      const summary = summarizeProfile(path.join(dir, file), ROOT, 15, loadStarts - profiled.spawnedAt);
      out(`  ${p.stats.turns} turns, ${fmt.rate(throughput(p))}; ${fmt.s(summary.total / 1000)} of samples (idle left out). Self time by function:`);
      for (const [name, ms] of summary.functions) out(`    ${fmt.pct((ms / summary.total) * 100).padStart(5)}  ${name}`);
      out('  by package (self time):');
      for (const [name, ms] of summary.packages) out(`    ${fmt.pct((ms / summary.total) * 100).padStart(5)}  ${name}`);
      out('  by the innermost project function on the stack (its own time and the libraries it calls):');
      for (const [name, ms] of summary.project) out(`    ${fmt.pct((ms / summary.total) * 100).padStart(5)}  ${name}`);
      if (process.env.BENCH_PROFILE_KEEP) {
        fs.copyFileSync(path.join(dir, file), process.env.BENCH_PROFILE_KEEP);
        out(`  profile kept in ${process.env.BENCH_PROFILE_KEEP}`);
      }
    }
    out();
  }

  // ---- 7. summary ----
  const rows: string[][] = [];
  const row = (measure: string, sesameValue: string, floorValue: string, ratio: number, target?: Target) => rows.push([measure, sesameValue, floorValue, fmt.ratio(ratio), targetText(target), verdict(ratio, target)]);
  for (const n of USERS) {
    const r = load.get(n)!;
    row(`Free text, ${n} user${n > 1 ? 's' : ''}: turns/s`, fmt.rate(throughput(r.get('free')!)), fmt.rate(throughput(r.get('floor')!)), throughput(r.get('free')!) / throughput(r.get('floor')!), n === 20 ? TARGETS.freeText20 : undefined);
  }
  for (const n of USERS) {
    const r = load.get(n)!;
    row(`Card form, ${n} user${n > 1 ? 's' : ''}: turns/s (floor: free text)`, fmt.rate(throughput(r.get('card')!)), fmt.rate(throughput(r.get('floor')!)), throughput(r.get('card')!) / throughput(r.get('floor')!), n === 20 ? TARGETS.cardForm20 : undefined);
  }
  const one = load.get(1);
  if (one) {
    row('p50 latency, 1 user, free text', fmt.ms(p50(one.get('free')!)), fmt.ms(p50(one.get('floor')!)), p50(one.get('free')!) / p50(one.get('floor')!), TARGETS.p50At1);
    row('p50 latency, 1 user, card form', fmt.ms(p50(one.get('card')!)), fmt.ms(p50(one.get('floor')!)), p50(one.get('card')!) / p50(one.get('floor')!));
  }
  const most = Math.max(...USERS);
  const busiest = load.get(most)!;
  row(`p95 latency, ${most} users, free text`, fmt.ms(p95(busiest.get('free')!)), fmt.ms(p95(busiest.get('floor')!)), p95(busiest.get('free')!) / p95(busiest.get('floor')!));
  const cpuAt = load.get(20) ?? busiest;
  const cpuUsers = load.has(20) ? 20 : most;
  row(`CPU per turn, free text (${cpuUsers} users)`, fmt.ms(cpuPerTurn(cpuAt.get('free')!)), fmt.ms(cpuPerTurn(cpuAt.get('floor')!)), cpuPerTurn(cpuAt.get('free')!) / cpuPerTurn(cpuAt.get('floor')!));
  row(`CPU per turn, card form (${cpuUsers} users)`, fmt.ms(cpuPerTurn(cpuAt.get('card')!)), fmt.ms(cpuPerTurn(cpuAt.get('floor')!)), cpuPerTurn(cpuAt.get('card')!) / cpuPerTurn(cpuAt.get('floor')!));
  row('Start to ready (median)', fmt.s(startSesameMs / 1000), fmt.s(startFloorMs / 1000), startSesameMs / startFloorMs, TARGETS.start);
  row('RSS idle', fmt.mib(idle.sesame.rss), fmt.mib(idle.floor.rss), idle.sesame.rss / idle.floor.rss);
  row(`RSS after ${CONVERSATIONS} conversations`, fmt.mib(sesameMemory.memory.rss), fmt.mib(floorMemory.memory.rss), rssRatio, TARGETS.rssAfter);
  for (const r of sql) {
    for (const part of ['free', 'card'] as const) {
      const t = sqlPerTurn(r, part);
      rows.push([`SQL statements per turn, ${part === 'free' ? 'free text' : 'card form'} (${r.label})`, `${fmt.n(t.total, 1)} (${fmt.n(t.transaction, 1)} BEGIN/COMMIT${t.coordination ? `, ${fmt.n(t.coordination, 1)} locks` : ''})`, '0 (MemoryStorage)', '—', '—', '']);
    }
  }
  if (instances) {
    for (const [n, r] of instances) {
      row(`Two PG instances / one PG, free text, ${n} users`, fmt.rate(throughput(r.get('pg2')!)), `${fmt.rate(throughput(r.get('pg1')!))} (one PG)`, throughput(r.get('pg2')!) / throughput(r.get('pg1')!), TARGETS.twoInstances);
    }
    for (const [n, r] of instances) {
      row(`One PG / one SQLite, free text, ${n} users`, fmt.rate(throughput(r.get('pg1')!)), `${fmt.rate(throughput(r.get('sqlite')!))} (SQLite)`, throughput(r.get('pg1')!) / throughput(r.get('sqlite')!));
    }
  }
  const sesameErrors = (errors.sesame?.count ?? 0) + connector.unexpected;
  const floorErrors = errors.floor?.count ?? 0;
  rows.push(['Errors (non-2xx, error or wrong replies)', String(sesameErrors), String(floorErrors), '—', '0', sesameErrors + floorErrors === 0 ? 'met' : '**not met**']);

  out(`## Summary (Sésame / floor; ${QUICK ? 'BENCH_QUICK' : `${SECONDS} s per scenario and user count`}; ${os.cpus().length} cores shared with the load generator)`);
  out();
  out(markdownTable(['Measure', 'Sésame', 'Floor', 'Ratio', 'Target', 'Met'], rows));
  out();
  for (const [bot, e] of Object.entries(errors)) {
    if (!e.count) continue;
    out(`${e.count} error(s) from ${bot}, first ones:`);
    for (const s of e.samples) out(`  - ${s}`);
  }
  if (connector.unexpected) out(`${connector.unexpected} request(s) to the connector stand-in it did not understand.`);
  out(`Full run: ${fmt.s((performance.now() - began) / 1000)}.`);
  out();
  if (sesameErrors + floorErrors > 0) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    if (cleanup.interrupted) return;
    const message = error instanceof BenchAbort ? `ABORTED — ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`\nbench: ${message}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup.run();
    if (cleanup.interrupted) return;
    validators();
    businessHours();
  });

function validators(): void {
  const n = 100_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) {
    checkProfessionalId('101 0032 6494');
    suggestEmail('jean.durand@gmial.com');
    departmentFromPostalCode('31400');
  }
  out(`Validators (RPPS key, e-mail typo, postal code): ${(((performance.now() - t0) / n) * 1000).toFixed(1)} µs per form`);
}

/** What the agent's desk computes per waiting account: business hours waited over 30 days. */
function businessHours(): void {
  const n = 2_000;
  const from = new Date('2026-11-02T07:00:00Z');
  const to = new Date('2026-12-02T07:00:00Z');
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) businessHoursBetween(from, new Date(to.getTime() + i * 60_000));
  out(`Business hours waited, 30 days: ${(((performance.now() - t0) / n) * 1000).toFixed(1)} µs per account`);
}
