import fs from 'node:fs';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { MANIFEST_VERSION } from '../src/teams/manifest';

/**
 * Checks a Teams manifest and its localisation file against Microsoft's own JSON schemas, as
 * shipped by @microsoft/app-manifest (nothing is downloaded). The manifest goes through
 * Microsoft's validator; the localisation schema's patterns are not valid Unicode regular
 * expressions, which that validator requires, so it is compiled here with the same AJV draft-04.
 */
export async function validateTeamsPackage(manifest: Record<string, unknown>, english: Record<string, unknown>): Promise<string[]> {
  const dir = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams', `v${MANIFEST_VERSION}`);
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
  const failures = await AppManifestUtils.validateAgainstSchema(manifest as never, read('MicrosoftTeams.schema.json') as never);
  const ajv = new Ajv04({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const localization = ajv.compile(read('MicrosoftTeams.Localization.schema.json'));
  if (!localization(english)) failures.push(...(localization.errors ?? []).map((e) => `en-us.json ${e.instancePath} ${e.message ?? ''}`));
  return failures;
}
