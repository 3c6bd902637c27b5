import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp } from './helpers/app';
import { launchBrowser } from './helpers/browser';
import type { App } from '../src/app';

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
  it('shows the welcome card as soon as the chat connects, in French, and an entry can be clicked', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
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

  it('renders a form card that can be filled and sent: the accreditation eligibility check', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.locator('button.ac-pushButton', { hasText: "M'engager dans l'accréditation" }).first().click();
    await page.locator('button.ac-pushButton', { hasText: 'Pas encore inscrit : faire ma demande' }).first().click();
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
});
