// The load: simulated users posting Bot Framework activities to POST /api/messages, each sending its
// next message when its previous turn returned (CloudAdapter answers once the turn is over), and
// checking the replies the connector stand-in received for that turn. Errors are counted, never hidden.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Connector, Reply } from './connector';

/** One turn: what the user sends, and what makes its replies right (a problem, or undefined). */
export interface Step {
  activity: Record<string, unknown>;
  check(replies: Reply[]): string | undefined;
}

export interface SimUser {
  readonly conversationId: string;
  readonly userId: string;
  readonly locale: string;
  /** Turns before the measured ones (the conversation started, the first card shown). */
  setup(): Step[];
  /** The next measured turn. */
  next(): Step;
  /**
   * A wrong reply leaves this user where it cannot go on (a form out of step): the run stops, loudly,
   * rather than measure something else than it says.
   */
  readonly strict: boolean;
}

/** A server's /api/messages. */
export interface Endpoint {
  name: string;
  port: number;
}

export interface RunStats {
  turns: number;
  errors: number;
  /** Milliseconds per turn, in completion order. */
  latencies: number[];
  elapsedMs: number;
  /** The first few errors, described. */
  samples: string[];
}

export const emptyStats = (): RunStats => ({ turns: 0, errors: 0, latencies: [], elapsedMs: 0, samples: [] });

export function mergeStats(into: RunStats, from: RunStats): RunStats {
  into.turns += from.turns;
  into.errors += from.errors;
  for (const l of from.latencies) into.latencies.push(l);
  into.elapsedMs += from.elapsedMs;
  for (const s of from.samples) if (into.samples.length < 8) into.samples.push(s);
  return into;
}

/**
 * Connections kept alive within a run, closed at its end: a connection left idle between two runs
 * could be closed by the server (its keep-alive timeout) just as the next run reuses it — a reset
 * that would be the client's doing, not the server's.
 */
const newAgent = () => new http.Agent({ keepAlive: true, maxSockets: Infinity });
let defaultAgent = newAgent();

/** POSTs JSON to a loopback server; never throws (no answer at all is status 0). */
function postJson(agent: http.Agent, port: number, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (error) => resolve({ status: 0, body: String(error) }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, body: String(error) }));
    req.end(body);
  });
}

export class BenchAbort extends Error {}

/** Closes the connections of the turns run outside `Driver.run` (a calibration). */
export function closeIdleConnections(): void {
  defaultAgent.destroy();
  defaultAgent = newAgent();
}

let sequence = 0;

/** Runs turns for a bot: its connector tag (serviceUrl) and the endpoints it is served by, in round robin. */
export class Driver {
  private turnNumber = 0;

  /** Turns this driver ran (setup turns included). */
  get turns(): number {
    return this.turnNumber;
  }

  constructor(
    private readonly connector: Connector,
    private readonly bot: string,
    private readonly channelId = 'emulator',
  ) {}

  /** One turn: posted, timed until the POST returns, its replies checked. */
  async turn(endpoint: Endpoint, user: SimUser, step: Step, agent = defaultAgent): Promise<{ latency: number; problem?: string }> {
    const id = `${user.conversationId}.${(sequence += 1)}`;
    const activity = {
      channelId: this.channelId,
      serviceUrl: this.connector.serviceUrl(this.bot),
      conversation: { id: user.conversationId },
      from: { id: user.userId, name: 'Bench User' },
      recipient: { id: 'bot', name: 'Bot' },
      id,
      timestamp: new Date().toISOString(),
      locale: user.locale,
      ...step.activity,
    };
    this.connector.begin(user.conversationId);
    const t0 = performance.now();
    const answer = await postJson(agent, endpoint.port, '/api/messages', JSON.stringify(activity));
    const latency = performance.now() - t0;
    const replies = this.connector.take(user.conversationId);
    this.turnNumber += 1;
    if (answer.status < 200 || answer.status > 299) return { latency, problem: `HTTP ${answer.status} from ${endpoint.name}: ${answer.body.slice(0, 200)}` };
    const problem = step.check(replies);
    if (!problem) return { latency };
    const shown = replies.map((r) => `${r.text.slice(0, 80)}${r.card ? ` [card: ${r.card.texts.slice(0, 3).join(' / ').slice(0, 120)}]` : ''}`).join(' | ');
    return { latency, problem: `${problem} (on ${endpoint.name}; replies: ${shown || 'none'})` };
  }

  private describe(user: SimUser, step: Step, problem: string): string {
    const sent = typeof step.activity.text === 'string' ? `"${step.activity.text}"` : JSON.stringify(step.activity.value ?? step.activity.type).slice(0, 80);
    return `${this.bot} ${user.conversationId} ${sent}: ${problem}`;
  }

  /**
   * Users at once, each turn after the previous one returned, until `durationMs` is over (turns in
   * flight then finish and count). `steps`: the setup turns instead, untimed (each user's all).
   */
  async run(users: SimUser[], endpoints: Endpoint[], options: { durationMs: number } | { setup: true } | { turnsEach: number }, shared?: http.Agent): Promise<RunStats> {
    const stats = emptyStats();
    const agent = shared ?? newAgent();
    let next = 0;
    let aborted: string | undefined;
    const started = performance.now();
    const deadline = 'durationMs' in options ? started + options.durationMs : Number.POSITIVE_INFINITY;
    const one = async (user: SimUser, step: Step) => {
      const endpoint = endpoints[next++ % endpoints.length];
      const { latency, problem } = await this.turn(endpoint, user, step, agent);
      stats.turns += 1;
      stats.latencies.push(latency);
      if (problem) {
        stats.errors += 1;
        const described = this.describe(user, step, problem);
        if (stats.samples.length < 8) stats.samples.push(described);
        if (user.strict) aborted ??= described;
      }
    };
    await Promise.all(
      users.map(async (user) => {
        if ('setup' in options) {
          for (const step of user.setup()) if (!aborted) await one(user, step);
          return;
        }
        const count = 'turnsEach' in options ? options.turnsEach : Number.POSITIVE_INFINITY;
        for (let i = 0; i < count && !aborted && performance.now() < deadline; i += 1) await one(user, user.next());
      }),
    );
    stats.elapsedMs = performance.now() - started;
    if (!shared) agent.destroy();
    if (aborted) throw new BenchAbort(`a scenario went wrong; it would measure something else than it says, so the bench stops:\n  ${aborted}`);
    return stats;
  }

  /** `count` new conversations, `concurrency` at a time, each its setup then `turnsEach` turns. */
  async conversations(count: number, concurrency: number, make: (i: number) => SimUser, turnsEach: number, endpoints: Endpoint[]): Promise<RunStats> {
    const total = emptyStats();
    const agent = newAgent();
    let index = 0;
    const started = performance.now();
    try {
      await Promise.all(
        Array.from({ length: Math.min(concurrency, count) }, async () => {
          while (index < count) {
            const user = make(index++);
            mergeStats(total, await this.run([user], endpoints, { setup: true }, agent));
            mergeStats(total, await this.run([user], endpoints, { turnsEach }, agent));
            this.connector.forget(user.conversationId);
          }
        }),
      );
    } finally {
      agent.destroy();
    }
    total.elapsedMs = performance.now() - started;
    return total;
  }
}

// ---- the simulated users -----------------------------------------------------------------------

/** What Sésame says when something went wrong, read from its locales: any of these in a reply is an error. */
export interface SesameTexts {
  welcomeTitle: string;
  entryTitle: string;
  eligibilityTitle: string;
  formTitle: string;
  /** The error of a failed turn, a stale card, fields to correct, "use the card". */
  errors: string[];
}

const conversationUpdate = (userId: string): Record<string, unknown> => ({ type: 'conversationUpdate', membersAdded: [{ id: userId }, { id: 'bot' }] });
const message = (fields: Record<string, unknown>) => ({ type: 'message', ...fields });

export function errorIn(replies: Reply[], errors: string[]): string | undefined {
  for (const r of replies) {
    for (const text of [r.text, ...(r.card?.texts ?? [])]) {
      const found = errors.find((e) => text.includes(e));
      if (found) return `an error reply: "${found.slice(0, 60)}"`;
    }
  }
  return undefined;
}

function hasCard(replies: Reply[], title: string): boolean {
  return replies.some((r) => r.card?.texts.includes(title));
}

/** The first words of a reply, to recognise the same answer again. */
export const answerKey = (text: string) => text.slice(0, 40);

/** Sésame, free text: questions it answers, in turn; each answer must be the one it gave when calibrated. */
export class SesameFreeText implements SimUser {
  readonly strict = false;
  readonly locale = 'fr-FR';
  private i: number;

  constructor(
    readonly conversationId: string,
    readonly userId: string,
    private readonly questions: { text: string; answer: string }[],
    private readonly texts: SesameTexts,
    offset = 0,
  ) {
    this.i = offset;
  }

  setup(): Step[] {
    return [{ activity: conversationUpdate(this.userId), check: (r) => errorIn(r, this.texts.errors) ?? (hasCard(r, this.texts.welcomeTitle) ? undefined : 'no welcome card') }];
  }

  next(): Step {
    const question = this.questions[this.i++ % this.questions.length];
    return {
      activity: message({ text: question.text }),
      check: (replies) => {
        const error = errorIn(replies, this.texts.errors);
        if (error) return error;
        const first = replies.find((r) => r.type === 'message');
        if (!first) return 'no reply';
        return answerKey(first.text) === question.answer ? undefined : `not the answer to "${question.text}"`;
      },
    };
  }
}

/** The eligibility card's values (as in test/e2e.restart.test.ts): a physician concerned. */
export const ELIGIBLE = { physician: 'yes', specialty: 'anesthesie-reanimation', interventional: 'yes', establishment: 'yes', practice: 'individual' };

/**
 * Sésame, the card form with real submits: from the menu, « M'engager dans l'accréditation », « Pas
 * encore inscrit », the eligibility card submitted with valid values, the request form shown; then
 * « menu », and again. Each submit carries the promptId of the last card received; each reply must be
 * the next card, or the run stops.
 */
export class SesameCardForm implements SimUser {
  readonly strict = true;
  readonly locale = 'fr-FR';
  private i = 0;

  constructor(
    readonly conversationId: string,
    readonly userId: string,
    private readonly connector: Connector,
    private readonly texts: SesameTexts,
  ) {}

  setup(): Step[] {
    return [{ activity: conversationUpdate(this.userId), check: (r) => this.expect(r, this.texts.welcomeTitle) }];
  }

  private expect(replies: Reply[], title: string): string | undefined {
    return errorIn(replies, this.texts.errors) ?? (hasCard(replies, title) ? undefined : `not the card "${title}"`);
  }

  private submit(verb: string, fields: Record<string, string>, title: string): Step {
    const card = this.connector.lastCard(this.conversationId);
    if (!card?.promptId || !card.verbs.includes(verb)) {
      throw new BenchAbort(`card form: ${this.conversationId} has no card to submit "${verb}" (last card: ${card ? card.texts.slice(0, 2).join(' / ') : 'none'})`);
    }
    return { activity: message({ value: { verb, promptId: card.promptId, ...fields } }), check: (r) => this.expect(r, title) };
  }

  next(): Step {
    const step = this.i++ % 4;
    if (step === 0) return this.submit('accreditation.start', {}, this.texts.entryTitle);
    if (step === 1) return this.submit('register', {}, this.texts.eligibilityTitle);
    if (step === 2) return this.submit('submit', ELIGIBLE, this.texts.formTitle);
    return { activity: message({ text: 'menu' }), check: (r) => this.expect(r, this.texts.welcomeTitle) };
  }
}

/** The floor bot (05.multi-turn-prompt): its prompts answered in turn, each reply the next prompt. */
export class FloorUser implements SimUser {
  readonly strict = false;
  readonly locale = 'en-US';
  private i = 0;
  private static readonly CYCLE: [string, string][] = [
    ['Car', 'Please enter your name.'],
    ['Jean', 'Please enter your age.'],
    ['42', 'Is this okay?'],
    ['Yes', 'Please enter your mode of transport.'],
  ];

  constructor(
    readonly conversationId: string,
    readonly userId: string,
  ) {}

  private static check(expected: string | undefined) {
    return (replies: Reply[]) => {
      const texts = replies.filter((r) => r.type === 'message').map((r) => r.text);
      if (texts.some((t) => t.includes('error or bug'))) return 'an error reply';
      if (expected === undefined) return undefined;
      return texts.at(-1)?.includes(expected) ? undefined : `not the prompt "${expected}"`;
    };
  }

  setup(): Step[] {
    return [
      { activity: conversationUpdate(this.userId), check: FloorUser.check(undefined) },
      { activity: message({ text: 'hi' }), check: FloorUser.check('Please enter your mode of transport.') },
    ];
  }

  next(): Step {
    const [text, expected] = FloorUser.CYCLE[this.i++ % FloorUser.CYCLE.length];
    return { activity: message({ text }), check: FloorUser.check(expected) };
  }
}
