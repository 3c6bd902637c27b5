import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestApp } from './helpers/app';
import { ChatRunner } from './helpers/chat';
import { DURAND } from './helpers/registry';
import type { App } from '../src/app';

// After a refusal, the OA's contact is what Sésame truly knows: knowledge.md confirms no public
// address of the OAs, so the hub names an address only when HELPDESK_OA_EMAILS gives one.
describe('« Contacter mon OA » after a refusal, with the OA address configured', () => {
  let app: App;
  let close: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ app, close, dir } = await startTestApp({ HELPDESK_OA_EMAILS: 'cfar=accreditation@cfar.example' }));
  });
  afterAll(async () => close());

  it('names the address on the refused hub, and the ticket goes to it', async () => {
    const { accountId } = (await app.services.registry.register({ ...DURAND, identifier: '10111548680', email: 'claire.roux@example.fr', firstName: 'Claire', lastName: 'Roux' })) as { accountId: string };
    const runner = new ChatRunner({ app: () => app, userId: 'u-oa-contact' });
    const script = (name: string, lines: string[]) => {
      const file = path.join(dir, `${name}.chat`);
      fs.writeFileSync(file, lines.join('\n'));
      return runner.run(file);
    };
    await script('signin', [
      'bot: Bonjour, je suis Sésame',
      '[mail=claire.roux@example.fr | Nom d\'utilisateur : 10111548680]',
      '[capture=password = Mot de passe temporaire : (\\S+)]',
      'user: ou en suis je',
      '[click=Me connecter]',
      '[page=open]',
      '[page=post | username=10111548680; password={password}]',
      '[secret=newPassword = une riviere passe sous le pont]',
      '[page=post /mot-de-passe | password={newPassword}; confirmation={newPassword}]',
      'bot: Vous êtes connecté(e) en tant que Docteur Claire Roux.',
      '[submit=Vérifier | address=1 place du Capitole; postalCode=31000; city=Toulouse; cpamDepartment=31; crfmcRegion=76; practiceMode=salaried; establishment1=CHU de Toulouse]',
      '[submit=Enregistrer et continuer]',
      'bot: Votre dossier administratif est enregistré.',
    ]);
    const answers = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'yes' };
    await app.services.engagements.saveDraft(accountId, 0, answers);
    await app.services.engagements.send(accountId);
    const { account: expert } = await app.services.desk.create('EXPERT', 'expert@cfar.example', 'Paul Expert', ['cfar']);
    await app.services.engagements.decide(expert.id, accountId, 'REFUSED', "Attestation d'activité manquante.");
    await script('refused', [
      'user: ou en suis je',
      "bot: Votre demande n'a pas été acceptée par CFAR",
      '[card-has=« Contacter mon OA » écrit à CFAR (accreditation@cfar.example)]',
      '[click=Contacter mon OA]',
      'bot: Contacter le support',
      "[submit=Envoyer au support | description=Quelle attestation d'activité faut-il envoyer ?]",
      "bot: envoyée à l'organisme agréé CFAR (accreditation@cfar.example)",
      "[mail=accreditation@cfar.example | Quelle attestation d'activité faut-il envoyer ?]",
      "bot: Votre demande n'a pas été acceptée par CFAR",
    ]);
  }, 90_000);
});
