import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressObject } from 'mailparser';
import { createPostgresqlDatabase, tempDir } from './helpers/db';
import { freePort } from './helpers/net';
import { SmtpSink, waitFor } from './helpers/smtp';
import { startConnector } from './helpers/connector';
import {
  RoundRobinProxy,
  SesameInstance,
  activities,
  cardOf,
  isBot,
  newConversation,
  openStream,
  post,
  rppsNumbers,
  seqOf,
  sleep,
  transcript,
  waitForCard,
  type Activity,
  type Conversation,
  type Posted,
} from './helpers/instances';

/**
 * Issue #16: Sésame as several instances on one PostgreSQL database, black box. Two real processes
 * (`npm start`'s entry point), A and B, share the database, the secrets key, the rate-limit store
 * and an SMTP server; a round-robin proxy in front of them is the load balancer (PUBLIC_URL of both,
 * so the streams Direct Line hands out go through it too).
 *
 *   SESAME_TEST_DB=postgres npx vitest run test/e2e.instances.test.ts
 */

const root = path.resolve(__dirname, '..');
const locale = (lang: string, file: string) => JSON.parse(fs.readFileSync(path.join(root, 'locales', lang, `${file}.json`), 'utf8')) as unknown;
/** The generic sentence of a failed turn (adapter.onTurnError), in both languages. */
const ERROR_SENTENCES = [(locale('fr', 'common') as { error: string }).error, (locale('en', 'common') as { error: string }).error];
const WELCOME = (locale('fr', 'common') as { welcome: { title: string } }).welcome.title;
const fr = locale('fr', 'accreditation') as { entry: { title: string }; eligibility: { title: string }; form: { title: string }; created: { text: string } };
const CREATED = fr.created.text.split('.')[0]; // « Votre demande d'engagement est enregistrée »
const CREDENTIALS_SUBJECT = (locale('fr', 'mail') as { credentials: { subject: string } }).credentials.subject;

const postgres = process.env.SESAME_TEST_DB === 'postgres';
const run = crypto.randomBytes(3).toString('hex');

let database: { url: string; drop: () => Promise<void> } | undefined;
const smtp = new SmtpSink();
const dirs: string[] = [];
let proxy: RoundRobinProxy;
let A: SesameInstance;
let B: SesameInstance;

/** Prints both instances' output since the test began, when it fails. */
function printLogsOnFailure(): void {
  const marks = [A, B].map((i) => i.mark());
  onTestFailed(() => {
    for (const [n, instance] of [A, B].entries()) {
      const out = instance.since(marks[n]);
      process.stderr.write(`\n===== ${instance.name} (pid ${instance.pid}, ${instance.alive ? 'alive' : 'dead'}) output during the test =====\n${out.slice(-30_000) || '(nothing)'}\n`);
    }
    process.stderr.write(`\n===== proxy: served ${JSON.stringify(proxy.served)}, cut ${JSON.stringify(proxy.cut)}, dead ${JSON.stringify([...proxy.dead])} =====\n`);
  });
}

const nonTyping = (list: Activity[]) => list.filter((a) => a.type !== 'typing');
const containsError = (a: Activity) => ERROR_SENTENCES.some((s) => JSON.stringify(a).includes(s));

/** A bot reply as seen by the user: type, text, cards and suggested actions — the cards' promptIds (new at each rendering) left out. */
function replyKey(a: Activity): string {
  return JSON.stringify({ type: a.type, name: a.name, text: a.text, attachments: a.attachments, suggestedActions: a.suggestedActions }, (key, value: unknown) => (key === 'promptId' ? undefined : value));
}

interface Acked {
  conversation: Conversation;
  id: string;
  text: string;
  via?: string;
}

/**
 * Reads every conversation (through `base`) until each acknowledged message has a bot reply
 * (replyToId) and nothing new came for `quietMs`, or until `timeoutMs`. Never throws: the caller
 * asserts on what it returns.
 */
async function settle(base: string, conversations: Conversation[], acked: Acked[], timeoutMs: number, quietMs = 1500): Promise<{ byConversation: Map<string, Activity[]>; unanswered: Acked[]; settled: boolean }> {
  const deadline = Date.now() + timeoutMs;
  const byConversation = new Map<string, Activity[]>();
  let lastChange = Date.now();
  let signature = '';
  for (;;) {
    await Promise.all(
      conversations.map(async (c) => {
        try {
          byConversation.set(c.conversationId, (await activities(base, c)).activities);
        } catch {
          // a cut request: read again next round
        }
      }),
    );
    const now = [...byConversation.values()].map((l) => l.length).join(',');
    if (now !== signature) {
      signature = now;
      lastChange = Date.now();
    }
    const unanswered = acked.filter((m) => !(byConversation.get(m.conversation.conversationId) ?? []).some((a) => isBot(a) && a.type !== 'typing' && a.replyToId === m.id));
    if (unanswered.length === 0 && Date.now() - lastChange >= quietMs) return { byConversation, unanswered, settled: true };
    if (Date.now() > deadline) return { byConversation, unanswered, settled: false };
    await sleep(500);
  }
}

describe.skipIf(!postgres)('Sésame as two instances on one PostgreSQL database (issue #16)', () => {
  beforeAll(async () => {
    database = await createPostgresqlDatabase();
    await smtp.start();
    const [portA, portB, proxyPort] = [await freePort(), await freePort(), await freePort()];
    proxy = new RoundRobinProxy([
      { name: 'A', port: portA },
      { name: 'B', port: portB },
    ]);
    await proxy.listen(proxyPort);
    const secretsKey = crypto.randomBytes(32).toString('base64');
    const env = () => {
      const dataDir = tempDir();
      dirs.push(dataDir);
      return {
        DATABASE_URL: database!.url,
        DATA_DIR: dataDir,
        SECRETS_KEY: secretsKey,
        RATE_LIMIT_STORE: 'database',
        RATE_LIMIT_FACTOR: '0',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        OUTBOX_POLL_MS: '200',
        SMTP_URL: smtp.url,
        PUBLIC_URL: proxy.url,
        HOST: '127.0.0.1',
        // Whatever the calling shell holds: the open local channel, no Bot Framework credentials.
        DIRECTLINE_SECRET: '',
        MicrosoftAppId: '',
        MicrosoftAppPassword: '',
      };
    };
    A = new SesameInstance('A', portA, env());
    B = new SesameInstance('B', portB, env());
    // Both at once: the migrations run under an advisory lock.
    await Promise.all([A.start(), B.start()]);
  }, 150_000);

  afterAll(async () => {
    await Promise.all([A?.kill(), B?.kill()]);
    await proxy?.close();
    await smtp.stop();
    await database?.drop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a WebSocket on A receives the replies to messages posted through B', async () => {
    printLogsOnFailure();
    const conversation = await newConversation(B.url, `u-stream-${run}`);
    // The stream Direct Line hands out names the public address (the proxy): its path and token are used on A itself.
    expect(conversation.streamUrl?.startsWith(proxy.url.replace(/^http/, 'ws'))).toBe(true);
    await waitForCard(B.url, conversation, WELCOME, new Set(), 30_000);
    const streamUrl = `ws://127.0.0.1:${A.port}/v3/directline/conversations/${encodeURIComponent(conversation.conversationId)}/stream?t=${encodeURIComponent(conversation.token)}`;
    const stream = await openStream(streamUrl);
    try {
      const posted: string[] = [];
      for (const text of ['aide', 'menu']) {
        const sent = await post(B.url, conversation, { text });
        expect(sent, `POST « ${text} » through B`).toMatchObject({ status: 200 });
        posted.push(sent.id!);
        await waitFor(async () => (await activities(B.url, conversation)).activities.some((a) => isBot(a) && a.type === 'message' && a.replyToId === sent.id), 30_000, `B's reply to « ${text} »`);
      }
      const { byConversation } = await settle(B.url, [conversation], [], 10_000);
      const all = byConversation.get(conversation.conversationId)!;
      const expected = all.map((a) => seqOf(a.id));
      // What GET returns is itself whole: 0, 1, 2… with no gap.
      expect(expected, `GET activities:\n${transcript(all)}`).toEqual(expected.map((_, i) => i));
      const streamed = () => stream.sets.flatMap((s) => s.activities);
      await waitFor(() => streamed().some((a) => seqOf(a.id) >= expected.at(-1)!), 10_000, 'the stream on A to catch up').catch(() => undefined);
      await sleep(500);

      const seen = streamed().map((a) => seqOf(a.id));
      const summary = `stream on A received seqs [${seen.join(',')}] in ${stream.sets.length} frame(s), GET on B has [${expected.join(',')}]\n${transcript(all)}`;
      expect(stream.odd, 'frames that are not activity sets').toEqual([]);
      expect(stream.closed, 'the stream on A closed').toBe(false);
      // The user's own messages (the echo) and every reply, in order, each once, nothing skipped.
      console.info(`[instances] stream: A received seqs [${seen.join(',')}] in ${stream.sets.length} frame(s); GET on B: [${expected.join(',')}]`);
      for (const id of posted) expect.soft(seen, `the echo ${id} on the stream — ${summary}`).toContain(seqOf(id));
      expect.soft(seen, summary).toEqual(expected);
      // Each frame's watermark is its last activity's seq, and watermarks strictly increase.
      const watermarks = stream.sets.map((s) => Number(s.watermark));
      for (const [i, set] of stream.sets.entries()) expect.soft(watermarks[i], `frame ${i}'s watermark`).toBe(seqOf(set.activities.at(-1)!.id));
      for (let i = 1; i < watermarks.length; i += 1) expect.soft(watermarks[i], `watermarks ${watermarks.join(',')}`).toBeGreaterThan(watermarks[i - 1]);
    } finally {
      stream.close();
    }
  }, 90_000);

  it('20 simultaneous card submits across A and B: no error reply', async () => {
    printLogsOnFailure();
    const marks = [A.mark(), B.mark()];
    const conversations = await Promise.all(Array.from({ length: 10 }, (_, i) => newConversation((i % 2 ? A : B).url, `u-burst-${run}-${i}`)));
    const promptIds = await Promise.all(conversations.map((c, i) => waitForCard((i % 2 ? B : A).url, c, WELCOME, new Set(), 30_000)));
    // The same click on the same welcome card, at the same moment, once through A and once through B.
    const submits = conversations.flatMap((c, i) =>
      [A, B].map((instance) => ({ conversation: c, instance: instance.name, value: { verb: 'accreditation.start', promptId: promptIds[i] } })),
    );
    const results: Posted[] = await Promise.all(submits.map((s) => post((s.instance === 'A' ? A : B).url, s.conversation, { value: s.value })));
    const refused = results.map((r, i) => ({ ...r, instance: submits[i].instance, conversation: submits[i].conversation.conversationId })).filter((r) => r.status !== 200);
    expect(refused, 'submits not answered 200').toEqual([]);

    const acked: Acked[] = results.map((r, i) => ({ conversation: submits[i].conversation, id: r.id!, text: 'accreditation.start', via: submits[i].instance }));
    const { byConversation, unanswered, settled } = await settle(A.url, conversations, acked, 30_000);
    const failures = conversations.flatMap((c) =>
      (byConversation.get(c.conversationId) ?? []).filter((a) => isBot(a) && containsError(a)).map((a) => `${c.conversationId} seq ${seqOf(a.id)} ↩${a.replyToId ? seqOf(a.replyToId) : '-'}: ${a.text}`),
    );
    const logged = [...A.errorsSince(marks[0]).map((e) => `A: ${e.msg} ${e.err?.type ?? ''} ${e.err?.message ?? ''}`), ...B.errorsSince(marks[1]).map((e) => `B: ${e.msg} ${e.err?.type ?? ''} ${e.err?.message ?? ''}`)];
    const shown = conversations
      .filter((c) => failures.some((f) => f.startsWith(c.conversationId)) || unanswered.some((u) => u.conversation === c))
      .slice(0, 3)
      .map((c) => `${c.conversationId}:\n${transcript(byConversation.get(c.conversationId) ?? [])}`)
      .join('\n');
    const evidence = `\n${failures.length} error repl(ies) in ${new Set(failures.map((f) => f.split(' ')[0])).size}/10 conversations; ${unanswered.length} submit(s) unanswered; settled: ${settled}\nerrors logged:\n  ${[...new Set(logged)].slice(0, 10).join('\n  ')}\n${shown}`;
    console.info(`[instances] burst: 20 submits answered 200; ${failures.length} error repl(ies); ${unanswered.length} unanswered; settled: ${settled}`);
    expect.soft(failures, `bot replies with the error sentence${evidence}`).toEqual([]);
    expect.soft(unanswered.map((u) => `${u.conversation.conversationId} ${u.id} via ${u.via}`), `submits with no reply${evidence}`).toEqual([]);
  }, 120_000);

  it("Teams traffic with no affinity: one conversation's activities on A and B at once, and a channel's retry, each processed once, no error", async () => {
    printLogsOnFailure();
    const connector = await startConnector('/teams/');
    try {
      const tenant = { id: 'tenant-1' };
      const bot = { id: '28:sesame', name: 'Sésame' };
      let n = 0;
      const activity = (conversationId: string, text: string, id = `teams-${run}-${(n += 1)}`) => ({
        type: 'message',
        id,
        text,
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        conversation: { id: conversationId, conversationType: 'personal', tenantId: tenant.id },
        from: { id: `29:user-${conversationId}`, name: 'Dr Ayşe Şahin', aadObjectId: `aad-${conversationId}` },
        recipient: bot,
        channelData: { tenant },
        locale: 'fr-FR',
        timestamp: new Date().toISOString(),
      });
      const send = (instance: SesameInstance, body: object) => fetch(`${instance.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const repliesTo = (id: string) => connector.recorded.filter((r) => r.method === 'POST' && r.body.type === 'message' && (r.body as { replyToId?: string }).replyToId === id);

      // How many messages one « aide » turn answers with, in a conversation of its own.
      const baseline = activity(`a:baseline-${run}`, 'aide');
      expect((await send(A, baseline)).status).toBe(200);
      const once = repliesTo(baseline.id).length;
      expect(once).toBeGreaterThan(0);

      // Five conversations: « aide » through A, « menu » through B at the same moment, and the « aide »
      // delivered again through B (Teams retries when an answer is slow).
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => `a:teams-${run}-${i}`).flatMap((conversationId) => {
          const help = activity(conversationId, 'aide');
          return [send(A, help).then((r) => ({ id: help.id, status: r.status })), send(B, activity(conversationId, 'menu')).then((r) => ({ id: '', status: r.status })), send(B, help).then((r) => ({ id: help.id, status: r.status }))];
        }),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
      const helps = [...new Set(results.filter((r) => r.id).map((r) => r.id))];
      const texts = connector.recorded.filter((r) => r.body.type === 'message').map((r) => r.body.text ?? '');
      expect(texts.filter((t) => ERROR_SENTENCES.some((e) => t.includes(e.slice(0, 30)))), 'error replies').toEqual([]);
      // Each « aide » answered by one turn: the retry was recognised by its id, whichever instance got it first.
      for (const id of helps) expect(repliesTo(id).length, `replies to ${id}`).toBe(once);
    } finally {
      await connector.close();
    }
  }, 120_000);

  it('outbox mails exactly once across both instances', async () => {
    printLogsOnFailure();
    if (!A.alive) await A.start(); // the kill test ran first (-t, reordering): A back
    const names = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard'];
    const identifiers = rppsNumbers(names.length);
    const people = names.map((lastName, i) => ({
      instance: i < names.length / 2 ? A : B,
      lastName,
      identifier: identifiers[i],
      email: `${lastName.toLowerCase()}.${run}@example.fr`,
    }));
    const before = smtp.mails.length;
    await Promise.all(
      people.map(async (p, i) => {
        const base = p.instance.url;
        const conversation = await newConversation(base, `u-mail-${run}-${i}`);
        const used = new Set<string>();
        const step = async (title: string, value: Record<string, string>) => {
          const promptId = await waitForCard(base, conversation, title, used, 30_000);
          used.add(promptId);
          const sent = await post(base, conversation, { value: { ...value, promptId } });
          expect(sent, `submit of « ${title} » on ${p.instance.name}`).toMatchObject({ status: 200 });
        };
        await step(WELCOME, { verb: 'accreditation.start' });
        await step(fr.entry.title, { verb: 'register' });
        await step(fr.eligibility.title, { verb: 'submit', physician: 'yes', specialty: 'anesthesie-reanimation', interventional: 'yes', establishment: 'yes', practice: 'individual' });
        await step(fr.form.title, {
          verb: 'submit',
          civility: 'dr',
          lastName: p.lastName,
          firstName: 'Jean',
          identifier: p.identifier,
          specialty: 'anesthesie-reanimation',
          email: p.email,
          emailConfirm: p.email,
        });
        let last: Activity[] = [];
        await waitFor(
          async () => (last = (await activities(base, conversation)).activities).some((a) => isBot(a) && (a.text ?? '').startsWith(CREATED)),
          30_000,
          'the request recorded',
        ).catch((error: Error) => {
          throw new Error(`${error.message} for ${p.lastName} on ${p.instance.name}:\n${transcript(last)}`);
        });
      }),
    );

    const ours = () => smtp.mails.slice(before).filter((m) => m.subject === CREDENTIALS_SUBJECT);
    const to = (m: (typeof smtp.mails)[number]) => (Array.isArray(m.to) ? m.to : [m.to]).flatMap((a: AddressObject | undefined) => a?.value.map((v) => v.address ?? '') ?? []);
    await waitFor(() => new Set(ours().flatMap(to)).size >= people.length, 30_000, 'a credentials mail to every address').catch(() => undefined);
    // Long enough for both outboxes to poll many times over (OUTBOX_POLL_MS=200): a duplicate would be here.
    await sleep(3000);
    const mails = ours();
    const perAddress = Object.fromEntries(people.map((p) => [p.email, mails.filter((m) => to(m).includes(p.email)).length]));
    console.info(`[instances] outbox: ${mails.length} credentials mail(s) for ${people.length} requests, ${new Set(mails.map((m) => m.messageId)).size} distinct Message-IDs`);
    const evidence = `\nmails: ${JSON.stringify(mails.map((m) => ({ to: to(m), messageId: m.messageId, date: m.date })), null, 1)}`;
    expect(perAddress, `credentials mails per address${evidence}`).toEqual(Object.fromEntries(people.map((p) => [p.email, 1])));
    const ids = mails.map((m) => m.messageId);
    expect(new Set(ids).size, `distinct Message-IDs${evidence}`).toBe(ids.length);
    expect(mails.length).toBe(people.length);
  }, 120_000);

  // Last: it leaves A dead.
  it('kill -9 of one instance during 30 conversations: every acknowledged message is answered exactly once', async () => {
    printLogsOnFailure();
    if (!A.alive) await A.start();
    proxy.revive('A');
    const bMark = B.mark();
    const conversations = await Promise.all(Array.from({ length: 30 }, (_, i) => newConversation(proxy.url, `u-kill-${run}-${i}`)));
    await Promise.all(conversations.map((c) => waitForCard(proxy.url, c, WELCOME, new Set(), 30_000)));

    const texts = ['aide', 'où en suis-je', 'menu'];
    const total = conversations.length * texts.length;
    const acked: (Acked & { startedAt: number })[] = [];
    const notAcked: (Posted & { conversation: string; text: string })[] = [];
    let killed: Promise<void> | undefined;
    let ackedAtKill = 0;
    let goneAt = Infinity;
    await Promise.all(
      conversations.map(async (conversation, i) => {
        await sleep(i * 40);
        for (const text of texts) {
          const startedAt = Date.now();
          const sent = await post(proxy.url, conversation, { text });
          if (sent.status === 200 && sent.id) acked.push({ conversation, id: sent.id, text, via: sent.via, startedAt });
          else notAcked.push({ ...sent, conversation: conversation.conversationId, text });
          if (!killed && acked.length >= total / 2) {
            ackedAtKill = acked.length;
            killed = A.kill('SIGKILL').then(() => {
              goneAt = Date.now();
            });
          }
          await sleep(300 + Math.floor(Math.random() * 500));
        }
      }),
    );
    expect(killed, 'A was killed mid-run').toBeDefined();
    await killed;
    const viaA = acked.filter((m) => m.via === 'A');
    // The harness did its part: A took messages before the kill, B everything posted once A was gone.
    expect(viaA.length, 'messages acknowledged by A before the kill').toBeGreaterThan(0);
    expect(acked.filter((m) => m.startedAt > goneAt && m.via !== 'B').length, 'messages posted after the kill and not served by B').toBe(0);
    expect(acked.filter((m) => m.startedAt > goneAt).length, 'messages posted after the kill').toBeGreaterThan(0);
    expect(acked.length, `acknowledged messages (not: ${JSON.stringify(notAcked.slice(0, 5))})`).toBeGreaterThanOrEqual(total * 0.6);

    // An instance that dies leaves its messages under a lease (~15 s); the survivor then takes them.
    const { byConversation, unanswered } = await settle(proxy.url, conversations, acked, 60_000, 2000);
    const replies = (m: Acked) => nonTyping((byConversation.get(m.conversation.conversationId) ?? []).filter((a) => isBot(a) && a.replyToId === m.id));
    const duplicated = acked.flatMap((m) => {
      const keys = replies(m).map(replyKey);
      const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
      return twice.length ? [{ message: `${m.conversation.conversationId} « ${m.text} » via ${m.via}`, replies: replies(m).map((a) => `${seqOf(a.id)}: ${(a.text ?? `[card: ${cardOf(a)?.body?.[0]?.text}]`).slice(0, 60)}`) }] : [];
    });
    const errors = acked.flatMap((m) => replies(m).filter(containsError).map(() => `${m.conversation.conversationId} « ${m.text} » via ${m.via}`));
    const show = (list: Acked[]) =>
      [...new Set(list.map((m) => m.conversation))]
        .slice(0, 3)
        .map((c) => `${c.conversationId}:\n${transcript(byConversation.get(c.conversationId) ?? [])}`)
        .join('\n');
    const bErrors = [...new Set(B.errorsSince(bMark).map((e) => `${e.msg} ${e.err?.type ?? ''} ${e.err?.message ?? ''}`))].slice(0, 10);
    const evidence = `\nacknowledged ${acked.length}/${total} (${viaA.length} by A, ${acked.length - viaA.length} by B; A killed after ${ackedAtKill}); not acknowledged: ${notAcked.length} ${JSON.stringify(notAcked.map((n) => `${n.status} ${n.via ?? ''} ${n.error ?? ''}`.slice(0, 80)).slice(0, 5))}\nunanswered: ${unanswered.length} (${unanswered.filter((m) => m.via === 'A').length} acknowledged by A, ${unanswered.filter((m) => m.via === 'B').length} by B)\nerrors logged by B: ${bErrors.join(' | ')}\n`;
    console.info(
      `[instances] kill -9: acknowledged ${acked.length}/${total} (${viaA.length} by A, ${acked.length - viaA.length} by B; A killed after ${ackedAtKill}), ${notAcked.length} cut at the kill; unanswered ${unanswered.length}, answered twice ${duplicated.length}, error replies ${errors.length}; settled ${((Date.now() - goneAt) / 1000).toFixed(1)} s after the kill`,
    );
    expect.soft(
      unanswered.map((m) => `${m.conversation.conversationId} ${seqOf(m.id)} « ${m.text} » via ${m.via}`),
      `acknowledged messages with no reply after 60 s${evidence}${show(unanswered)}`,
    ).toEqual([]);
    expect.soft(duplicated, `messages answered more than once${evidence}`).toEqual([]);
    expect.soft(errors, `error replies${evidence}${show(acked.filter((m) => replies(m).some(containsError)))}`).toEqual([]);
  }, 180_000);
});
