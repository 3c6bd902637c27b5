import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestApp } from './helpers/app';
import { TranscriptRunner } from './helpers/transcript';
import type { App } from '../src/app';

// Every journey's readable script, replayed against the real server (Direct Line, secure pages, SMTP).
const dir = path.join(__dirname, 'transcripts');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.transcript'));

let app: App;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ app, close } = await startTestApp());
});
afterAll(async () => close());

describe('transcripts', () => {
  it.each(files)('%s', async (file) => {
    const runner = new TranscriptRunner({ app: () => app, userId: `u-${path.basename(file, '.transcript')}` });
    await runner.run(path.join(dir, file));
  }, 120_000);
});
