import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { TurnContext, type StatePropertyAccessor } from 'botbuilder';
import { z } from 'zod';
import {
  MEDIMAIL_HUB_ACTIONS,
  connectionData,
  finaliseData,
  specialtyLabel,
  finaliseRecapData,
  medimailFormData,
  medimailHubData,
  orgMailboxData,
  orientationData,
  pathData,
  regionData,
  resendConfirmationData,
  rppsUpdateData,
  typesData,
  waitingData,
  waysData,
  type MedimailHubView,
} from '../cards/medimail';
import { renderCard } from '../cards/render';
import type { Translator } from '../i18n';
import { isOpen } from '../services/businessHours';
import { emailSchema, maskEmail, suggestEmail } from '../services/email';
import { department as departmentOf, departmentFromPostalCode, region } from '../services/geography';
import { checkProfessionalId, checkStructureId } from '../services/identifiers';
import {
  MEDIMAIL_ACTIVE_EVENT,
  MEDIMAIL_CONFIRMED_EVENT,
  MEDIMAIL_NOTICE_EVENT,
  MEDIMAIL_PASSWORD_EVENT,
  MEDIMAIL_SIGN_IN,
} from '../services/identity/linkPurposes';
import { allows, nextActions, type MedimailAction, type MedimailStatus } from '../services/medimail/accountStatus';
import { situationOf } from '../services/medimail/medimail';
import type { MedimailTyped } from './medimailWords';
import type { SecureLinks } from '../services/identity/secureLinks';
import type { MedimailAccountView, MedimailDetails, MedimailService } from '../services/medimail/medimail';
import { dateTime } from '../dates';
import { MEDIMAIL_KNOWN_REGIONS, PROFESSION_CODES, isRoleAddress } from '../services/medimail/mssAddress';
import { checkFrenchPhone, formatPhone } from '../services/phone';
import { SPECIALTY_CODES, specialtyOf } from '../services/medimail/nomenclature';
import { CardPrompt, type CardPromptResult, type FieldValues } from './cardPrompt';
import { InterruptibleDialog } from './interruptibleDialog';
import { withinLimits } from './limits';
import type { RateLimits } from '../services/rateLimits';
import { codeSpans, tr, turnLocale } from './turn';
import { literal, plain } from '../cards/adaptive';
import { PERSON_NAME, displayName } from '../services/names';

export const MEDIMAIL_DIALOG = 'medimail';
const ENTRY = 'mm.entry';
const TYPES = 'mm.types';
const CONNECTION = 'mm.connection';
const REGION = 'mm.region';
const FORM = 'mm.form';
const PASSWORD = 'mm.password';
const CONFIRM = 'mm.confirm';
const RESEND = 'mm.resend';
const FINALISE = 'mm.finalise';
const HUB = 'mm.hub';
const SIGN_IN = 'mm.signIn';
const RPPS = 'mm.rpps';
const ORG = 'mm.org';
const IDENTITY = 'mm.identity';

/** How the journey opens: at its start, on the account's hub (« où en suis-je »), or on an action typed or clicked. */
export interface MedimailStart {
  action?: MedimailTyped;
}

/** Typed actions that are answered even when they do not apply now (the hub says why); others are questions then. */
const ALWAYS_ANSWERED: MedimailTyped[] = ['hub', 'gotRpps', 'firstSignIn'];

/** « Envoyer un nouveau lien », typed: the link the account waits for. */
const NEW_LINK: Partial<Record<MedimailStatus, MedimailAction>> = { FORM: 'setPassword', EMAIL_SENT: 'resend', VALIDATED: 'firstSignIn', SIGNED_IN: 'firstSignIn' };

export interface MedimailConversation {
  accountId?: string;
  /** The finalisation's answers while the recap is on screen. */
  draft?: FieldValues;
}

export interface MedimailSettings {
  /** Region codes where Medimail is the regional offer for self-employed professionals. */
  regions: string[];
  /** Medimail's sender, named to the user (the confirmation mail comes from it). */
  sender: string;
  publicUrl: () => string;
  /** Whether the user also has an accreditation request here: the hub then offers its status too. */
  hasAccreditation?: (context: TurnContext) => Promise<boolean>;
  /** An RPPS this user already gave here (their accreditation request): the finalisation is prefilled with it. */
  knownRpps?: (context: TurnContext) => Promise<string | undefined>;
}

// ---- card schemas: message keys are in locales/*/common.json validation.* ----

const connectionSchema = z.object({
  structure: z.string().trim().min(1).max(150),
  structureId: z.string().superRefine((v, ctx) => {
    const check = checkStructureId(v);
    if (check.status === 'badKey') ctx.addIssue({ code: 'custom', message: 'structureKey' });
    else if (check.status === 'invalid' || (check.kind !== 'FINESS' && check.kind !== 'SIRET')) ctx.addIssue({ code: 'custom', message: 'structureId' });
  }),
  contactName: z.string().trim().min(1).max(100),
  contactEmail: emailSchema,
  contactPhone: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || checkFrenchPhone(v).status === 'valid', 'phone'),
});

const regionSchema = z.object({ region: z.string().refine((v) => Boolean(region(v)), 'choice') });

/** The seed: « L'adresse doit forcément être une adresse nominative » — a role address is refused. */
const nominativeEmail = emailSchema.refine((v) => !isRoleAddress(v), 'roleAddress');

const formSchema = z.object({
  lastName: z.string().trim().min(1).max(80).regex(PERSON_NAME, 'name'),
  firstName: z.string().trim().min(1).max(80).regex(PERSON_NAME, 'name'),
  email: nominativeEmail,
  profession: z.enum(PROFESSION_CODES, { message: 'choice' }),
  /** The address the user kept after a typo was suggested. */
  emailChecked: z.string().optional(),
  /** The MSS address the user saw and confirmed. */
  mssChecked: z.string().optional(),
});

const phone = (required: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .superRefine((v, ctx) => {
      if (!v) {
        if (required) ctx.addIssue({ code: 'custom', message: 'required' });
        return;
      }
      if (checkFrenchPhone(v).status !== 'valid') ctx.addIssue({ code: 'custom', message: 'phone' });
    });

const finaliseSchema = z
  .object({
    rpps: z.string().optional(),
    structureKind: z.enum(['FINESS', 'SIREN', 'SIRET']).optional(),
    structureId: z.string().optional(),
    profession: z.enum(PROFESSION_CODES, { message: 'choice' }),
    specialty: z.union([z.enum(SPECIALTY_CODES, { message: 'choice' }), z.literal('')]).optional(),
    liberal: z.string().optional(),
    phone: phone(true),
    phone2: phone(false),
    address: z.string().trim().min(1).max(200),
    city: z.string().trim().min(1).max(100),
    postalCode: z
      .string()
      .trim()
      .superRefine((v, ctx) => {
        const check = departmentFromPostalCode(v);
        if (check.status === 'invalid') ctx.addIssue({ code: 'custom', message: 'postalCode' });
        if (check.status === 'outside') ctx.addIssue({ code: 'custom', message: 'postalCodeOutside' });
      }),
    raisonSociale: z.string().trim().max(150).optional(),
    service: z.string().trim().max(150).optional(),
    directoryVisible: z.string().optional(),
    dematerialisation: z.string().optional(),
  })
  .passthrough();

/** The path's own identifier: RPPS with its key (8 + RPPS recognised), or the structure's; a specialty of the profession chosen. */
const pathSchema = (path: string) =>
  finaliseSchema.superRefine((v, ctx) => {
    const specialty = v.specialty ? specialtyOf(v.specialty) : undefined;
    if (specialty && specialty.profession !== v.profession) ctx.addIssue({ code: 'custom', path: ['specialty'], message: 'specialtyProfession' });
    if (path === 'rpps') {
      const check = checkProfessionalId(v.rpps ?? '');
      if (check.status === 'invalid' && check.reason === 'empty') ctx.addIssue({ code: 'custom', path: ['rpps'], message: 'required' });
      else if (check.status === 'nationalId') ctx.addIssue({ code: 'custom', path: ['rpps'], message: 'nationalId', params: { rpps: check.rpps } });
      else if (check.status === 'badKey') ctx.addIssue({ code: 'custom', path: ['rpps'], message: 'rppsKey' });
      else if (check.status !== 'valid' || check.kind !== 'RPPS') ctx.addIssue({ code: 'custom', path: ['rpps'], message: 'rppsLength' });
    } else {
      const check = checkStructureId(v.structureId ?? '', v.structureKind);
      if (check.status === 'invalid' && check.reason === 'empty') ctx.addIssue({ code: 'custom', path: ['structureId'], message: 'required' });
      else if (check.status === 'badKey') ctx.addIssue({ code: 'custom', path: ['structureId'], message: 'structureKey' });
      else if (check.status !== 'valid' || check.kind !== (v.structureKind ?? 'SIRET')) ctx.addIssue({ code: 'custom', path: ['structureId'], message: 'structureId' });
    }
  });

/** The region must be the department's own: a recap saying « Bretagne » with « Haute-Garonne » is refused. */
const recapSchema = z
  .object({
    region: z.string().refine((v) => Boolean(region(v)), 'choice'),
    department: z.string().refine((v) => Boolean(departmentOf(v)), 'choice'),
  })
  .superRefine((v, ctx) => {
    const d = departmentOf(v.department);
    if (d && region(v.region) && d.regionCode !== v.region) {
      ctx.addIssue({ code: 'custom', path: ['region'], message: 'regionDepartment', params: { department: `${d.name} (${d.code})`, region: d.regionName } });
    }
  });

const FINALISE_FIELDS = Object.fromEntries(
  [
    ['rpps', 'rppsField', 'rppsExample'],
    ['structureId', 'structureId', 'structureIdExample'],
    ['profession', 'profession'],
    ['specialty', 'specialty'],
    ['phone', 'phone', 'phoneExample'],
    ['phone2', 'phone2', 'phoneExample'],
    ['address', 'address', 'addressExample'],
    ['city', 'city', 'cityExample'],
    ['postalCode', 'postalCode', 'postalCodeExample'],
  ].map(([id, label, example]) => [id, { label: `medimail:finalise.${label}`, example: example ? `medimail:finalise.${example}` : undefined }]),
);

/**
 * Medimail (MSSanté) account creation, seed 003: orientation (three situations), mailbox types,
 * region, Pro Santé Connect or the form, the password on the bot's page, e-mail confirmation,
 * finalisation (RPPS or structure identifier) with its recap, validation by the service centre,
 * first sign-in (one-time code, terms of use), and afterwards.
 */
export class MedimailDialog extends InterruptibleDialog {
  constructor(
    private readonly medimail: MedimailService,
    private readonly links: SecureLinks,
    private readonly state: StatePropertyAccessor<MedimailConversation>,
    private readonly settings: MedimailSettings,
    private readonly limits: RateLimits,
  ) {
    super(MEDIMAIL_DIALOG);
    const prompt = (id: string, spec: ConstructorParameters<typeof CardPrompt>[1]) => this.addDialog(new CardPrompt(id, spec));
    const none = z.object({});
    prompt('mm.p.orientation', { verbs: ['individual', 'structureWants', 'structureHas', 'types'], schema: none, render: (t, v) => renderCard('medimail/orientation', orientationData(t, v.promptId)) });
    prompt('mm.p.types', { verbs: ['back'], schema: none, render: (t, v) => renderCard('medimail/types', typesData(t, v.promptId)) });
    prompt('mm.p.connection', {
      verbs: ['submit', 'back'],
      validate: ['submit'],
      schema: connectionSchema,
      fields: {
        structure: { label: 'medimail:connection.structure', example: 'medimail:connection.structureExample' },
        structureId: { label: 'medimail:connection.structureId', example: 'medimail:connection.structureIdExample' },
        contactName: { label: 'medimail:connection.contactName' },
        contactEmail: { label: 'medimail:connection.contactEmail', example: 'medimail:form.emailExample' },
        contactPhone: { label: 'medimail:connection.contactPhone', example: 'medimail:finalise.phoneExample' },
      },
      render: (t, v) => renderCard('medimail/connection', connectionData(t, v)),
    });
    prompt('mm.p.region', { verbs: ['submit'], validate: ['submit'], schema: regionSchema, fields: { region: { label: 'medimail:region.region' } }, render: (t, v) => renderCard('medimail/region', regionData(t, v)) });
    prompt('mm.p.ways', { verbs: ['form', 'menu'], schema: none, render: (t, v) => renderCard('medimail/ways', waysData(t, v.promptId)) });
    prompt('mm.p.form', {
      verbs: ['submit', 'useSuggestion'],
      validate: ['submit'],
      schema: formSchema,
      fields: {
        lastName: { label: 'medimail:form.lastName', example: 'medimail:form.lastNameExample' },
        firstName: { label: 'medimail:form.firstName', example: 'medimail:form.firstNameExample' },
        email: { label: 'medimail:form.email', example: 'medimail:form.emailExample' },
        profession: { label: 'medimail:form.profession' },
      },
      render: (t, v, c) => renderCard('medimail/form', medimailFormData(t, v, codeSpans(c))),
    });
    prompt('mm.p.waitPassword', {
      verbs: ['newLink'],
      schema: none,
      events: [MEDIMAIL_PASSWORD_EVENT],
      render: (t, v) => renderCard('medimail/waiting', waitingData(t, v.promptId, 'form', t('medimail:password.waiting'), [{ title: t('medimail:password.newLink'), verb: 'newLink' }])),
    });
    prompt('mm.p.waitConfirm', {
      verbs: ['notReceived'],
      schema: none,
      events: [MEDIMAIL_CONFIRMED_EVENT],
      render: (t, v) => renderCard('medimail/waiting', waitingData(t, v.promptId, 'confirm', t('medimail:confirm.waiting'), [{ title: t('medimail:confirm.notReceived'), verb: 'notReceived' }])),
    });
    prompt('mm.p.resend', {
      verbs: ['submit', 'useSuggestion', 'back'],
      validate: ['submit'],
      schema: z.object({ email: nominativeEmail, emailChecked: z.string().optional() }),
      fields: { email: { label: 'medimail:confirm.email', example: 'medimail:form.emailExample' } },
      render: (t, v) => renderCard('medimail/resendConfirmation', resendConfirmationData(t, v, this.settings.sender)),
    });
    prompt('mm.p.path', { verbs: ['rpps', 'structure'], schema: none, render: (t, v) => renderCard('medimail/path', pathData(t, v.promptId)) });
    prompt('mm.p.finalise', {
      verbs: ['submit', 'back'],
      schema: none,
      schemaFor: (verb, shown) => (verb === 'submit' ? pathSchema(shown.path ?? 'rpps') : undefined),
      fields: FINALISE_FIELDS,
      render: (t, v) => renderCard('medimail/finalise', finaliseData(t, v, v.values.path === 'structure' ? 'structure' : 'rpps')),
    });
    prompt('mm.p.recap', {
      verbs: ['validate', 'edit'],
      validate: ['validate'],
      schema: recapSchema,
      fields: { region: { label: 'medimail:finalise.region' }, department: { label: 'medimail:finalise.department' } },
      render: (t, v, c) =>
        renderCard(
          'medimail/finaliseRecap',
          finaliseRecapData(
            t,
            v,
            recapFacts(t, JSON.parse(v.values.identity ?? '{}') as RecapIdentity, JSON.parse(v.values.details ?? '{}') as MedimailDetails, codeSpans(c)),
            v.values.duplicateOf ? [t('medimail:recap.duplicateRpps', { email: plain(v.values.duplicateOf) })] : [],
          ),
        ),
    });
    prompt('mm.p.hub', { verbs: MEDIMAIL_HUB_ACTIONS, schema: none, events: [MEDIMAIL_NOTICE_EVENT], render: (t, v, c) => renderCard('medimail/hub', medimailHubData(t, v.promptId, JSON.parse(v.values.hub ?? '{}') as MedimailHubView, codeSpans(c))) });
    prompt('mm.p.waitSignIn', {
      verbs: ['newLink', 'back'],
      schema: none,
      events: [MEDIMAIL_ACTIVE_EVENT],
      render: (t, v) =>
        renderCard('medimail/waiting', waitingData(t, v.promptId, 'validation', t('medimail:signin.waiting'), [
          { title: t('medimail:password.newLink'), verb: 'newLink' },
          { title: t('medimail:confirm.back'), verb: 'back' },
        ])),
    });
    prompt('mm.p.rpps', {
      verbs: ['submit', 'back'],
      schema: none,
      schemaFor: (verb) => (verb === 'submit' ? rppsOnly : undefined),
      fields: { rpps: { label: 'medimail:rpps.field', example: 'medimail:finalise.rppsExample' } },
      render: (t, v) => renderCard('medimail/rppsUpdate', rppsUpdateData(t, v)),
    });
    prompt('mm.p.org', {
      verbs: ['submit', 'back'],
      validate: ['submit'],
      schema: z.object({ name: z.string().trim().min(1).max(100), structure: z.string().trim().min(1).max(150) }),
      fields: { name: { label: 'medimail:org.name' }, structure: { label: 'medimail:org.structure' } },
      render: (t, v) => renderCard('medimail/orgMailbox', orgMailboxData(t, v)),
    });

    const waterfall = (id: string, ...steps: ((step: WaterfallStepContext) => Promise<DialogTurnResult>)[]) => this.addDialog(new WaterfallDialog(id, steps.map((s) => s.bind(this))));
    waterfall(ENTRY, this.orient, this.routeOrientation);
    waterfall(TYPES, this.showTypes, this.backToEntry);
    waterfall(CONNECTION, this.askConnection, this.sendConnection);
    waterfall(REGION, this.askRegion, this.checkRegion, this.afterWays);
    waterfall(FORM, this.askForm, this.checkForm);
    waterfall(PASSWORD, this.sendPasswordLink, this.afterPassword);
    waterfall(CONFIRM, this.waitConfirmation, this.afterConfirmation);
    waterfall(RESEND, this.askResend, this.doResend);
    waterfall(FINALISE, this.askPath, this.askDetails, this.recap, this.validate);
    waterfall(HUB, this.showHub, this.routeHub);
    waterfall(SIGN_IN, this.sendSignInLink, this.afterSignIn);
    waterfall(RPPS, this.askRpps, this.sendRpps);
    waterfall(ORG, this.askOrg, this.sendOrg);
    waterfall(IDENTITY, this.askIdentity, this.checkIdentity);
    this.initialDialogId = ENTRY;
  }

  private async accountId(context: TurnContext): Promise<string | undefined> {
    return (await this.state.get(context, {})).accountId;
  }

  private reference(context: TurnContext) {
    return { ...TurnContext.getConversationReference(context.activity), locale: turnLocale(context) };
  }

  // ---- 1. orientation ----

  private async orient(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const action = (step.options as MedimailStart | undefined)?.action;
    const accountId = await this.accountId(step.context);
    if (action && action !== 'hub' && action !== 'newLink' && accountId) {
      const account = await this.medimail.account(accountId);
      if (account && allows(situationOf(account), action)) return this.act(step, action);
      await step.context.sendActivity(this.whyNot(tr(step.context), action, account));
    }
    if (accountId || action === 'hub') return step.replaceDialog(HUB);
    return step.beginDialog('mm.p.orientation');
  }

  /** Why a typed action does not apply: an RPPS already on the account or already sent, or not at this step. */
  private whyNot(t: Translator, action: MedimailAction, account: MedimailAccountView | undefined): string {
    if (action === 'gotRpps' && account?.details?.path === 'rpps') return t('medimail:typed.hasRpps', { rpps: account.details.rpps ?? '' });
    if (action === 'gotRpps' && account?.rppsRequestedAt) return t('medimail:typed.rppsSent', { date: dateTime(t, account.rppsRequestedAt) });
    return t('medimail:typed.notNow', { action: t(`medimail:hub.${action}`) });
  }

  /**
   * A Medimail action typed anywhere (« j'ai reçu mon RPPS », « je veux faire ma première connexion »,
   * a button's title): how to open this journey for it, when this conversation has an account it
   * applies to. Otherwise undefined, and the text is taken as a question.
   */
  async typedAction(context: TurnContext, typed: MedimailTyped | undefined): Promise<MedimailStart | undefined> {
    if (!typed) return undefined;
    const account = await this.medimail.account((await this.accountId(context)) ?? '');
    if (!account) return undefined;
    const situation = situationOf(account);
    // Words that mean the step the account is at: « un nouveau lien », « corriger / modifier mes informations ».
    const meant = typed === 'newLink' ? NEW_LINK[account.status] : typed === 'fixAndResend' || typed === 'edit' ? (['fixAndResend', 'edit'] as const).find((a) => allows(situation, a)) : typed;
    if (!meant) return undefined;
    if (ALWAYS_ANSWERED.includes(meant) || (meant !== 'hub' && allows(situation, meant))) return { action: meant };
    return undefined;
  }

  private async routeOrientation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'types') return step.replaceDialog(TYPES);
    if (verb === 'structureWants') return step.replaceDialog(CONNECTION);
    if (verb === 'structureHas') {
      await step.context.sendActivity(tr(step.context)('medimail:orientation.structureHasText'));
      return step.endDialog();
    }
    return step.replaceDialog(REGION);
  }

  private async showTypes(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog('mm.p.types');
  }

  private async backToEntry(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.replaceDialog((await this.accountId(step.context)) ? HUB : ENTRY);
  }

  /** A structure without Medimail: its connection request goes to the service centre. */
  private async askConnection(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog('mm.p.connection');
  }

  private async sendConnection(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<z.infer<typeof connectionSchema>>;
    if (verb === 'back') return step.replaceDialog(ENTRY);
    const check = checkStructureId(values.structureId);
    const { reference } = await this.medimail.requestConnection({
      structure: values.structure,
      structureKind: check.status === 'valid' ? check.kind : '',
      structureId: check.value,
      contactName: values.contactName,
      contactEmail: values.contactEmail,
      contactPhone: values.contactPhone ? checkFrenchPhone(values.contactPhone).value : undefined,
    }, turnLocale(step.context));
    await step.context.sendActivity(tr(step.context)('medimail:connection.sent', { email: plain(values.contactEmail), reference }));
    return step.endDialog();
  }

  // ---- 3. region, 4. two ways ----

  private async askRegion(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog('mm.p.region');
  }

  private async checkRegion(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { values } = step.result as CardPromptResult<{ region: string }>;
    if (!this.settings.regions.includes(values.region)) {
      const names = this.settings.regions.map((code) => region(code)?.name ?? code).join(', ');
      const elsewhere = (MEDIMAIL_KNOWN_REGIONS as readonly string[]).includes(values.region);
      await step.context.sendActivity(tr(step.context)(elsewhere ? 'medimail:region.elsewhere' : 'medimail:region.unavailable', { regions: names, region: region(values.region)?.name ?? '' }));
      return step.endDialog();
    }
    return step.beginDialog('mm.p.ways');
  }

  private async afterWays(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<FieldValues>;
    return verb === 'form' ? step.replaceDialog(FORM) : step.endDialog();
  }

  // ---- 5. the form, the password on the secure page ----

  private async askForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog('mm.p.form', { values: (step.options as FieldValues | undefined) ?? {} });
  }

  /**
   * The form is valid (a role address was refused by its schema); before the account is held,
   * what needs the user's word: a likely typo in the e-mail's domain (one click to correct), then
   * the MSS address they will get, numbered if taken — shown before they go on.
   */
  private async checkForm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values: raw } = step.result as CardPromptResult<FieldValues>;
    const t = tr(step.context);
    // The corrected address chosen with one click: the rest was already valid, so the form goes on.
    const chosen = verb === 'useSuggestion' ? formSchema.safeParse({ ...raw, email: raw.suggestion ?? '', emailChecked: raw.suggestion ?? '' }) : undefined;
    if (chosen && !chosen.success) return step.replaceDialog(FORM, { ...raw, email: raw.suggestion ?? '', notice: '', suggestion: '' });
    const values = chosen?.success ? chosen.data : (raw as unknown as z.infer<typeof formSchema>);
    const keep = { ...stringValues(values), emailChecked: values.emailChecked ?? '' };
    const suggestion = suggestEmail(values.email);
    if (suggestion && values.emailChecked !== values.email) return step.replaceDialog(FORM, { ...keep, notice: 'emailSuggestion', suggestion });
    const proposed = await this.medimail.proposedAddress(values);
    if (values.mssChecked !== proposed.mss) return step.replaceDialog(FORM, { ...keep, notice: 'mss', mss: proposed.mss, mssBase: proposed.base });
    // The account's confirmation mail goes to this address: a few per client, and per address, whoever asks.
    if (!(await withinLimits(step.context, this.limits, 'registration', [values.email]))) return step.replaceDialog(FORM, stringValues(values));
    const result = await this.medimail.startRegistration({ ...values, locale: turnLocale(step.context) }, this.reference(step.context));
    if (result.status === 'duplicate') {
      await step.context.sendActivity(t('medimail:form.duplicate', { email: result.maskedEmail }));
      return step.replaceDialog(FORM, stringValues(values));
    }
    (await this.state.get(step.context, {})).accountId = result.accountId;
    await step.context.sendActivity(t('medimail:password.preview', { mss: literal(result.mssAddress, codeSpans(step.context)) }));
    return step.replaceDialog(PASSWORD, { token: result.token });
  }

  private async sendPasswordLink(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const accountId = await this.accountId(step.context);
    if (!accountId) return step.replaceDialog(ENTRY);
    const token = (step.options as { token?: string } | undefined)?.token ?? (await this.medimail.passwordLink(accountId));
    await step.context.sendActivity(t('medimail:password.link', { url: `${this.settings.publicUrl()}/compte/medimail/mot-de-passe/${token}` }));
    return step.beginDialog('mm.p.waitPassword');
  }

  private async afterPassword(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ linkId?: string }>;
    if (verb === 'newLink') return step.replaceDialog(PASSWORD);
    if (!(await this.ownLink(step.context, values.linkId))) return step.replaceDialog(PASSWORD);
    return step.replaceDialog(CONFIRM, { justSent: true });
  }

  /** The page's event is for this conversation's account, once. */
  private async ownLink(context: TurnContext, linkId: string | undefined): Promise<boolean> {
    const accountId = await this.accountId(context);
    const done = linkId ? await this.links.consume(linkId, context.activity.conversation.id) : undefined;
    return Boolean(accountId && done === accountId);
  }

  // ---- 6. e-mail confirmation ----

  private async waitConfirmation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const account = await this.medimail.account((await this.accountId(step.context)) ?? '');
    if (!account) return step.replaceDialog(ENTRY);
    if ((step.options as { justSent?: boolean } | undefined)?.justSent) {
      await step.context.sendActivity(t('medimail:confirm.sent', { from: this.settings.sender, email: plain(account.email) }));
      await step.context.sendActivity(t('medimail:confirm.spam', { from: this.settings.sender }));
    }
    return step.beginDialog('mm.p.waitConfirm');
  }

  private async afterConfirmation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ linkId?: string }>;
    if (verb === 'notReceived') return step.replaceDialog(RESEND);
    if (!(await this.ownLink(step.context, values.linkId))) return step.replaceDialog(CONFIRM);
    await this.medimail.emailConfirmed((await this.accountId(step.context))!);
    await step.context.sendActivity(tr(step.context)('medimail:confirm.confirmed'));
    // A corrected address after a refusal: the finalisation comes back as it was sent.
    const account = await this.medimail.account((await this.accountId(step.context))!);
    return step.replaceDialog(FINALISE, { path: account?.details?.path });
  }

  /** "Je n'ai pas reçu le mail": the sender, the spam folder, the address used — corrected and sent again. */
  private async askResend(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const account = await this.medimail.account((await this.accountId(step.context)) ?? '');
    if (!account) return step.replaceDialog(ENTRY);
    const given = step.options as FieldValues | undefined;
    return step.beginDialog('mm.p.resend', { values: given?.email ? given : { email: account.email } });
  }

  private async doResend(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ email: string; emailChecked?: string; suggestion?: string }>;
    if (verb === 'useSuggestion') {
      const chosen = nominativeEmail.safeParse(values.suggestion ?? '');
      if (!chosen.success) return step.replaceDialog(RESEND);
      Object.assign(values, { email: chosen.data, emailChecked: chosen.data });
    }
    const suggestion = verb === 'submit' ? suggestEmail(values.email) : undefined;
    if (suggestion && values.emailChecked !== values.email) return step.replaceDialog(RESEND, { email: values.email, notice: 'emailSuggestion', suggestion });
    const accountId = await this.accountId(step.context);
    if ((verb === 'submit' || verb === 'useSuggestion') && accountId && (await withinLimits(step.context, this.limits, 'registration', [values.email]))) {
      const sent = await this.medimail.sendConfirmation(accountId, values.email);
      await step.context.sendActivity(tr(step.context)('medimail:confirm.resent', { email: sent.maskedEmail }));
    }
    return step.replaceDialog(CONFIRM);
  }

  // ---- 7. finalisation ----

  private async askPath(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as { path?: string; values?: FieldValues } | undefined;
    if (options?.path) return step.next({ verb: options.path, values: {} });
    return step.beginDialog('mm.p.path');
  }

  private async askDetails(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<FieldValues>;
    const account = await this.medimail.account((await this.accountId(step.context)) ?? '');
    if (!account) return step.replaceDialog(ENTRY);
    const given = (step.options as { values?: FieldValues } | undefined)?.values;
    // Not typed twice: an RPPS the user gave in this conversation comes prefilled (and can be changed).
    const known = given || account.details || verb === 'structure' ? undefined : await this.settings.knownRpps?.(step.context);
    const values: FieldValues = given ?? (account.details ? detailValues(account.details) : { profession: account.profession, ...(known ? { rpps: known } : {}) });
    return step.beginDialog('mm.p.finalise', { values: { ...values, path: verb === 'structure' ? 'structure' : 'rpps' } });
  }

  /** The recap, with the region and department deduced from the postal code for the user to confirm. */
  private async recap(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<z.infer<typeof finaliseSchema> & FieldValues>;
    if (verb === 'back') return step.replaceDialog(HUB);
    const path = (values.path ?? (values.rpps ? 'rpps' : 'structure')) as 'rpps' | 'structure';
    const postal = departmentFromPostalCode(values.postalCode);
    const department = postal.status === 'valid' ? postal.department : undefined;
    const details = toDetails(path, values, department?.regionCode ?? '', department?.code ?? '');
    (await this.state.get(step.context, {})).draft = { ...stringValues(values), path };
    const account = await this.medimail.account((await this.accountId(step.context)) ?? '');
    const identity: RecapIdentity = { name: account ? `${account.firstName} ${account.lastName}` : '', email: account?.email ?? '', mss: account?.mssAddress ?? '' };
    // Another account with this RPPS: said before « Je valide » (the agent sees it too).
    const others = details.rpps && account ? await this.medimail.othersWithRpps(details.rpps, account.id) : [];
    return step.beginDialog('mm.p.recap', {
      values: {
        region: department?.regionCode ?? '',
        department: department?.code ?? '',
        details: JSON.stringify(details),
        identity: JSON.stringify(identity),
        duplicateOf: others.length ? maskEmail(others[0].email) : '',
      },
    });
  }

  private async validate(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ region: string; department: string }>;
    const conversation = await this.state.get(step.context, {});
    const draft = conversation.draft ?? {};
    if (verb === 'edit') return step.replaceDialog(FINALISE, { path: draft.path, values: draft });
    const accountId = conversation.accountId!;
    const account = await this.medimail.account(accountId);
    const details = toDetails(draft.path === 'structure' ? 'structure' : 'rpps', pathSchema(draft.path ?? 'rpps').parse(draft) as z.infer<typeof finaliseSchema>, values.region, values.department);
    if (account?.status === 'ACTIVE') {
      const { reference } = await this.medimail.updateDetails(accountId, details);
      await step.context.sendActivity(tr(step.context)('medimail:edit.saved', { reference }));
    } else {
      await this.medimail.rememberConversation(accountId, this.reference(step.context));
      await this.medimail.submit(accountId, details);
      await step.context.sendActivity(tr(step.context)('medimail:finalise.submitted'));
    }
    delete conversation.draft;
    return step.replaceDialog(HUB);
  }

  // ---- where the account is, and what comes next ----

  /** The account's hub: its status and next steps, both from the account's state machine. */
  private async showHub(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const account = await this.medimail.account((await this.accountId(step.context)) ?? '');
    const also: MedimailAction[] = (await this.settings.hasAccreditation?.(step.context)) ? ['accreditation'] : [];
    const hub: MedimailHubView = account
      ? {
          account: {
            status: account.status,
            mssAddress: account.mssAddress,
            submittedAt: account.submittedAt?.toISOString(),
            rejectReason: account.rejectReason,
            rejectPart: account.rejectPart,
            rppsRequestedAt: account.rppsRequestedAt?.toISOString(),
          },
          actions: withBefore(nextActions(situationOf(account)), also, 'menu'),
        }
      : { actions: withBefore(['start', 'menu'], also, 'menu') };
    return step.beginDialog('mm.p.hub', { values: { hub: JSON.stringify(hub) } });
  }

  private async routeHub(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<FieldValues>;
    // A decision was taken while the hub was on screen: the notice was said, the hub comes back as it is now.
    if (verb === `event:${MEDIMAIL_NOTICE_EVENT}`) return step.replaceDialog(HUB);
    return this.act(step, verb as MedimailAction);
  }

  /** One of the account's actions, clicked on the hub or typed. */
  private async act(step: WaterfallStepContext, action: MedimailAction): Promise<DialogTurnResult> {
    const t = tr(step.context);
    switch (action) {
      case 'start':
        delete (await this.state.get(step.context, {})).accountId;
        return step.replaceDialog(ENTRY);
      case 'setPassword':
        return step.replaceDialog(PASSWORD);
      case 'resend':
        return step.replaceDialog(RESEND);
      case 'finalise':
        return step.replaceDialog(FINALISE);
      case 'fixIdentity':
        return step.replaceDialog(IDENTITY);
      case 'fixAndResend':
      case 'edit': {
        const account = await this.medimail.account((await this.accountId(step.context)) ?? '');
        return step.replaceDialog(FINALISE, { path: account?.details?.path });
      }
      case 'firstSignIn':
        return step.replaceDialog(SIGN_IN);
      case 'gotRpps':
        return step.replaceDialog(RPPS);
      case 'org':
        return step.replaceDialog(ORG);
      case 'webmail': {
        const account = await this.medimail.account((await this.accountId(step.context)) ?? '');
        await step.context.sendActivity(`${t('medimail:active.webmail', { mss: literal(account?.mssAddress ?? '', codeSpans(step.context)) })}\n\n${t('medimail:active.settings')}`);
        return step.replaceDialog(HUB);
      }
      case 'support':
        await step.context.sendActivity(`${t('medimail:support.text')} ${t(isOpen(new Date()) ? 'medimail:support.open' : 'medimail:support.closed')}\n\n${t('medimail:support.fromHere')}`);
        return step.replaceDialog(HUB);
      case 'accreditation':
        return step.endDialog({ next: 'accreditationStatus' });
      default:
        return step.endDialog();
    }
  }

  // ---- after a refusal: name, profession or e-mail corrected ----

  private async askIdentity(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const given = step.options as FieldValues | undefined;
    const account = await this.medimail.account((await this.accountId(step.context)) ?? '');
    if (!account) return step.replaceDialog(ENTRY);
    // Shown again (a role address pointed out, a refusal): what was typed; else the account as it is.
    const values = given && Object.keys(given).length ? given : { lastName: account.lastName, firstName: account.firstName, email: account.email, profession: account.profession };
    return step.beginDialog('mm.p.form', { values });
  }

  private async checkIdentity(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { values } = step.result as CardPromptResult<z.infer<typeof formSchema>>;
    const t = tr(step.context);
    const accountId = await this.accountId(step.context);
    if (!accountId) return step.replaceDialog(ENTRY);
    const account = await this.medimail.account(accountId);
    if (account?.status !== 'REJECTED') return step.replaceDialog(HUB);
    const emailChanged = values.email.trim().toLowerCase() !== account.email;
    if (emailChanged && !(await withinLimits(step.context, this.limits, 'registration', [values.email]))) return step.replaceDialog(IDENTITY, stringValues(values));
    const result = await this.medimail.correctIdentity(accountId, values);
    if (result.status === 'duplicate') {
      await step.context.sendActivity(t('medimail:form.duplicate', { email: result.maskedEmail }));
      return step.replaceDialog(IDENTITY, stringValues(values));
    }
    await this.medimail.rememberConversation(accountId, this.reference(step.context));
    if (result.emailChanged) {
      await step.context.sendActivity(t('medimail:fix.emailChanged', { mss: literal(result.mssAddress, codeSpans(step.context)) }));
      return step.replaceDialog(CONFIRM, { justSent: true });
    }
    await step.context.sendActivity(t('medimail:fix.saved', { mss: literal(result.mssAddress, codeSpans(step.context)) }));
    return step.replaceDialog(FINALISE, { path: account.details?.path });
  }

  // ---- 9. first sign-in: one-time code and terms of use, on the secure page ----

  private async sendSignInLink(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const accountId = await this.accountId(step.context);
    if (!accountId) return step.replaceDialog(ENTRY);
    const link = await this.links.create(MEDIMAIL_SIGN_IN, this.reference(step.context), 15, accountId);
    await step.context.sendActivity(t('medimail:signin.link', { url: `${this.settings.publicUrl()}/compte/medimail/connexion/${link.token}` }));
    return step.beginDialog('mm.p.waitSignIn');
  }

  private async afterSignIn(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ linkId?: string }>;
    if (verb === 'newLink') return step.replaceDialog(SIGN_IN);
    if (verb === 'back') return step.replaceDialog(HUB);
    if (!(await this.ownLink(step.context, values.linkId))) return step.replaceDialog(SIGN_IN);
    const account = await this.medimail.account((await this.accountId(step.context))!);
    const t = tr(step.context);
    await step.context.sendActivity(t('medimail:signin.active', { mss: literal(account!.mssAddress, codeSpans(step.context)) }));
    // An e-CPS needs an RPPS: without one, the advice is to report the RPPS first.
    await step.context.sendActivity(t(account!.details?.path === 'structure' ? 'medimail:signin.nextNoRpps' : 'medimail:signin.next'));
    return step.replaceDialog(HUB);
  }

  // ---- 10. afterwards ----

  private async askRpps(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog('mm.p.rpps');
  }

  private async sendRpps(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ rpps: string }>;
    const accountId = await this.accountId(step.context);
    if (verb === 'submit' && accountId) {
      const rpps = checkProfessionalId(values.rpps).value;
      const { reference } = await this.medimail.requestRppsUpdate(accountId, rpps);
      await step.context.sendActivity(tr(step.context)('medimail:rpps.sent', { rpps, reference }));
    }
    return step.replaceDialog(HUB);
  }

  private async askOrg(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog('mm.p.org');
  }

  private async sendOrg(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ name: string; structure: string }>;
    const accountId = await this.accountId(step.context);
    if (verb === 'submit' && accountId) {
      const { reference } = await this.medimail.requestOrgMailbox(accountId, values);
      await step.context.sendActivity(tr(step.context)('medimail:org.sent', { reference }));
    }
    return step.replaceDialog(HUB);
  }
}

const rppsOnly = z.object({ rpps: z.string() }).superRefine((v, ctx) => {
  const check = checkProfessionalId(v.rpps);
  if (check.status === 'invalid' && check.reason === 'empty') ctx.addIssue({ code: 'custom', path: ['rpps'], message: 'required' });
  else if (check.status === 'nationalId') ctx.addIssue({ code: 'custom', path: ['rpps'], message: 'nationalId', params: { rpps: check.rpps } });
  else if (check.status === 'badKey') ctx.addIssue({ code: 'custom', path: ['rpps'], message: 'rppsKey' });
  else if (check.status !== 'valid' || check.kind !== 'RPPS') ctx.addIssue({ code: 'custom', path: ['rpps'], message: 'rppsLength' });
});

/** The actions with some added just before one of them (« Mon accréditation » before « Revenir au menu »). */
function withBefore(actions: MedimailAction[], added: MedimailAction[], before: MedimailAction): MedimailAction[] {
  const at = actions.indexOf(before);
  return at < 0 ? [...actions, ...added] : [...actions.slice(0, at), ...added, ...actions.slice(at)];
}

function stringValues(values: object): FieldValues {
  const out: FieldValues = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string') out[k] = v;
  return out;
}

function toDetails(path: 'rpps' | 'structure', v: z.infer<typeof finaliseSchema>, regionCode: string, departmentCode: string): MedimailDetails {
  const structure = path === 'structure' ? checkStructureId(v.structureId ?? '', v.structureKind) : undefined;
  return {
    path,
    rpps: path === 'rpps' ? checkProfessionalId(v.rpps ?? '').value : undefined,
    structureKind: path === 'structure' ? (v.structureKind ?? 'SIRET') : undefined,
    structureId: structure?.value,
    profession: v.profession,
    specialty: v.specialty || undefined,
    liberal: v.liberal === 'true',
    phone: checkFrenchPhone(v.phone ?? '').value,
    phone2: v.phone2 ? checkFrenchPhone(v.phone2).value : undefined,
    address: v.address,
    city: v.city,
    postalCode: v.postalCode,
    region: regionCode,
    department: departmentCode,
    raisonSociale: v.raisonSociale || undefined,
    service: v.service || undefined,
    directoryVisible: v.directoryVisible !== 'false',
    dematerialisation: v.dematerialisation !== 'false',
  };
}

function detailValues(d: MedimailDetails): FieldValues {
  return {
    rpps: d.rpps ?? '',
    structureKind: d.structureKind ?? 'SIRET',
    structureId: d.structureId ?? '',
    profession: d.profession,
    specialty: d.specialty ?? '',
    liberal: String(d.liberal),
    phone: formatPhone(d.phone),
    phone2: d.phone2 ? formatPhone(d.phone2) : '',
    address: d.address,
    city: d.city,
    postalCode: d.postalCode,
    raisonSociale: d.raisonSociale ?? '',
    service: d.service ?? '',
    directoryVisible: String(d.directoryVisible),
    dematerialisation: String(d.dematerialisation),
  };
}

interface RecapIdentity {
  name: string;
  email: string;
  mss: string;
}

/** The recap's lines, in the user's language: everything that will be sent (region and department are the inputs below). */
function recapFacts(t: Translator, who: RecapIdentity, d: MedimailDetails, codeSpan: boolean): { title: string; value: string; literal?: boolean; codeSpan?: boolean }[] {
  const f = (key: string) => t(`medimail:recap.${key}`);
  const yes = (v: boolean) => t(`medimail:finalise.${v ? 'yes' : 'no'}`);
  return [
    { title: f('name'), value: displayName(who.name) },
    { title: f('email'), value: who.email },
    { title: f('mss'), value: who.mss, literal: true, codeSpan },
    d.path === 'rpps' ? { title: f('rpps'), value: d.rpps ?? '' } : { title: f('structure'), value: `${d.structureKind} ${d.structureId}` },
    { title: f('profession'), value: t(`medimail:profession.${d.profession}`) },
    ...(d.specialty ? [{ title: f('specialty'), value: specialtyLabel(t, d.specialty) }] : []),
    { title: f('liberal'), value: yes(d.liberal) },
    { title: f('phones'), value: [d.phone, d.phone2].filter((p): p is string => Boolean(p)).map(formatPhone).join(' / ') },
    { title: f('address'), value: `${d.address}, ${d.postalCode} ${d.city}` },
    ...(d.raisonSociale ? [{ title: f('raisonSociale'), value: d.raisonSociale }] : []),
    ...(d.service ? [{ title: f('service'), value: d.service }] : []),
    { title: f('directory'), value: yes(d.directoryVisible) },
    { title: f('demat'), value: yes(d.dematerialisation) },
  ];
}
