import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotDriver } from 'botium-core';
import { z } from 'zod';
import { startApp, type App } from '../src/app';
import { parseConfig } from '../src/config';
import { testDatabaseUrl, tempDir } from './helpers/db';
import { capturingLogger } from './helpers/silentLogger';

// A client nobody here wrote: Botium's Direct Line 3 connector, unmodified, runs the convos of
// test/botium/convos against the server with the capabilities of test/botium/botium.json (the
// Direct Line secret as Bearer, buttons as message values carrying the card's verb).
const dir = path.join(__dirname, 'botium');
const capsFile = z.object({ botium: z.object({ Capabilities: z.record(z.string(), z.unknown()) }) });
const dataDir = tempDir();
const secret = 'botium-channel-secret-0123456789abcdef';
const logs = capturingLogger();
let app: App;
let database: Awaited<ReturnType<typeof testDatabaseUrl>>;
beforeAll(async () => {
  database = await testDatabaseUrl(dataDir);
  app = await startApp(
    parseConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: database.url, DATA_DIR: dataDir, DIRECTLINE_SECRET: secret, RATE_LIMIT_FACTOR: '50' }),
    logs.logger,
  );
});
afterAll(async () => {
  await app.close();
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('Botium (botium-connector-directline3) against the local Direct Line', () => {
  it('passes every convo', async () => {
    const { Capabilities } = capsFile.parse(JSON.parse(fs.readFileSync(path.join(dir, 'botium.json'), 'utf8'))).botium;
    const driver = new BotDriver({ ...Capabilities, DIRECTLINE3_DOMAIN: `${app.url}/v3/directline`, DIRECTLINE3_SECRET: secret });
    const compiler = driver.BuildCompiler();
    compiler.ReadScriptsFromDirectory(path.join(dir, 'convos'));
    compiler.ExpandConvos();
    expect(compiler.convos.length).toBeGreaterThan(0);
    const container = await driver.Build();
    try {
      for (const convo of compiler.convos) {
        await container.Start();
        try {
          await convo.Run(container);
        } finally {
          await container.Stop();
        }
      }
    } finally {
      await container.Clean();
    }
  }, 120_000);
});

describe('the Direct Line secret as Bearer, as on Azure', () => {
  const dl = (route: string, auth: string, init: RequestInit = {}) =>
    fetch(`${app.url}/v3/directline${route}`, { ...init, headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' } });

  it('acts on any conversation (the operator); a conversation token only on its own; a wrong secret on none', async () => {
    const started = (await (await dl('/conversations', secret, { method: 'POST' })).json()) as { conversationId: string; token: string; streamUrl: string };
    expect(started.streamUrl).not.toContain(secret);
    const id = started.conversationId;
    const post = (auth: string) => dl(`/conversations/${id}/activities`, auth, { method: 'POST', body: JSON.stringify({ type: 'message', text: 'menu', from: { id: 'operator-test' } }) });
    expect((await post(secret)).status).toBe(200);
    expect((await dl(`/conversations/${id}/activities`, secret)).status).toBe(200);
    const reconnected = await dl(`/conversations/${id}?watermark=0`, secret);
    expect(reconnected.status).toBe(200);
    const { token, streamUrl } = (await reconnected.json()) as { token: string; streamUrl: string };
    expect(`${token} ${streamUrl}`).not.toContain(secret);
    expect((await dl(`/conversations/${id}/activities`, token)).status).toBe(200);

    const other = (await (await dl('/conversations', secret, { method: 'POST' })).json()) as { conversationId: string; token: string };
    expect((await dl(`/conversations/${other.conversationId}/activities`, secret)).status).toBe(200);
    expect((await dl(`/conversations/${other.conversationId}/activities`, started.token)).status).toBe(403);
    expect((await dl(`/conversations/${id}/activities`, `${secret}x`)).status).toBe(403);
    expect((await post(`${secret}x`)).status).toBe(403);
    expect((await dl('/conversations', `${secret}x`, { method: 'POST' })).status).toBe(403);
  });
});
