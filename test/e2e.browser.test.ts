import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp } from './helpers/app';
import { launchBrowser } from './helpers/browser';
import { DURAND, throughAdminFile } from './helpers/registry';
import type { App } from '../src/app';
import fs from 'node:fs';

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.2 A and AA violations on the page as it is (injected by the test, not by the page). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
  });
}

/** Every Content-Security-Policy violation and script error of a page, as it happens. */
async function watchPolicy(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`error: ${e.message}`));
  await page.exposeFunction('sesameReportViolation', (v: string) => problems.push(`CSP: ${v}`));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { sesameReportViolation(v: string): void }).sesameReportViolation(`${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  return problems;
}

let app: App;
let close: () => Promise<void>;
let browser: Browser;
beforeAll(async () => {
  ({ app, close } = await startTestApp());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await close();
});

describe('Web Chat in a real browser', () => {
  it('says a clicked button as the choice made, not as a « ✓ Envoyé » from the bot', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
    await page.locator('button.ac-pushButton', { hasText: 'Créer mon compte Medimail' }).first().click();
    await page.getByText('Vous avez choisi « Créer mon compte Medimail ».').first().waitFor({ timeout: 30_000 });
    expect(await page.getByText(/✓ Envoyé/).count()).toBe(0);
    await context.close();
  });

  it('shows the welcome card as soon as the chat connects, in French, and an entry can be clicked', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const problems = await watchPolicy(page);
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(app.url);
    await expect(page.title()).resolves.toMatch(/Sésame/);
    await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
    await page.locator('button.ac-pushButton', { hasText: 'Créer mon compte Medimail' }).first().click();
    await page.getByText(/Medimail est une messagerie sécurisée de santé/).first().waitFor({ timeout: 30_000 });
    // Web Chat marks an activity it could not send; our channel's echo must prevent that.
    await page.getByPlaceholder('Écrivez votre message').fill('aide');
    await page.keyboard.press('Enter');
    await page.getByText(/« english » ou « français »/).first().waitFor({ timeout: 30_000 });
    expect(await page.getByText(/Envoi impossible|Send failed/i).count()).toBe(0);
    expect(failed.filter((u) => u.startsWith(app.url))).toEqual([]);
    // Web Chat works under Sésame's Content-Security-Policy: nothing blocked, no script error (#11 §15).
    expect(problems).toEqual([]);

    // A reload continues the same conversation: the history is there, and no new welcome is sent.
    await page.waitForTimeout(1000);
    const cards = await page.locator('.ac-adaptiveCard').count();
    expect(cards).toBeGreaterThanOrEqual(2);
    await page.reload();
    await page.getByText(/« english » ou « français »/).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(cards);
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/sesame-webchat.png` });
    await context.close();
  });

  it("speaks the browser's language on first load, and after « english » Web Chat's own strings switch too", async () => {
    const english = await browser.newContext({ locale: 'en-GB' });
    const first = await english.newPage();
    await first.goto(app.url);
    await first.getByText('Hello, I am Sésame').first().waitFor({ timeout: 30_000 });
    await expect(first.title()).resolves.toBe('Sésame — assistant for health professionals');
    await first.getByPlaceholder('Type your message').waitFor();
    await first.getByRole('button', { name: 'Send', exact: true }).waitFor();
    await english.close();

    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Envoyer', exact: true }).waitFor();
    await page.getByPlaceholder('Écrivez votre message').fill('english');
    await page.keyboard.press('Enter');
    // The send box, its button and the page itself switch, without a reload…
    await page.getByPlaceholder('Type your message').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await expect(page.locator('#tagline').textContent()).resolves.toBe('Accreditation of physicians · Medimail secure messaging');
    // …and stay switched on the next visit, although the browser asks for French.
    await page.reload();
    await page.getByPlaceholder('Type your message').waitFor({ timeout: 30_000 });
    await expect(page.title()).resolves.toBe('Sésame — assistant for health professionals');
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`passes axe-core (WCAG 2.2 AA) on a phone in the ${colorScheme} theme: chat with a form, accessibility statement, secure page`, async () => {
      const context = await browser.newContext({ locale: 'fr-FR', colorScheme, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(app.url);
      await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
      await page.locator('button.ac-pushButton', { hasText: "M'engager dans l'accréditation" }).first().click();
      await page.locator('button.ac-pushButton', { hasText: 'Pas encore inscrit' }).first().click();
      await page.getByText('Avant le formulaire : êtes-vous concerné(e) ?').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      // The theme is the system's: the page and the chat's cards are dark in the dark theme.
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(colorScheme === 'dark' ? 'rgb(18, 20, 23)' : 'rgb(244, 246, 249)');
      const cardText = await page.getByText('Avant le formulaire : êtes-vous concerné(e) ?').first().evaluate((e) => getComputedStyle(e).color);
      expect(cardText).toBe(colorScheme === 'dark' ? 'rgb(230, 232, 235)' : 'rgb(0, 0, 0)');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/sesame-a11y-${colorScheme}.png` });

      // The statement is one tap away, in the page's language.
      await page.getByRole('link', { name: 'Accessibilité : non conforme' }).click();
      await page.getByRole('heading', { name: "Déclaration d'accessibilité" }).waitFor();
      await page.getByText(/axe-core/).first().waitFor();
      expect(await axeViolations(page)).toEqual([]);

      // A secure page (here, the one an unknown link opens) in the same theme.
      await page.goto(`${app.url}/compte/connexion/inconnu`);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }

  it('after « supprimer mes données », the conversation leaves the screen; what was kept stays, with a way to start afresh', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
    await page.getByPlaceholder('Écrivez votre message').fill('supprimer mes données');
    await page.keyboard.press('Enter');
    await page.locator('button.ac-pushButton', { hasText: 'Supprimer définitivement' }).first().click({ timeout: 30_000 });
    const panel = page.locator('#erased');
    await panel.getByRole('heading', { name: 'Vos données sont effacées.' }).waitFor({ timeout: 30_000 });
    await panel.getByText(/C'est fait : vos données sont effacées/).waitFor();
    await expect(page.locator('#webchat').isHidden()).resolves.toBe(true);
    await expect(page.locator('button.ac-pushButton').count()).resolves.toBe(0);
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/sesame-erased.png` });
    await panel.getByRole('button', { name: 'Commencer une nouvelle conversation' }).click();
    await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
    await expect(page.getByText('supprimer mes données').count()).resolves.toBe(0);
    await context.close();
  });

  it('renders a form card that can be filled and sent: the accreditation eligibility check', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.locator('button.ac-pushButton', { hasText: "M'engager dans l'accréditation" }).first().click();
    await page.locator('button.ac-pushButton', { hasText: 'Pas encore inscrit : ma demande' }).first().click();
    await page.getByText('Avant le formulaire : êtes-vous concerné(e) ?').first().waitFor({ timeout: 30_000 });
    await page.locator('.ac-adaptiveCard select').last().selectOption('anesthesie-reanimation');
    await page.locator('button.ac-pushButton', { hasText: 'Continuer' }).last().click();
    await page.getByText(/Pas encore inscrit — demande d.engagement/).first().waitFor({ timeout: 30_000 });
    // The specialty answered in the first card is already chosen in the form.
    await expect(page.locator('.ac-adaptiveCard').last().locator('select').last().inputValue()).resolves.toBe('anesthesie-reanimation');
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/sesame-form.png`, fullPage: true });
    await context.close();
  });

  it('takes a ticket to the helpdesk: the card is filled and sent in Web Chat, the mail with its attached conversation is on the mail page', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
    await page.getByPlaceholder('Écrivez votre message').fill('conseiller');
    await page.keyboard.press('Enter');
    await page.getByText('Contacter le support').first().waitFor({ timeout: 30_000 });
    const ticket = page.locator('.ac-adaptiveCard').last();
    await ticket.locator('textarea').fill("Le mail avec mon identifiant n'arrive pas, même dans les spams");
    await ticket.locator('input[type="email"]').fill('web.chat@example.fr');
    await ticket.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/sesame-ticket-card.png` });
    await ticket.locator('button.ac-pushButton', { hasText: 'Envoyer au support' }).click();
    // Web Chat renders the apostrophe typographically (’).
    await page.getByText(/C.est transmis : demande n° SES-\d{6}/).first().waitFor({ timeout: 30_000 });
    expect(await page.getByText(/Envoi impossible|Send failed/i).count()).toBe(0);
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/sesame-ticket.png`, fullPage: true });

    await app.outbox.drain();
    await page.goto(`${app.url}/dev/mail`);
    await page.getByRole('link', { name: "Problème informatique pour s'engager dans l'accréditation" }).first().click();
    await page.getByText(/Pièce jointe : SES-\d{6}-conversation\.txt/).waitFor();
    await page.getByText(/Utilisateur : conseiller/).waitFor();
    await page.getByText('web.chat@example.fr').first().waitFor();
    await context.close();
  }, 90_000);

  it('lists the mails caught by the embedded SMTP server, each one rendered with clickable links', async () => {
    await app.outbox.enqueue(app.db, {
      to: 'jean.durand@example.fr',
      subject: 'Votre lien de confirmation',
      text: 'Ouvrez https://example.fr/confirm',
      html: '<p>Ouvrez <a href="https://example.fr/confirm">ce lien</a></p>',
    });
    await app.outbox.drain();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/dev/mail`);
    await page.getByRole('link', { name: 'Votre lien de confirmation' }).click();
    await page.getByText('jean.durand@example.fr').first().waitFor();
    const frame = page.frameLocator('iframe');
    await expect(frame.getByRole('link', { name: 'ce lien' }).getAttribute('href')).resolves.toBe('https://example.fr/confirm');
    await expect(page.getByRole('link', { name: 'https://example.fr/confirm' }).count()).resolves.toBe(1);
    await context.close();
  });

  it("shows a hostile name on the expert's desk as text: no image fetched, no link to follow, the password page not framable (#11 §10, §15)", async () => {
    // A name with markup, as legacy data could hold it (the forms refuse it now), sent to CFAR.
    let hits = 0;
    const tracker = http.createServer((_req, res) => {
      hits += 1;
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => tracker.listen(0, '127.0.0.1', () => r()));
    const bait = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}`;
    const { accountId } = (await app.services.registry.register({ ...DURAND, identifier: '10100555050', email: 'hostile@example.fr' })) as { accountId: string };
    await app.db.accreditationAccount.update({
      where: { id: accountId },
      data: { firstName: `[Voir le dossier](${bait}/phish)`, lastName: `![x](${bait}/t.png) <img src=${bait}/i.png>` },
    });
    const answers = { establishments: 'CHU', sector: 'public', settings: 'theatre', actsPerYear: '900', scheduledShare: '70', emergency: 'yes', onCall: 'yes', rmm: 'yes', crex: 'yes', declaredBefore: 'no', documents: 'diploma', accepted: 'yes' };
    await throughAdminFile(app.db, app.services.registry, accountId);
    await app.services.engagements.saveDraft(accountId, 0, answers);
    await app.services.engagements.send(accountId);
    const { account } = await app.services.desk.create('EXPERT', 'expert.browser@cfar.example', 'Paul Expert', ['cfar']);
    await app.services.desk.setPassword(account.id, 'la mer est calme ce soir', 'la mer est calme ce soir');

    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems = await watchPolicy(page);
    await page.goto(app.url);
    await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
    await page.getByPlaceholder('Écrivez votre message').fill('espace expert');
    await page.keyboard.press('Enter');
    const link = page.locator('a[href*="/compte/bureau/connexion/"]').last();
    await link.waitFor({ timeout: 30_000 });
    // The sign-in page, in the chat's own browser: no code to type.
    const signIn = await context.newPage();
    await signIn.goto((await link.getAttribute('href'))!);
    await signIn.fill('#email', 'expert.browser@cfar.example');
    await signIn.fill('#password', 'la mer est calme ce soir');
    await signIn.click('button[type="submit"]');
    await signIn.getByText("C'est fait").waitFor();
    // Another site cannot frame that page.
    const framed = await context.newPage();
    await framed.setContent(`<iframe src="${signIn.url()}"></iframe>`);
    await framed.waitForTimeout(500);
    expect(await framed.frames()[1]?.locator('form').count().catch(() => 0)).toBe(0);

    await page.getByText(/1 demande attend une décision/).first().waitFor({ timeout: 30_000 });
    await page.locator('button.ac-pushButton', { hasText: 'Ouvrir 1' }).last().click();
    await page.getByText(/Demande de/).last().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    expect(hits).toBe(0);
    expect(await page.locator(`a[href^="${bait}"]`).count()).toBe(0);
    expect(await page.locator(`img[src^="${bait}"]`).count()).toBe(0);
    await page.getByText('[Voir le dossier]').first().waitFor();
    expect(problems).toEqual([]);
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/sesame-desk-hostile-name.png` });
    await context.close();
    await new Promise<void>((r) => tracker.close(() => r()));
  }, 90_000);

  it('says at once, in words, that a message was refused for going too fast, and keeps the send box on a phone screen (#11 §6)', async () => {
    // Real limits (factor 1): a conversation may post 30 messages a minute.
    const limited = await startTestApp({ RATE_LIMIT_FACTOR: '1' });
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(limited.app.url);
      await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
      const box = page.getByPlaceholder('Écrivez votre message');
      for (let i = 0; i < 34; i += 1) {
        await box.fill(`message ${i}`);
        await page.keyboard.press('Enter');
      }
      const status = page.locator('#status');
      await status.waitFor({ state: 'visible', timeout: 30_000 });
      // The server's own sentence, with when to try again — not only Web Chat's « Échec de l'envoi ».
      await expect(status.textContent()).resolves.toMatch(/Trop de demandes .* Réessayez dans \d+ secondes/);
      const send = await box.boundingBox();
      expect(send && send.y + send.height).toBeLessThanOrEqual(844);
      await page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/sesame-too-many.png` });
    } finally {
      await context.close();
      await limited.close();
    }
  }, 90_000);
});
