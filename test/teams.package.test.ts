import { beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '../src/i18n';
import { teamsAppPackage } from '../src/teams/appPackage';
import { unzip, zip } from '../src/teams/zip';
import { MANIFEST_VERSION } from '../src/teams/manifest';
import fs from 'node:fs';
import path from 'node:path';
import { validateTeamsPackage } from '../scripts/teamsValidate';
import type { i18n as I18n } from 'i18next';

let i18n: I18n;
beforeAll(async () => {
  i18n = await createI18n('fr');
});

const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

function pngSize(file: Buffer): { width: number; height: number; colorType: number } {
  expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20), colorType: file.readUInt8(25) };
}

describe('Teams app package', () => {
  it("validates against Microsoft's manifest schemas: a personal bot with the configured id and domain", async () => {
    const { archive } = teamsAppPackage(i18n, { appId: APP_ID, publicUrl: 'https://sesame.chu-exemple.fr/', version: '0.1.0' });
    const files = unzip(archive);
    expect([...files.keys()].sort()).toEqual(['color.png', 'en-us.json', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString()) as Record<string, any>;
    const english = JSON.parse(files.get('en-us.json')!.toString()) as Record<string, unknown>;
    expect(await validateTeamsPackage(manifest, english)).toEqual([]);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots).toEqual([expect.objectContaining({ botId: APP_ID, scopes: ['personal'] })]);
    expect(manifest.validDomains).toEqual(['sesame.chu-exemple.fr']);
    expect(manifest.description.short).toMatch(/accréditation/i);
    expect(english['description.short']).toMatch(/accreditation/i);
    expect(manifest.developer.privacyUrl).toBe('https://sesame.chu-exemple.fr/confidentialite');
  });

  it('carries a 192×192 colour icon and a 32×32 outline icon with transparency', () => {
    const { archive } = teamsAppPackage(i18n, { appId: APP_ID, publicUrl: 'https://sesame.example.fr', version: '0.1.0' });
    const files = unzip(archive);
    expect(pngSize(files.get('color.png')!)).toEqual({ width: 192, height: 192, colorType: 6 });
    expect(pngSize(files.get('outline.png')!)).toEqual({ width: 32, height: 32, colorType: 6 });
  });

  it("is on the newest manifest schema Microsoft's @microsoft/app-manifest ships", () => {
    const dir = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams');
    const versions = fs.readdirSync(dir).filter((v) => /^v\d+\.\d+$/.test(v)).map((v) => v.slice(1).split('.').map(Number));
    const newest = versions.sort((a, b) => a[0] - b[0] || a[1] - b[1]).at(-1)!.join('.');
    expect(MANIFEST_VERSION).toBe(newest);
  });

  it('dates every zip entry (a zeroed MS-DOS date is no date)', () => {
    const at = new Date('2026-12-02T10:42:36Z');
    const archive = zip([{ name: 'a.txt', data: Buffer.from('a') }, { name: 'b.txt', data: Buffer.from('b') }], at);
    const central = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    for (const [where, timeAt] of [[0, 10], [central, 12]] as const) {
      const time = archive.readUInt16LE(where + timeAt);
      const date = archive.readUInt16LE(where + timeAt + 2);
      expect({ year: 1980 + (date >> 9), month: (date >> 5) & 15, day: date & 31, hours: time >> 11, minutes: (time >> 5) & 63, seconds: (time & 31) * 2 }).toEqual({ year: 2026, month: 12, day: 2, hours: 10, minutes: 42, seconds: 36 });
    }
    const { archive: app } = teamsAppPackage(i18n, { appId: APP_ID, publicUrl: 'https://sesame.example.fr', version: '0.1.0' });
    expect(app.readUInt16LE(12)).not.toBe(0);
  });

  it('a broken manifest is reported, not packaged silently', async () => {
    const { manifest, english } = teamsAppPackage(i18n, { appId: APP_ID, publicUrl: 'https://sesame.example.fr', version: '0.1.0' });
    const failures = await validateTeamsPackage({ ...manifest, id: 'not-a-guid', bots: [] }, { ...english, 'name.short': 'x'.repeat(40) });
    expect(failures.length).toBeGreaterThan(1);
    expect(failures.join('\n')).toMatch(/id|bots/);
    expect(failures.join('\n')).toMatch(/en-us\.json/);
  });
});
