import { beforeAll, describe, expect, it } from 'vitest';
import { createI18n, type Translator } from '../src/i18n';
import { programmeCalendar } from '../src/services/accreditation/programme';
import { portalData } from '../src/cards/epr';
import { renderCard } from '../src/cards/render';

let t: Translator;
beforeAll(async () => {
  t = (await createI18n('fr')).getFixedT('fr');
});

describe("the programme's calendar (knowledge.md §1.4: 12 months, then every year, renewal every 4 years)", () => {
  it('puts the accreditation request at the first anniversary, annual bilans after, and the renewal four years later', () => {
    const calendar = programmeCalendar(new Date('2026-12-03T10:00:00Z'));
    expect(calendar.map((e) => [e.milestone, e.date.toISOString().slice(0, 10)])).toEqual([
      ['engaged', '2026-12-03'],
      ['firstBilan', '2027-12-03'],
      ['annualBilan', '2028-12-03'],
      ['annualBilan', '2029-12-03'],
      ['annualBilan', '2030-12-03'],
      ['renewal', '2031-12-03'],
    ]);
  });

  it('is on the portal, dates in words and said as estimates, only where the engagement date is known', () => {
    const card = JSON.stringify(renderCard('epr/portal', portalData(t, 'p-1', 'CFAR', [], new Date('2026-12-03T10:00:00Z'))));
    expect(card).toContain('Votre calendrier');
    expect(card).toContain('3 décembre 2026');
    expect(card).toContain('Vers le 3 décembre 2027');
    expect(card).toContain("Premier bilan annuel : la demande d'accréditation. L'expert de CFAR donne son avis, la HAS décide.");
    expect(card).toContain('selon le calendrier de votre OA');
    expect(JSON.stringify(renderCard('epr/portal', portalData(t, 'p-1', 'CFAR', [])))).not.toContain('Votre calendrier');
  });
});
