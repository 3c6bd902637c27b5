import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from './helpers/app';
import { DESK_SIGN_IN_PURPOSE } from '../src/services/identity/linkPurposes';
import type { App } from '../src/app';

// The expert signs in with an e-mail address, on a desk: their pages must not speak the physician's
// words (a number as « nom d'utilisateur », RPPS, « Enregistrer et continuer », « Me connecter »).
const PHYSICIAN_WORDS = [/nom d.utilisateur/i, /RPPS/, /ADELI/, /Enregistrer et continuer/, /mot de passe temporaire/i, /« Me connecter »/];

describe("the expert's secure pages", () => {
  let app: App;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ app, close } = await startTestApp());
  });
  afterAll(async () => close());

  const text = async (response: Response) =>
    (await response.text())
      .replace(/<style>[^]*?<\/style>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/\s+/g, ' ');
  const post = (url: string, body: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });

  it('activation: the password policy and its refusals speak of the e-mail address, and the button activates the account', async () => {
    const { token } = await app.services.desk.create('EXPERT', 'marie.expert@cfar.example', 'Marie Expert', ['cfar']);
    const url = `${app.url}/compte/bureau/activation/${token}`;
    const page = await text(await fetch(url));
    expect(page).toContain('Activer votre compte');
    expect(page).toContain('ni votre identifiant (ce qui précède @ dans votre adresse e-mail)');
    expect(page).toContain('Activer mon compte');
    for (const words of PHYSICIAN_WORDS) expect(page).not.toMatch(words);
    const refused = await text(await post(url, { password: 'marie.expert et son jardin', confirmation: 'marie.expert et son jardin' }));
    expect(refused).toContain('ne doit pas contenir votre identifiant (ce qui précède @ dans votre adresse e-mail)');
    for (const words of PHYSICIAN_WORDS) expect(refused).not.toMatch(words);
    const done = await text(await post(url, { password: 'un vent frais sur la colline', confirmation: 'un vent frais sur la colline' }));
    expect(done).toContain('écrivez « espace expert »');
    // Used once: the link says where a new one comes from (the administrator), not the physician's way.
    const used = await text(await fetch(url));
    expect(used).toContain("Demandez-en un nouveau à l'administrateur de Sésame");
    for (const words of PHYSICIAN_WORDS) expect(used).not.toMatch(words);
  });

  it('sign-in: an e-mail address and the expert desk, and an expired link sends back to « espace expert »', async () => {
    const { token } = await app.services.links.create(DESK_SIGN_IN_PURPOSE, { channelId: 'directline', conversation: { id: 'c-desk' }, deskRole: 'EXPERT' });
    const page = await text(await fetch(`${app.url}/compte/bureau/connexion/${token}`));
    expect(page).toContain('Connexion — espace expert');
    expect(page).toContain('Adresse e-mail');
    for (const words of PHYSICIAN_WORDS) expect(page).not.toMatch(words);
    const expired = await text(await fetch(`${app.url}/compte/bureau/connexion/inconnu`));
    expect(expired).toContain('écrivez « espace expert »');
    for (const words of PHYSICIAN_WORDS) expect(expired).not.toMatch(words);
  });

  it("the Medimail password page speaks of the e-mail address too (a Medimail account signs in with it)", async () => {
    const start = await app.services.medimail.startRegistration({ lastName: 'Roux', firstName: 'Anne', email: 'anne.roux@example.fr', profession: 'medecin', locale: 'fr' }, null);
    if (start.status !== 'ok') throw new Error('duplicate');
    const url = `${app.url}/compte/medimail/mot-de-passe/${start.token}`;
    const page = await text(await fetch(url));
    expect(page).toContain('ni votre identifiant (ce qui précède @ dans votre adresse e-mail)');
    expect(page).not.toMatch(/nom d.utilisateur/i);
    const refused = await text(await post(url, { password: 'anne.roux et son jardin', confirmation: 'anne.roux et son jardin' }));
    expect(refused).toContain('ne doit pas contenir votre identifiant (ce qui précède @ dans votre adresse e-mail)');
    expect(refused).not.toMatch(/votre numéro/);
  });

  it("keeps the physician's own wording on the physician's password page", async () => {
    const expired = await text(await fetch(`${app.url}/compte/connexion/inconnu`));
    expect(expired).toContain('« Me connecter »');
  });
});
