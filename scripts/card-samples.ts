// Writes src/cards/templates/<journey>/<name>.data.json: for each card template, the data of its first
// fixture (test/helpers/cardFixtures.ts) in French, as the template reads it — the "Sample data" to
// paste in the Adaptive Cards Designer next to the template. Run: npx tsx scripts/card-samples.ts
import fs from 'node:fs';
import path from 'node:path';
import { createI18n } from '../src/i18n';
import { CARDS } from '../src/cards/registry';
import { fixtures } from '../test/helpers/cardFixtures';

void (async () => {
  const t = (await createI18n('fr')).getFixedT('fr');
  const written = new Set<string>();
  for (const [, name, data] of fixtures(t)) {
    if (written.has(name)) continue;
    written.add(name);
    const parsed = CARDS[name].schema.parse(data);
    fs.writeFileSync(path.join(__dirname, '..', 'src', 'cards', 'templates', `${name}.data.json`), `${JSON.stringify(parsed, null, 2)}\n`);
  }
  console.log(`${written.size} samples written`);
})();
