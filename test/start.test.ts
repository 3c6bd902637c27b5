import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testDatabaseUrl, tempDir } from './helpers/db';
import { waitFor } from './helpers/smtp';
import { freePort } from './helpers/net';

// The real `npm start` entry point, as an operator sees it start: what it prints, how it answers probes.
const root = path.resolve(__dirname, '..');
const dir = tempDir();
// A file in `dir`, or a PostgreSQL database of its own (SESAME_TEST_DB=postgres).
const database = testDatabaseUrl(dir);
let child: ChildProcess | undefined;

// What npm install did: dist/ built (again if src/ changed since, as `npm start` would do itself first).
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/start.js', '--prepare'], { cwd: root, stdio: 'ignore' });
}, 180_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await (await database).drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('start', () => {
  it('prints only JSON log lines and the one-line banner, and answers HEAD and GET probes', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let out = '';
    let err = '';
    // Exactly what `npm start` runs: the compiled JavaScript (built by npm install), through scripts/start.js.
    const [command, ...args] = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
    expect(command).toBe('node');
    child = spawn(process.execPath, args, {
      cwd: root,
      // The defaults of `npm start` (info level, development), on a fresh database.
      env: { ...process.env, PORT: String(port), DATABASE_URL: (await database).url, DATA_DIR: dir, NODE_ENV: 'development', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok, 30_000, 'the server to be ready');

    for (const probe of ['/healthz', '/readyz']) {
      const head = await fetch(`${base}${probe}`, { method: 'HEAD' });
      expect(head.status, `HEAD ${probe}`).toBe(200);
      expect(await head.text()).toBe('');
      expect((await fetch(`${base}${probe}`)).status, `GET ${probe}`).toBe(200);
    }

    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    const lines = out.split('\n').filter((line) => line.trim() !== '');
    const banners = lines.filter((line) => /^\s*Sésame: http:\/\/\S+\s+·\s+mails: http:\/\/\S+\/dev\/mail$/.test(line));
    expect(banners).toHaveLength(1);
    for (const line of lines.filter((l) => !banners.includes(l))) {
      expect(() => JSON.parse(line), `not a JSON log line: ${line}`).not.toThrow();
    }
    expect(out).not.toMatch(/Epoch \d+ loss/);
    expect(lines.some((line) => line.includes('"msg":"Sésame is listening"'))).toBe(true);
    expect(err.trim()).toBe('');
  });
});
