import type { i18n as I18n } from 'i18next';
import { colorIcon, outlineIcon } from './icons';
import { teamsManifest, type ManifestOptions } from './manifest';
import { zip } from './zip';

/** The Teams app package: manifest.json, en-us.json, color.png (192×192), outline.png (32×32). */
export function teamsAppPackage(i18n: I18n, options: ManifestOptions): { archive: Buffer; manifest: Record<string, unknown>; english: Record<string, unknown> } {
  const { manifest, english } = teamsManifest(i18n, options);
  const archive = zip([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2)) },
    { name: 'en-us.json', data: Buffer.from(JSON.stringify(english, null, 2)) },
    { name: 'color.png', data: colorIcon() },
    { name: 'outline.png', data: outlineIcon() },
  ]);
  return { archive, manifest, english };
}
