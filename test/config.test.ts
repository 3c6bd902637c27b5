import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, dataDirectory, databaseUrl, parseConfig } from '../src/config';
import { serviceSettings } from '../src/services';
import { mssLabelProblem } from '../src/services/medimail/mssDomains';

describe('configuration', () => {
  it('runs with no variable at all, on the documented defaults', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3978);
    expect(config.PUBLIC_URL).toBe('http://localhost:3978');
    expect(config.DATABASE_URL).toBe('file:./var/sesame.db');
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.DEFAULT_LOCALE).toBe('fr');
    expect(config.NODE_ENV).toBe('development');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('treats an empty value as unset and trims PUBLIC_URL', () => {
    const config = parseConfig({ SMTP_URL: '', PUBLIC_URL: 'https://sesame.example.fr/', PORT: '8080' });
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.PUBLIC_URL).toBe('https://sesame.example.fr');
    expect(config.PORT).toBe(8080);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DEFAULT_LOCALE', 'de'],
    ['LOG_LEVEL', 'verbose'],
    ['SMTP_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://localhost/test'],
    ['DATABASE_URL', './var/sesame.db'],
    ['MicrosoftAppType', 'Something'],
    ['HELPDESK_SIAM_EMAIL', 'helpdesk.siam'],
    ['HELPDESK_MEDIMAIL_EMAIL', 'support at esante'],
    ['HELPDESK_OA_EMAILS', 'cfar:contact@cfar.example'],
    ['MEDIMAIL_REGIONS', '76,Occitanie'],
    ['TRANSCRIPT_RETENTION_DAYS', '0'],
    ['DIRECTLINE_RETENTION_DAYS', '0'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      parseConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as Error).message.split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('takes a SQLite file or PostgreSQL, and keeps its own files beside the file or in ./var', () => {
    const sqlite = parseConfig({ DATABASE_URL: 'file:./data/sesame.db' });
    expect(databaseUrl(sqlite, '/srv/sesame')).toBe('file:/srv/sesame/data/sesame.db');
    expect(dataDirectory(sqlite, '/srv/sesame')).toBe('/srv/sesame/data');
    for (const url of ['postgresql://sesame:pw@db.example.fr:5432/sesame?sslmode=require', 'postgres://localhost/test']) {
      const config = parseConfig({ DATABASE_URL: url });
      expect(databaseUrl(config, '/srv/sesame')).toBe(url);
      expect(dataDirectory(config, '/srv/sesame')).toBe('/srv/sesame/var');
      expect(dataDirectory(parseConfig({ DATABASE_URL: url, DATA_DIR: '/data' }), '/srv/sesame')).toBe('/data');
    }
  });

  it('refuses to start in production without Bot Framework credentials', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:25', PUBLIC_URL: 'https://s.example.fr' })).toThrow(
      /MicrosoftAppId is required in production/,
    );
    expect(() =>
      parseConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:25', PUBLIC_URL: 'https://s.example.fr', MicrosoftAppId: 'id', MicrosoftAppTenantId: 't' }),
    ).toThrow(/MicrosoftAppPassword is required in production/);
  });

  it('accepts production with credentials, a mail server and a public URL', () => {
    const config = parseConfig({
      NODE_ENV: 'production',
      SMTP_URL: 'smtp://mail.example.fr:587',
      PUBLIC_URL: 'https://sesame.example.fr',
      SECRETS_KEY: 'q7Xo0dAmAmC7dnQd2F3nm8m2F5JdMH2c8vQk1l8M5tE=',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002',
      SERVICE_CENTRE_EMAIL: 'centre@esante-occitanie.example',
    });
    expect(config.MicrosoftAppType).toBe('SingleTenant');
  });

  it('accepts a managed identity without password', () => {
    expect(() =>
      parseConfig({
        NODE_ENV: 'production',
        SMTP_URL: 'smtp://mail.example.fr:587',
        PUBLIC_URL: 'https://sesame.example.fr',
        SECRETS_KEY: 'q7Xo0dAmAmC7dnQd2F3nm8m2F5JdMH2c8vQk1l8M5tE=',
        MicrosoftAppId: 'id',
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: 'tenant',
        SERVICE_CENTRE_EMAIL: 'centre@esante-occitanie.example',
      }),
    ).not.toThrow();
  });

  it('in production, requires a secrets key and an https public address, and keeps the rate limits on (#11 §8)', () => {
    const production = {
      NODE_ENV: 'production',
      SMTP_URL: 'smtp://mail.example.fr:587',
      MicrosoftAppId: 'id',
      MicrosoftAppPassword: 'secret',
      MicrosoftAppTenantId: 'tenant',
      SERVICE_CENTRE_EMAIL: 'centre@esante-occitanie.example',
      SECRETS_KEY: 'q7Xo0dAmAmC7dnQd2F3nm8m2F5JdMH2c8vQk1l8M5tE=',
      PUBLIC_URL: 'https://sesame.example.fr',
    };
    expect(() => parseConfig(production)).not.toThrow();
    expect(() => parseConfig({ ...production, PUBLIC_URL: 'http://sesame.example.fr' })).toThrow(/^Invalid configuration: PUBLIC_URL must be https in production/);
    expect(() => parseConfig({ ...production, SECRETS_KEY: '' })).toThrow(/^Invalid configuration: SECRETS_KEY is required in production/);
    expect(() => parseConfig({ ...production, RATE_LIMIT_FACTOR: '0' })).toThrow(/RATE_LIMIT_FACTOR cannot be 0 in production/);
    expect(parseConfig({ HOST: '127.0.0.1', TRUST_PROXY: '1' })).toMatchObject({ HOST: '127.0.0.1', TRUST_PROXY: 1, RATE_LIMIT_STORE: 'memory', RATE_LIMIT_FACTOR: 1 });
    expect(() => parseConfig({ HOST: 'sesame.example.fr' })).toThrow(/^Invalid configuration: HOST must be an IP address/);
  });

  it('reads the Medimail regions as INSEE codes and refuses anything else', () => {
    expect(parseConfig({ MEDIMAIL_REGIONS: ' 76, ' }).MEDIMAIL_REGIONS).toEqual(['76']);
    expect(parseConfig({}).MEDIMAIL_REGIONS).toEqual(['76']);
    expect(() => parseConfig({ MEDIMAIL_REGIONS: 'Occitanie' })).toThrow(/MEDIMAIL_REGIONS.*INSEE region codes/);
  });

  it('builds MSS addresses with the domain of the region, and refuses a region whose domain no source gives', () => {
    expect(serviceSettings(parseConfig({})).medimail.mssLabel).toBe('oc');
    // PACA bought Medimail too (knowledge.md §2.1), but its MSS domain is not known: not guessed.
    expect(() => parseConfig({ MEDIMAIL_REGIONS: '76,93' })).toThrow(/^Invalid configuration: MEDIMAIL_REGIONS 93 has no known MSS domain: add it, with its source, to data\/medimail\/mssDomains.json/);
    expect(mssLabelProblem(['76'])).toBeUndefined();
  });

  it('routes helpdesk tickets to the documented defaults, the Medimail helpdesk being the service centre unless set', () => {
    const defaults = parseConfig({});
    expect(defaults.HELPDESK_SIAM_EMAIL).toBe('helpdesk.siam@has-sante.fr');
    expect(defaults.HELPDESK_SIAM_SUBJECT).toBe("Problème informatique pour s'engager dans l'accréditation");
    expect(defaults.HELPDESK_MEDIMAIL_EMAIL).toBe('centre-de-services@localhost');
    expect(defaults.HELPDESK_OA_EMAILS).toEqual({});
    expect(defaults.TRANSCRIPT_RETENTION_DAYS).toBe(30);
    const set = parseConfig({ SERVICE_CENTRE_EMAIL: 'centre@esante.example', HELPDESK_OA_EMAILS: 'cfar=a@cfar.example, gynerisq=contact@gynerisq.example' });
    expect(set.HELPDESK_MEDIMAIL_EMAIL).toBe('centre@esante.example');
    expect(set.HELPDESK_OA_EMAILS).toEqual({ cfar: 'a@cfar.example', gynerisq: 'contact@gynerisq.example' });
  });

  it('never echoes a secret value in its message', () => {
    expect(() => parseConfig({ DIRECTLINE_SECRET: 'short' })).toThrow(/^Invalid configuration: DIRECTLINE_SECRET must be at least 16 characters$/);
  });

  it('.env.example and the README list every variable the schema reads', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', 'src', 'config.ts'), 'utf8');
    const schema = source.slice(source.indexOf('z\n  .object({'), source.indexOf('.superRefine('));
    const variables = [...schema.matchAll(/^ {4}(\w+): /gm)].map((m) => m[1]);
    expect(variables.length).toBeGreaterThan(20);
    const example = fs.readFileSync(path.join(__dirname, '..', '.env.example'), 'utf8');
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    for (const name of variables) {
      expect(example, `.env.example lacks ${name}`).toMatch(new RegExp(`^${name}=`, 'm'));
      expect(readme, `README lacks ${name}`).toContain(`\`${name}\``);
    }
  });
});
