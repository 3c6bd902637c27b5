import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { mssLabelProblem } from './services/medimail/mssDomains';

// One schema over the whole environment: every variable Sésame reads is declared here,
// with its default, and documented in .env.example.
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (example: string) =>
  z.string().trim().refine((v) => URL.canParse(v), { message: `must be a URL, e.g. ${example}` });

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    // The address to listen on: every interface by default; 127.0.0.1 behind a reverse proxy on the same host.
    HOST: z.string().trim().default('0.0.0.0').refine((v) => isIP(v) !== 0 || v === 'localhost', { message: 'must be an IP address to listen on, e.g. 0.0.0.0 or 127.0.0.1' }),
    // How many reverse proxies stand before Sésame (Azure App Service: 1): the client's address is then
    // read from X-Forwarded-For, for the rate limits; 0 = use the connection's address.
    TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0),
    // Rate limits: where the counters live (memory: one instance; database: shared by every instance),
    // and a factor on every limit (2 = twice as permissive; 0 = no limit, for load tests only).
    RATE_LIMIT_STORE: z.enum(['memory', 'database']).default('memory'),
    RATE_LIMIT_FACTOR: z.coerce.number().min(0).max(1000).default(1),
    PUBLIC_URL: optionalString.pipe(url('https://sesame.example.fr').optional()),
    DATABASE_URL: z
      .string()
      .trim()
      .default('file:./var/sesame.db')
      .refine((v) => v.startsWith('file:') || /^postgres(ql)?:\/\/./.test(v), {
        message: 'must be a SQLite file URL, e.g. file:./var/sesame.db, or a PostgreSQL one, e.g. postgresql://sesame:password@db.example.fr:5432/sesame',
      }),
    // Sésame's own files (the embedded catcher's mails, secrets.key in development): beside the SQLite
    // file by default, ./var with PostgreSQL.
    DATA_DIR: optionalString,
    SMTP_URL: optionalString.pipe(url('smtp://user:password@smtp.example.fr:587').optional()),
    MAIL_FROM: z.string().trim().min(3).default('Sésame <sesame@localhost>'),
    SMTP_CATCHER_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    DIRECTLINE_SECRET: optionalString.pipe(
      z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
    ),
    SECRETS_KEY: optionalString.pipe(
      z
        .string()
        .refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'must be 32 random bytes in base64, e.g. the output of: openssl rand -base64 32' })
        .optional(),
    ),
    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppTenantId: optionalString,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DEFAULT_LOCALE: z.enum(['fr', 'en']).default('fr'),
    OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(2000),
    MEDIMAIL_REGIONS: z
      .string()
      .default('76')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(
        z
          .array(z.string().regex(/^\d{2}$/, { message: 'must be INSEE region codes separated by commas, e.g. 76,93' }))
          .min(1)
          // The MSS addresses' domain comes from the region (data/medimail/mssDomains.json): one not known is refused.
          .superRefine((codes, ctx) => {
            const problem = codes.every((c) => /^\d{2}$/.test(c)) ? mssLabelProblem(codes) : undefined;
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
      ),
    MEDIMAIL_FROM: z.string().trim().min(3).default('Medimail <cerbere@mipih.fr>'),
    SERVICE_CENTRE_EMAIL: z.string().trim().email({ message: 'must be an e-mail address, e.g. centre-services@esante-occitanie.example' }).default('centre-de-services@localhost'),
    // Helpdesk routing (knowledge.md §1.6, §2.1): a technical problem with the accreditation site goes
    // to the HAS SIAM helpdesk, a question on the programme, eligibility or a decision to the OA of the
    // specialty, Medimail to the GRADeS service centre.
    HELPDESK_SIAM_EMAIL: z.string().trim().email({ message: 'must be an e-mail address, e.g. helpdesk.siam@has-sante.fr' }).default('helpdesk.siam@has-sante.fr'),
    HELPDESK_SIAM_SUBJECT: z.string().trim().min(3).default("Problème informatique pour s'engager dans l'accréditation"),
    HELPDESK_MEDIMAIL_EMAIL: optionalString.pipe(z.string().email({ message: 'must be an e-mail address, e.g. support@esante-occitanie.example' }).optional()),
    HELPDESK_OA_EMAILS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]*=[^\s@=,]+@[^\s@=,]+\.[^\s@=,]+$/, { message: 'must be OA id=e-mail pairs separated by commas, e.g. cfar=accreditation@cfar.example,gynerisq=contact@gynerisq.example' })))
      .transform((pairs) => Object.fromEntries(pairs.map((p) => p.split('=') as [string, string]))),
    TRANSCRIPT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    // The local Direct Line channel's conversations (tokens, activities, uploads) idle this long are deleted.
    DIRECTLINE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    TYPING_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== 'production') return;
    if (!c.MicrosoftAppId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: 'is required in production (the bot id registered in Azure)' });
    }
    if (c.MicrosoftAppType !== 'UserAssignedMSI' && !c.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required in production unless MicrosoftAppType=UserAssignedMSI' });
    }
    if (c.MicrosoftAppType !== 'MultiTenant' && !c.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: `is required in production when MicrosoftAppType=${c.MicrosoftAppType}` });
    }
    if (!c.SMTP_URL) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production (the embedded mail catcher is for development only)' });
    }
    if (c.SERVICE_CENTRE_EMAIL.endsWith('@localhost')) {
      ctx.addIssue({ code: 'custom', path: ['SERVICE_CENTRE_EMAIL'], message: "is required in production (where the service centre receives Sésame's requests)" });
    }
    if (!c.PUBLIC_URL) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required in production (the https address users reach)' });
    } else if (!c.PUBLIC_URL.startsWith('https://')) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be https in production (links carry one-time tokens), e.g. https://sesame.example.fr' });
    }
    if (!c.SECRETS_KEY) {
      ctx.addIssue({ code: 'custom', path: ['SECRETS_KEY'], message: 'is required in production (32 random bytes in base64: openssl rand -base64 32), so that no key file lies beside the database' });
    }
    if (c.RATE_LIMIT_FACTOR === 0) {
      ctx.addIssue({ code: 'custom', path: ['RATE_LIMIT_FACTOR'], message: 'cannot be 0 in production (no rate limit at all)' });
    }
  })
  .transform((c) => ({
    ...c,
    PUBLIC_URL: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    HELPDESK_MEDIMAIL_EMAIL: c.HELPDESK_MEDIMAIL_EMAIL ?? c.SERVICE_CENTRE_EMAIL,
  }));

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** One line per problem, naming the variable: what an operator needs to fix it. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    // The variable itself, even when the problem is in one item of a list (MEDIMAIL_REGIONS=76,xx).
    const name = issue.path.length ? String(issue.path[0]) : '(environment)';
    const value = env[name];
    const shown = value === undefined || /PASSWORD|SECRET/i.test(name) ? '' : ` (got "${value}")`;
    return `Invalid configuration: ${name} ${issue.message}${shown}`;
  });
  throw new ConfigError(lines.join('\n'));
}

/** Reads `.env` (if present, never overriding the real environment) then validates. */
export function loadConfig(cwd = process.cwd()): Config {
  const envFile = path.join(cwd, '.env');
  const fromFile = fs.existsSync(envFile) ? dotenv.parse(fs.readFileSync(envFile)) : {};
  return parseConfig({ ...fromFile, ...process.env });
}

/** DATABASE_URL with a SQLite file's path made absolute (from where Sésame was started). */
export function databaseUrl(config: Pick<Config, 'DATABASE_URL'>, cwd = process.cwd()): string {
  const url = config.DATABASE_URL;
  return url.startsWith('file:') ? `file:${path.resolve(cwd, url.slice('file:'.length))}` : url;
}

/** Where Sésame keeps its own files: DATA_DIR, else beside the SQLite file, else ./var. */
export function dataDirectory(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>, cwd = process.cwd()): string {
  if (config.DATA_DIR) return path.resolve(cwd, config.DATA_DIR);
  const url = databaseUrl(config, cwd);
  return url.startsWith('file:') ? path.dirname(url.slice('file:'.length)) : path.resolve(cwd, 'var');
}

/** The key file created in the data directory when SECRETS_KEY is not set. */
export function secretsKeyFile(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>, cwd = process.cwd()): string {
  return path.join(dataDirectory(config, cwd), 'secrets.key');
}

export function isAnonymousAllowed(config: Config): boolean {
  return !config.MicrosoftAppId;
}
