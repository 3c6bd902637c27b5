// npm run teams:package — builds build/teams/sesame-teams.zip, the app to upload to Teams.
// Needs MicrosoftAppId (the Azure Bot's id) and PUBLIC_URL (https), from the environment or .env.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { createI18n } from '../src/i18n';
import { MANIFEST_VERSION } from '../src/teams/manifest';
import { teamsAppPackage } from '../src/teams/appPackage';
import { validateTeamsPackage } from './teamsValidate';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.MicrosoftAppId || !GUID.test(config.MicrosoftAppId)) {
    process.stderr.write('teams:package: MicrosoftAppId must be the Azure Bot\'s Microsoft App ID (a GUID, e.g. 00000000-0000-0000-0000-000000000000). See docs/teams.md.\n');
    return 2;
  }
  if (!config.PUBLIC_URL.startsWith('https://')) {
    process.stderr.write(`teams:package: PUBLIC_URL must be the https address Teams reaches (got ${config.PUBLIC_URL}). See docs/teams.md.\n`);
    return 2;
  }
  const version = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const { archive, manifest, english } = teamsAppPackage(await createI18n('fr'), { appId: config.MicrosoftAppId, publicUrl: config.PUBLIC_URL, version });
  const failures = await validateTeamsPackage(manifest, english);
  if (failures.length) {
    process.stderr.write(`teams:package: the manifest does not validate:\n${failures.join('\n')}\n`);
    return 1;
  }
  const out = path.join(process.cwd(), 'build', 'teams');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'sesame-teams.zip'), archive);
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  process.stdout.write(`Teams app package: ${path.relative(process.cwd(), path.join(out, 'sesame-teams.zip'))} (manifest ${MANIFEST_VERSION}, bot ${config.MicrosoftAppId}, domain ${new URL(config.PUBLIC_URL).host})\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `teams:package: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
