import type { i18n as I18n } from 'i18next';

export const MANIFEST_VERSION = '1.30';
const SCHEMA = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
const LOCALIZATION_SCHEMA = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`;

export interface ManifestOptions {
  /** The bot's Microsoft App ID (Azure Bot registration); also the Teams app id. */
  appId: string;
  /** https address users reach; its host is the valid domain. */
  publicUrl: string;
  version: string;
}

/**
 * Sésame's Teams app manifest: a bot in personal scope, French with an English localisation,
 * the bot id from configuration and the valid domain from PUBLIC_URL.
 */
export function teamsManifest(i18n: I18n, options: ManifestOptions): { manifest: Record<string, unknown>; english: Record<string, unknown> } {
  const fr = i18n.getFixedT('fr', 'teams');
  const en = i18n.getFixedT('en', 'teams');
  const url = options.publicUrl.replace(/\/+$/, '');
  const commands = ['menu', 'aide', 'status', 'english'].map((key) => ({ title: fr(`commandTitles.${key}`), description: fr(`commands.${key}`) }));
  const manifest = {
    $schema: SCHEMA,
    manifestVersion: MANIFEST_VERSION,
    version: options.version,
    id: options.appId,
    developer: { name: 'Sésame', websiteUrl: url, privacyUrl: `${url}/confidentialite`, termsOfUseUrl: `${url}/conditions` },
    name: { short: fr('name.short'), full: fr('name.full') },
    description: { short: fr('description.short'), full: fr('description.full') },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#00437A',
    localizationInfo: { defaultLanguageTag: 'fr-fr', additionalLanguages: [{ languageTag: 'en-us', file: 'en-us.json' }] },
    bots: [
      {
        botId: options.appId,
        scopes: ['personal'],
        // A physician may attach a supporting document in the personal chat (file.download.info attachments).
        supportsFiles: true,
        isNotificationOnly: false,
        commandLists: [{ scopes: ['personal'], commands }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [new URL(url).host],
  };
  const english = {
    $schema: LOCALIZATION_SCHEMA,
    'name.short': en('name.short'),
    'name.full': en('name.full'),
    'description.short': en('description.short'),
    'description.full': en('description.full'),
    ...Object.fromEntries(
      ['menu', 'aide', 'status', 'english'].flatMap((key, i) => [
        [`bots[0].commandLists[0].commands[${i}].title`, en(`commandTitles.${key}`)],
        [`bots[0].commandLists[0].commands[${i}].description`, en(`commands.${key}`)],
      ]),
    ),
  };
  return { manifest, english };
}
