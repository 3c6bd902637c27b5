import path from 'node:path';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type BotState,
  type ConversationReference,
  type TurnContext,
  TranscriptLoggerMiddleware,
} from 'botbuilder';
import type { i18n as I18n } from 'i18next';
import type { Config } from './config';
import { dataDirectory, databaseUrl, secretsKeyFile } from './config';
import { createI18n } from './i18n';
import { createLogger, type Logger } from './logger';
import { createStates } from './bot/state';
import { SesameBot } from './bot/sesameBot';
import { MainDialog, type JourneyTyping } from './dialogs/mainDialog';
import { MedimailWords } from './dialogs/medimailWords';
import { tr } from './dialogs/turn';
import { LocalChannelAuthentication } from './http/localChannelAuth';
import { DirectLineChannel } from './http/directline/channel';
import { createHttpServer } from './http/server';
import { isDatabaseReachable, openDatabase, type Db } from './services/db/database';
import { openCoordination } from './services/db/coordination';
import { openHotPath } from './services/db/hotPath';
import { TypingMiddleware } from './bot/typingMiddleware';
import { warmCards } from './cards/render';
import { Outbox } from './services/mail/outbox';
import { CaughtMailbox, SmtpCatcher } from './services/mail/smtpCatcher';
import { smtpTransport } from './services/mail/smtpTransport';
import { PrismaStorage } from './services/state/prismaStorage';
import { SecretBox } from './services/identity/secretBox';
import { SignInThrottle } from './services/identity/signInThrottle';
import { createServices, serviceSettings, type Services } from './services';
import { AccreditationDialog, type AccreditationConversation } from './dialogs/accreditationDialog';
import { FreeTextAnswerer, type Situation } from './dialogs/freeText';
import { SupportDialog, type SupportContext } from './dialogs/supportDialog';
import type { UserFacts } from './services/support/tickets';
import { TranscriptNotes } from './bot/transcriptNotes';
import { PrivacyDialog } from './dialogs/privacyDialog';
import { ForgetMiddleware } from './bot/forgetMiddleware';
import { Nlu } from './services/nlu';
import { DeskDialog } from './dialogs/deskDialog';
import { DeskPages } from './http/pages/deskPages';
import { AttestationPage } from './http/pages/attestationPage';
import { DataExportPage } from './http/pages/dataExportPage';
import { ProactiveNotifier } from './bot/proactive';
import { SignInPages } from './http/pages/signInPages';
import { DocumentPage } from './http/pages/documentPage';
import { DocumentIntake, TEAMS_FILE, teamsFile } from './bot/documentIntake';
import {
  DESK_SIGNED_IN_EVENT,
  MEDIMAIL_ACTIVE_EVENT,
  MEDIMAIL_CONFIRMED_EVENT,
  MEDIMAIL_PASSWORD_EVENT,
  NOTICE_EVENT,
  SIGNED_IN_EVENT,
} from './services/identity/linkPurposes';
import { MedimailDialog, type MedimailConversation } from './dialogs/medimailDialog';
import { CentreDialog } from './dialogs/centreDialog';
import { MedimailPages } from './http/pages/medimailPages';

export interface App {
  url: string;
  /** Continues conversations from outside a turn (decisions, validations). */
  notifier: ProactiveNotifier;
  services: Services;
  /** The embedded catcher's mails (undefined when SMTP_URL is set). */
  mailbox: CaughtMailbox | undefined;
  port: number;
  db: Db;
  outbox: Outbox;
  channel: DirectLineChannel;
  logger: Logger;
  smtpUrl: string;
  close(): Promise<void>;
}

export const BOT_NAME = 'Sésame';

/** The dialogs over the services; `notify` reaches another conversation (a decision, a validation). */
export function buildDialogs(
  services: Services,
  conversationState: BotState,
  nlu: Nlu,
  settings: {
    i18n: I18n;
    publicUrl: () => string;
    medimailRegions: string[];
    medimailSender: string;
    notify: (reference: unknown, value: object) => Promise<void>;
  },
): MainDialog {
  const { links, registry, engagements, eprs, desk, medimail, directory, tickets, transcripts, limits } = services;
  const { publicUrl, notify } = settings;
  const accreditationState = conversationState.createProperty<AccreditationConversation>('accreditation');
  const medimailState = conversationState.createProperty<MedimailConversation>('medimail');
  const oaReach = async (oaId: string) => {
    const recipient = await tickets.recipientFor('oa', oaId);
    return recipient ? { address: recipient.shown } : undefined;
  };
  const accreditation = new AccreditationDialog(registry, engagements, eprs, links, accreditationState, publicUrl, limits, services.documents, oaReach);
  const notifyEvaluated = async (references: unknown[]) => {
    for (const reference of references) await notify(reference, { kind: 'evaluated' });
  };
  const deskDialog = new DeskDialog(desk, engagements, eprs, links, conversationState.createProperty('desk'), publicUrl, notifyEvaluated, services.documents);
  const hasAccreditation = async (context: TurnContext) => {
    const { request, session } = await accreditationState.get(context, {});
    return Boolean(request || session);
  };
  const medimailDialog = new MedimailDialog(medimail, links, medimailState, {
    regions: settings.medimailRegions,
    sender: settings.medimailSender,
    publicUrl,
    hasAccreditation,
    async knownRpps(context) {
      const { request, session } = await accreditationState.get(context, {});
      const accountId = session?.accountId ?? request?.accountId;
      const physician = accountId ? await registry.account(accountId) : undefined;
      return physician?.identifierKind === 'RPPS' ? physician.identifier : undefined;
    },
  }, limits);
  const centreDialog = new CentreDialog(desk, medimail, links, conversationState.createProperty('centre'), publicUrl, (conversation, status, reason, part) =>
    notify(conversation, { kind: 'medimail', status, reason, part }),
  );
  // What the answers to free text know of the user's situation.
  const situation: Situation = {
    async lastCredentialsMail(context) {
      const { request, session } = await accreditationState.get(context, {});
      const accountId = session?.accountId ?? request?.accountId;
      const last = accountId ? (await registry.history(accountId)).filter((e) => e.type === 'CREDENTIALS_SENT').at(-1) : undefined;
      // Signed in since: the credentials served (whatever mail is awaited now, it is not that one).
      const signedIn = Boolean(session?.accountId) || Boolean(accountId && (await registry.account(accountId))?.everSignedIn);
      return last ? { at: last.at, maskedEmail: last.detail ?? '', signedIn } : undefined;
    },
    async journey(context) {
      if ((await medimailState.get(context, {})).accountId) return 'medimail';
      const { request, session } = await accreditationState.get(context, {});
      return request || session ? 'accreditation' : undefined;
    },
    async physician(context) {
      const { request, session } = await accreditationState.get(context, {});
      const accountId = session?.accountId ?? request?.accountId;
      const account = accountId ? await registry.account(accountId) : undefined;
      if (!account) return undefined;
      const engagement = await engagements.get(account.id);
      return { identifier: account.identifier, specialty: account.specialty, oa: engagement?.oa.name ?? directory.forSpecialty(account.specialty).name };
    },
  };
  const freeText = new FreeTextAnswerer(settings.i18n, nlu, conversationState.createProperty('understanding'), situation, services.understanding);
  // What a helpdesk ticket says of the user: from the accreditation request or the Medimail account.
  const supportContext: SupportContext = {
    async profile(context) {
      const journey = await situation.journey(context);
      const medimailId = (await medimailState.get(context, {})).accountId;
      const { request, session } = await accreditationState.get(context, {});
      const accreditationId = session?.accountId ?? request?.accountId;
      const physician = accreditationId ? await registry.account(accreditationId) : undefined;
      const mailbox = medimailId ? await medimail.account(medimailId) : undefined;
      const facts: UserFacts = {};
      if (physician) {
        Object.assign(facts, { name: `${physician.firstName} ${physician.lastName}`, identifier: physician.identifier, specialty: physician.specialty, requestDate: physician.createdAt });
      }
      if (mailbox) Object.assign(facts, { name: facts.name ?? `${mailbox.firstName} ${mailbox.lastName}`, mssAddress: mailbox.mssAddress, medimailStatus: mailbox.status });
      const engagement = physician ? await engagements.get(physician.id) : undefined;
      const oaId = engagement?.oa.id ?? (physician ? directory.forSpecialty(physician.specialty).id : undefined);
      const email = journey === 'medimail' ? (mailbox?.email ?? physician?.email) : (physician?.email ?? mailbox?.email);
      return { email, facts, oaId, journey };
    },
  };
  const support = new SupportDialog(tickets, transcripts, directory, supportContext, limits);
  // « Mes données »: the accounts this conversation proves — a request signed into, a Medimail account created here.
  const privacy = new PrivacyDialog(services.dataRights, links, {
    async accounts(context) {
      const { request, session } = await accreditationState.get(context, {});
      const medimailAccountId = (await medimailState.get(context, {})).accountId;
      return { accreditationAccountId: session?.accountId, medimailAccountId, accreditationNotSignedIn: !session?.accountId && Boolean(request?.accountId) };
    },
  }, publicUrl);
  // A journey's actions typed in words, and what the user has here (« où en suis-je »).
  const medimailWords = new MedimailWords(settings.i18n);
  const typing: JourneyTyping = {
    async typedAction(context, text) {
      const start = await medimailDialog.typedAction(context, medimailWords.recognize(text));
      return start ? { dialogId: medimailDialog.id, options: start } : undefined;
    },
    async holds(context) {
      return { accreditation: await hasAccreditation(context), medimail: Boolean((await medimailState.get(context, {})).accountId) };
    },
  };
  return new MainDialog({ accreditation, desk: deskDialog, medimail: medimailDialog, centre: centreDialog, support, privacy }, freeText, typing);
}

/** The composition root: builds every object once and wires them through constructors. */
export async function startApp(config: Config, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<App> {
  const db = await openDatabase(databaseUrl(config));
  // Several instances on one PostgreSQL: turns of a conversation one at a time across them, and live streams fed by all.
  const coordination = await openCoordination(databaseUrl(config), logger);
  // What every turn runs (state, transcript): prepared statements beside Prisma.
  const hot = openHotPath(databaseUrl(config));
  const dataDir = dataDirectory(config);
  const secretBox = SecretBox.fromConfig(config.SECRETS_KEY, secretsKeyFile(config));
  const i18n = await createI18n(config.DEFAULT_LOCALE);

  // Mail: a real SMTP server, or the embedded catcher outside production.
  let catcher: SmtpCatcher | undefined;
  let smtpUrl = config.SMTP_URL;
  if (!smtpUrl) {
    catcher = new SmtpCatcher(path.join(dataDir, 'mail'), logger);
    const port = await catcher.start(config.SMTP_CATCHER_PORT);
    smtpUrl = `smtp://127.0.0.1:${port}`;
    logger.info({ port }, 'embedded SMTP catcher listening (mails visible at /dev/mail)');
  }
  const mailbox = catcher ? new CaughtMailbox(path.join(dataDir, 'mail')) : undefined;
  const transport = smtpTransport(smtpUrl);
  const outbox = new Outbox(db, transport, logger, { from: config.MAIL_FROM, pollMs: config.OUTBOX_POLL_MS }, secretBox);

  // Bot Framework: real credentials when configured; anonymous only outside production (config refuses otherwise).
  const credentials = config.MicrosoftAppId
    ? {
        MicrosoftAppId: config.MicrosoftAppId,
        MicrosoftAppPassword: config.MicrosoftAppPassword,
        MicrosoftAppType: config.MicrosoftAppType,
        MicrosoftAppTenantId: config.MicrosoftAppTenantId,
      }
    : {};
  const botAuth = new ConfigurationBotFrameworkAuthentication(credentials, new ConfigurationServiceClientCredentialFactory(credentials));

  // The local channel reaches the bot on this machine (the address listened on, loopback when it is
  // every interface); the port is known once the server listens.
  let port = config.PORT;
  const localHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const endpoint = () => ({
    serviceUrl: `http://${localHost}:${port}`,
    publicUrl: config.PORT === 0 ? `http://${localHost}:${port}` : config.PUBLIC_URL,
  });
  const auth = new LocalChannelAuthentication(botAuth, () => endpoint().serviceUrl);
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, conversationId: context.activity.conversation?.id }, 'turn failed');
    try {
      await context.sendActivity(tr(context)('error'));
    } catch {
      // the channel itself may be what failed
    }
  };
  const channel = new DirectLineChannel(db, logger, {
    secret: config.DIRECTLINE_SECRET,
    endpoint,
    botId: config.MicrosoftAppId ?? 'sesame',
    botName: BOT_NAME,
    botAuthorization: auth.authorizationHeader,
  }, coordination);

  const { conversationState, userState } = createStates(new PrismaStorage(db, hot));
  const publicUrl = () => endpoint().publicUrl;
  const services = createServices(db, outbox, i18n, publicUrl, serviceSettings(config), hot);
  const { links, registry, engagements, desk, medimail } = services;
  // Every conversation is kept (secrets withheld) for the helpdesk tickets, for a limited time.
  // botbuilder's logger records every activity in our store (the Bot Framework .transcript format);
  // TranscriptNotes, inside it, tells it which message to withhold and the errors the dialogs noted.
  services.transcripts.onFailure = (error, activity) => logger.error({ err: error, conversationId: activity.conversation?.id }, 'transcript: not recorded');
  // Outside the logger: a turn that erased the user's data is erased with them once logged.
  adapter.use(new ForgetMiddleware(services.transcripts, logger));
  adapter.use(new TranscriptLoggerMiddleware(services.transcripts));
  adapter.use(new TranscriptNotes(services.transcripts, logger));
  // "typing…" only when a turn takes long enough to be seen, then every 2 s (the Bot Framework convention).
  adapter.use(new TypingMiddleware(config.TYPING_DELAY_MS, 2_000));
  // What is kept only for a while: transcripts, the local channel's conversations, idle sign-in counters, expired rate-limit counters.
  const housekeeping = async () => {
    for (const [what, prune] of [
      ['transcripts', () => services.transcripts.prune(config.TRANSCRIPT_RETENTION_DAYS)],
      ['unanswered questions', () => services.understanding.prune(Math.max(config.TRANSCRIPT_RETENTION_DAYS, 31))],
      ['Direct Line conversations and activities', () => channel.prune(config.DIRECTLINE_RETENTION_DAYS)],
      ['sign-in counters', () => new SignInThrottle(db).prune()],
      ['rate-limit counters', () => services.limits.prune()],
      // A file posted to the channel is taken by the bot within its turn: one left an hour is an orphan.
      ['uploads not taken', async () => (await db.channelUpload.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - 60 * 60 * 1000) } } })).count],
    ] as const) {
      await prune()
        .then((count) => count && logger.info({ count, what }, 'housekeeping: old rows deleted'))
        .catch((error: unknown) => logger.error({ err: error, what }, 'housekeeping failed'));
    }
  };
  // After the server listens (below): a start is not held up by old rows.
  const pruning = setInterval(() => void housekeeping(), 6 * 60 * 60 * 1000);
  pruning.unref();
  // The dialogs need the notifier, which needs the bot: people are told through late-bound callbacks.
  let notifier: ProactiveNotifier | undefined;
  const main = buildDialogs(services, conversationState, await Nlu.train(), {
    i18n,
    publicUrl,
    medimailRegions: config.MEDIMAIL_REGIONS,
    medimailSender: config.MEDIMAIL_FROM,
    notify: (reference, value) => notifier?.sendEvent(reference as Partial<ConversationReference>, NOTICE_EVENT, { ...value }) ?? Promise.resolve(),
  });
  // The same property the accreditation dialog keeps its session in (state properties are by name).
  const intake = new DocumentIntake(services.documents, conversationState.createProperty<AccreditationConversation>('accreditation'), async (context, attachment) => {
    if (attachment.contentType === TEAMS_FILE) return context.activity.channelId === 'msteams' ? teamsFile(attachment) : undefined;
    const held = context.activity.channelId === 'directline' ? await channel.takeUpload(context.activity.conversation.id, attachment.contentUrl ?? '') : undefined;
    return held?.bytes;
  }, logger);
  const bot = new SesameBot(conversationState, userState, main, i18n, config.DEFAULT_LOCALE, logger, links, intake, coordination);
  notifier = new ProactiveNotifier(adapter, bot, config.MicrosoftAppId ?? '', logger, () => endpoint().serviceUrl);
  const continueWith = (event: string) => (linkId: string, reference: Partial<ConversationReference>, needsCode: boolean) =>
    notifier!.sendEvent(reference, event, needsCode ? { linkId, needsCode } : { linkId });
  const signInPages = new SignInPages(registry, links, i18n, continueWith(SIGNED_IN_EVENT), services.limits);
  const deskPages = new DeskPages(desk, links, i18n, continueWith(DESK_SIGNED_IN_EVENT));
  const attestationPage = new AttestationPage(links, registry, engagements, i18n);
  const documentPage = new DocumentPage(links, services.documents, i18n);
  const dataExportPage = new DataExportPage(links, services.dataRights, i18n);
  const medimailPages = new MedimailPages(medimail, links, i18n, {
    passwordSet: continueWith(MEDIMAIL_PASSWORD_EVENT),
    confirmed: continueWith(MEDIMAIL_CONFIRMED_EVENT),
    active: continueWith(MEDIMAIL_ACTIVE_EVENT),
  });

  const server = createHttpServer({
    logger,
    adapter,
    bot,
    channel,
    i18n,
    defaultLocale: config.DEFAULT_LOCALE,
    isReady: () => isDatabaseReachable(db),
    mailbox,
    signInPages,
    deskPages,
    attestationPage,
    documentPage,
    dataExportPage,
    medimailPages,
    secureCookies: publicUrl().startsWith('https:'),
    isLocalChannel: (authorization) => auth.isLocal(authorization),
    anonymous: !config.MicrosoftAppId,
    limits: services.limits,
    trustProxy: config.TRUST_PROXY,
  });
  port = await server.listen(config.PORT, config.HOST);
  outbox.start();
  // What was acknowledged and not processed before a crash (here or on another instance) is processed now.
  channel.start();
  void housekeeping();
  setImmediate(warmCards);
  logger.info({ port, url: publicUrl() }, 'Sésame is listening');

  return {
    url: publicUrl(),
    notifier,
    services,
    mailbox,
    port,
    db,
    outbox,
    channel,
    logger,
    smtpUrl,
    async close() {
      clearInterval(pruning);
      channel.stop();
      await server.close();
      await channel.idle();
      // The logger does not await its writes: the last turns' activities are written before the database closes.
      await services.transcripts.flush();
      await outbox.stop();
      transport.close();
      await catcher?.stop();
      await coordination.close();
      await hot.close();
      await db.$disconnect();
    },
  };
}
