import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp } from './helpers/app';
import { launchBrowser } from './helpers/browser';
import { freePort } from './helpers/net';
import { waitFor } from './helpers/smtp';
import type { App } from '../src/app';

// A real Teams-like client: Microsoft 365 Agents Playground (channel msteams), on loopback,
// driven in headless Chromium.
let app: App;
let close: () => Promise<void>;
let playground: ChildProcess;
let browser: Browser;
let url: string;

beforeAll(async () => {
  ({ app, close } = await startTestApp());
  const port = await freePort();
  const cli = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
  playground = spawn(process.execPath, [cli, 'start', '-e', `${app.url}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TEAMSFX_TELEMETRY_TESTING: '0' },
  });
  url = `http://127.0.0.1:${port}/`;
  await waitFor(async () => (await fetch(url).catch(() => undefined))?.ok, 30_000, 'the Agents Playground');
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  playground?.kill('SIGKILL');
  await close();
});

describe('Microsoft 365 Agents Playground (Teams)', () => {
  it('shows the welcome, takes a filled card, and replaces it with its recap', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'fr-FR' });
    const shot = () => page.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/sesame-playground.png` });
    try {
    await page.goto(url);
    await page.getByText('Bonjour, je suis Sésame').first().waitFor({ timeout: 30_000 });
    // The playground always sends locale en-US; the user's explicit choice wins over the channel's.
    const compose = page.locator('[data-lexical-editor="true"][role="textbox"]');
    await compose.click();
    await page.keyboard.type('français');
    await page.keyboard.press('Enter');
    await page.getByText("D'accord, je continue en français.").first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: "M'engager dans l'accréditation" }).last().click();
    await page.getByRole('button', { name: 'Pas encore inscrit : ma demande' }).first().click();
    await page.getByText('Avant le formulaire : êtes-vous concerné(e) ?').first().waitFor({ timeout: 30_000 });
    // The playground draws choice lists as Fluent comboboxes, like Teams.
    await page.getByRole('combobox').last().click();
    await page.getByRole('option', { name: 'Anesthésie-réanimation' }).click();
    await page.getByRole('button', { name: 'Continuer' }).last().click();
    // The filled card is replaced by what was sent; the next step follows.
    await page.getByText('✓ Envoyé : Continuer').first().waitFor({ timeout: 30_000 });
    await page.getByText(/Pas encore inscrit — demande d.engagement/).first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByText('Avant le formulaire : êtes-vous concerné(e) ?').count()).toBe(0);
    expect(await page.getByText('Anesthésie-réanimation').count()).toBeGreaterThan(0);
    } finally {
      await shot();
    }
    await page.close();
  }, 150_000);
});
