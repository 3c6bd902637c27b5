import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDatabase } from './helpers/db';
import { UnderstandingLog } from '../src/services/support/understandingLog';
import { formatUnderstandingReport } from '../scripts/report-unanswered';
import type { Db } from '../src/services/db/database';

describe('the report of what Sésame could not answer (npm run report:unanswered)', () => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let now = new Date('2026-12-02T10:00:00Z');
  const log = () => new UnderstandingLog(db, () => now);

  beforeEach(async () => {
    ({ db, cleanup } = await tempDatabase());
    now = new Date('2026-12-02T10:00:00Z');
  });
  afterEach(async () => cleanup());

  it('groups the questions not understood by journey and step, the asked-back pairs, the tickets and the ratings', async () => {
    await log().record({ kind: 'unanswered', journey: 'accreditation', step: 'acc.formCard', text: 'le dr [nom] peut signer', locale: 'fr' });
    await log().record({ kind: 'unanswered', journey: 'accreditation', step: 'acc.formCard', text: 'quid du [téléphone]', locale: 'fr' });
    await log().record({ kind: 'unanswered', step: 'main.menuCard', text: 'blorp', locale: 'fr' });
    await log().record({ kind: 'askedBack', topic: 'H04 / M06', locale: 'fr' });
    await log().record({ kind: 'feedback', topic: 'H06', helpful: false, locale: 'fr' });
    await log().record({ kind: 'feedback', topic: 'H06', helpful: true, locale: 'fr' });
    await db.supportTicket.create({ data: { conversation: 'c', route: 'siam', journey: 'accreditation', step: 'acc.formCard', description: 'x', contactEmail: 'a@b.fr', transcript: '', locale: 'fr', channelId: 'webchat' } });
    const report = await log().report(30);
    expect(report.unanswered[0]).toMatchObject({ journey: 'accreditation', step: 'acc.formCard', count: 2 });
    expect(report.unanswered[0].examples).toEqual(['quid du [téléphone]', 'le dr [nom] peut signer']);
    expect(report.askedBack).toEqual([{ topic: 'H04 / M06', count: 1 }]);
    expect(report.tickets).toEqual([{ route: 'siam', journey: 'accreditation', step: 'acc.formCard', count: 1 }]);
    expect(report.feedback).toEqual([{ topic: 'H06', helpful: 1, notHelpful: 1 }]);
    expect(formatUnderstandingReport(report, 30)).toMatch(/2 {2}accreditation \/ acc\.formCard\n {7}« quid du \[téléphone\] »/);
  });

  it('looks back only the days asked, and forgets what is older than its retention', async () => {
    await log().record({ kind: 'unanswered', text: 'ancienne', locale: 'fr' });
    now = new Date('2026-12-20T10:00:00Z');
    await log().record({ kind: 'unanswered', text: 'récente', locale: 'fr' });
    expect((await log().report(7)).unanswered.flatMap((u) => u.examples)).toEqual(['récente']);
    expect(await log().prune(10)).toBe(1);
    expect(await db.understandingEvent.count()).toBe(1);
  });
});
