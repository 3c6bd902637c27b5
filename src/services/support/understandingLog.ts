import type { Db } from '../db/database';

const DAY = 24 * 60 * 60 * 1000;

export interface UnderstandingEventInput {
  kind: 'unanswered' | 'askedBack' | 'feedback';
  topic?: string;
  journey?: string;
  step?: string;
  /** Already redacted (redactForRecord): never the raw message. */
  text?: string;
  helpful?: boolean;
  locale: string;
}

export interface UnderstandingReport {
  since: Date;
  unanswered: { journey: string; step: string; count: number; examples: string[] }[];
  askedBack: { topic: string; count: number }[];
  tickets: { route: string; journey: string; step: string; count: number }[];
  feedback: { topic: string; helpful: number; notHelpful: number }[];
}

/**
 * What Sésame could not answer, grouped so the team sees what to teach next (as Copilot Studio's
 * "themes"): not understood and asked back by journey and step, tickets by helpdesk and step, 👍/👎 by topic.
 */
export class UnderstandingLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(event: UnderstandingEventInput): Promise<void> {
    await this.db.understandingEvent.create({ data: { ...event, text: event.text?.slice(0, 500), createdAt: this.now() } });
  }

  async report(days = 30): Promise<UnderstandingReport> {
    const since = new Date(this.now().getTime() - days * DAY);
    const events = await this.db.understandingEvent.findMany({ where: { createdAt: { gte: since } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    const tickets = await this.db.supportTicket.findMany({ where: { createdAt: { gte: since } }, select: { route: true, journey: true, step: true } });
    const count = <K extends string>(rows: Record<K, string>[], keys: K[]) => {
      const groups = new Map<string, { key: Record<K, string>; count: number }>();
      for (const row of rows) {
        const id = keys.map((k) => row[k]).join('\u0000');
        const group = groups.get(id) ?? { key: Object.fromEntries(keys.map((k) => [k, row[k]])) as Record<K, string>, count: 0 };
        group.count += 1;
        groups.set(id, group);
      }
      return [...groups.values()].sort((a, b) => b.count - a.count);
    };
    const unanswered = events.filter((e) => e.kind === 'unanswered');
    const byStep = count(unanswered.map((e) => ({ journey: e.journey ?? '-', step: e.step ?? '-' })), ['journey', 'step']);
    const feedback = new Map<string, { helpful: number; notHelpful: number }>();
    for (const e of events.filter((e) => e.kind === 'feedback')) {
      const entry = feedback.get(e.topic ?? '-') ?? { helpful: 0, notHelpful: 0 };
      if (e.helpful) entry.helpful += 1;
      else entry.notHelpful += 1;
      feedback.set(e.topic ?? '-', entry);
    }
    return {
      since,
      unanswered: byStep.map(({ key, count: n }) => ({
        ...key,
        count: n,
        examples: [...new Set(unanswered.filter((e) => (e.journey ?? '-') === key.journey && (e.step ?? '-') === key.step).map((e) => e.text ?? ''))].filter(Boolean).slice(0, 5),
      })),
      askedBack: count(events.filter((e) => e.kind === 'askedBack').map((e) => ({ topic: e.topic ?? '-' })), ['topic']).map(({ key, count: n }) => ({ ...key, count: n })),
      tickets: count(tickets.map((t) => ({ route: t.route, journey: t.journey ?? '-', step: t.step ?? '-' })), ['route', 'journey', 'step']).map(({ key, count: n }) => ({ ...key, count: n })),
      feedback: [...feedback.entries()].map(([topic, v]) => ({ topic, ...v })).sort((a, b) => b.notHelpful - a.notHelpful),
    };
  }

  /** Kept as long as transcripts: the report looks back 30 days. */
  async prune(retentionDays: number): Promise<number> {
    const { count } = await this.db.understandingEvent.deleteMany({ where: { createdAt: { lt: new Date(this.now().getTime() - retentionDays * DAY) } } });
    return count;
  }
}
