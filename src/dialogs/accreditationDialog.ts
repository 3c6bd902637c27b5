import {
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { ActivityTypes, Channels, TurnContext, type StatePropertyAccessor } from 'botbuilder';
import { z } from 'zod';
import {
  adminFileData,
  adminRecapData,
  eligibilityData,
  entryData,
  HUB_ACTIONS,
  hubData,
  notEligibleData,
  registrationData,
  resendByNumberData,
  resendData,
  signInWaitData,
  type HubAction,
  type HubView,
  type RegistrationNotice,
} from '../cards/accreditation';
import { renderCard } from '../cards/render';
import { dateTime, time } from '../dates';
import type { Translator } from '../i18n';
import type { AccreditationRegistry, AccountView, AdministrativeFile } from '../services/accreditation/registry';
import { SPECIALTY_CODES, eligibilityVerdict, type EligibilityAnswers } from '../services/accreditation/specialties';
import { emailSchema, suggestEmail } from '../services/email';
import { department, departmentFromPostalCode, region } from '../services/geography';
import { checkFiness, checkProfessionalId } from '../services/identifiers';
import { checkFrenchPhone, formatPhone } from '../services/phone';
import { normalize } from '../services/text';
import { PERSON_NAME } from '../services/names';
import type { SecureLinks } from '../services/identity/secureLinks';
import { ATTESTATION_PURPOSE, FORGET_CONVERSATION_EVENT, NOTICE_EVENT, SIGN_IN_PURPOSE, SIGNED_IN_EVENT } from '../services/identity/linkPurposes';
import { allows, DECIDED } from '../services/accreditation/requestStatus';
import { CardPrompt, type CardPromptResult, type FieldValues } from './cardPrompt';
import { QUESTIONNAIRE_DIALOG, QuestionnaireDialog } from './questionnaireDialog';
import { PORTAL_DIALOG, PortalDialog } from './portalDialog';
import type { EngagementService } from '../services/accreditation/engagement';
import type { EprService } from '../services/accreditation/epr';
import { InterruptibleDialog } from './interruptibleDialog';
import { withinLimits } from './limits';
import type { RateLimits } from '../services/rateLimits';
import { carryButtons, noteError, tr, trustedEvent, turnKey, turnLocale } from './turn';
import { correctedEmailSchema } from './correctedEmail';
import { plain } from '../cards/adaptive';
import { SUPPORT_DIALOG, type SupportOptions } from './supportDialog';

/** The supporting documents of a request, as the hub lists them (SupportingDocuments). */
export interface RequestDocuments {
  list(accountId: string): Promise<{ filename: string; receivedAt: Date }[]>;
}

/** How a ticket to an OA reaches it: its configured address (shown), its experts (undefined address), or nobody (undefined). */
export type OaReach = (oaId: string) => Promise<{ address?: string } | undefined>;

export const ACCREDITATION_DIALOG = 'accreditation';
const ENTRY = 'acc.entry';
const REGISTER = 'acc.register';
const FORM_LOOP = 'acc.formLoop';
const HUB = 'acc.hub';
const RESEND = 'acc.resend';
const SIGN_IN = 'acc.signIn';
const ADMIN_FILE = 'acc.adminFile';

const P_ENTRY = 'acc.entryCard';
const P_ELIGIBILITY = 'acc.eligibilityCard';
const P_NOT_ELIGIBLE = 'acc.notEligibleCard';
const P_FORM = 'acc.formCard';
const P_HUB = 'acc.hubCard';
const P_RESEND = 'acc.resendCard';
const P_RESEND_NUMBER = 'acc.resendByNumberCard';
const P_WAIT = 'acc.signInWaitCard';
const P_ADMIN = 'acc.adminFileCard';
const P_RECAP = 'acc.adminRecapCard';

export const SESSION_IDLE_MS = 30 * 60 * 1000;

/** How the hub opens: with the history unfolded, or straight into « Faire une nouvelle demande ». */
interface HubOptions {
  history?: boolean;
  renew?: boolean;
}

/** What this conversation knows of the journey; persisted in conversation state. */
export interface AccreditationConversation {
  /** The request made (or reached) from this conversation. */
  request?: { accountId: string; canChangeEmail: boolean };
  /** Signed in on the secure page; ends after 30 minutes without activity. */
  session?: { accountId: string; lastActiveAt: number };
  /** The registration card's answers, kept while the form loop runs. */
  draft?: FieldValues;
}

// ---- card schemas (zod): each message key is in locales/*/common.json validation.* ----

const eligibilitySchema = z.object({
  physician: z.enum(['yes', 'no'], { message: 'choice' }),
  specialty: z.enum([...SPECIALTY_CODES, 'other'], { message: 'choice' }),
  interventional: z.enum(['yes', 'no', 'unsure'], { message: 'choice' }),
  establishment: z.enum(['yes', 'no', 'unsure'], { message: 'choice' }),
  practice: z.enum(['individual', 'team'], { message: 'choice' }),
});

const registrationSchema = z
  .object({
    civility: z.enum(['dr', 'mme', 'm'], { message: 'choice' }),
    lastName: z.string().trim().min(1).max(80).regex(PERSON_NAME, 'name'),
    firstName: z.string().trim().min(1).max(80).regex(PERSON_NAME, 'name'),
    identifier: z.string().superRefine((value, ctx) => {
      const check = checkProfessionalId(value);
      if (check.status === 'invalid') {
        ctx.addIssue({ code: 'custom', message: check.reason === 'empty' ? 'required' : check.reason === 'letters' ? 'identifierLetters' : 'identifierLength' });
      }
    }),
    specialty: z.enum(SPECIALTY_CODES, { message: 'choice' }),
    email: emailSchema,
    emailConfirm: z.string().trim().toLowerCase(),
    confirmKey: z.string().optional(),
    emailChecked: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.email !== v.emailConfirm) ctx.addIssue({ code: 'custom', path: ['emailConfirm'], message: 'emailMismatch' });
  });

const resendByNumberSchema = z.object({
  identifier: z.string().superRefine((value, ctx) => {
    const check = checkProfessionalId(value);
    if (check.status === 'invalid') ctx.addIssue({ code: 'custom', message: check.reason === 'empty' ? 'required' : check.reason === 'letters' ? 'identifierLetters' : 'identifierLength' });
  }),
});

const finessField = z
  .string()
  .trim()
  .optional()
  .superRefine((value, ctx) => {
    if (!value) return;
    const check = checkFiness(value);
    if (check.status === 'badKey') ctx.addIssue({ code: 'custom', message: 'finessKey' });
    else if (check.status === 'invalid') ctx.addIssue({ code: 'custom', message: 'finess' });
  });

const adminFileFormSchema = z
  .object({
    address: z.string().trim().min(1).max(200),
    addressMore: z.string().trim().max(200).optional(),
    postalCode: z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        const check = departmentFromPostalCode(value);
        if (check.status === 'invalid') ctx.addIssue({ code: 'custom', message: 'postalCode' });
        if (check.status === 'outside') ctx.addIssue({ code: 'custom', message: 'postalCodeOutside' });
      }),
    city: z.string().trim().min(1).max(100),
    cpamDepartment: z.string().refine((v) => Boolean(department(v)), 'choice'),
    crfmcRegion: z.string().refine((v) => Boolean(region(v)), 'choice'),
    practiceMode: z.enum(['liberal', 'salaried', 'mixed'], { message: 'choice' }),
    urmlRegion: z.string().optional(),
    establishment1: z.string().trim().min(1).max(150),
    finess1: finessField,
    establishment2: z.string().trim().max(150).optional(),
    finess2: finessField,
    establishment3: z.string().trim().max(150).optional(),
    finess3: finessField,
    mobile: z
      .string()
      .trim()
      .optional()
      .superRefine((v, ctx) => {
        if (!v) return;
        const check = checkFrenchPhone(v);
        if (check.status !== 'valid') ctx.addIssue({ code: 'custom', message: 'phone' });
        // A landline receives no SMS: the field asks for a mobile.
        else if (!check.mobile) ctx.addIssue({ code: 'custom', message: 'mobile' });
      }),
  })
  .superRefine((v, ctx) => {
    if (v.practiceMode !== 'salaried' && !region(v.urmlRegion ?? '')) ctx.addIssue({ code: 'custom', path: ['urmlRegion'], message: 'urmlRequired' });
  });
type AdminFileForm = z.infer<typeof adminFileFormSchema>;

/** The department is an input of the recap only when it is in doubt (see recapAdminFile). */
const recapSchema = (asked: boolean) =>
  z.object({ department: asked ? z.string().refine((v) => Boolean(department(v)), 'choice') : z.string().optional() });

const SIGN_OUT_WORDS = new Set(['me deconnecter', 'deconnexion', 'deconnecter', 'se deconnecter', 'sign out', 'log out', 'logout']);

/** "me déconnecter": a word of the accreditation journey, not a question for the root to answer. */
export function isSignOut(text: string): boolean {
  return SIGN_OUT_WORDS.has(normalize(text));
}

const NEW_REQUEST_WORDS = new Set([
  'nouvelle demande',
  'faire une nouvelle demande',
  'une nouvelle demande',
  'refaire une demande',
  'refaire ma demande',
  'new request',
  'make a new request',
]);

/** "nouvelle demande" typed (the whole message): the hub's « Faire une nouvelle demande ». */
export function isNewRequest(text: string): boolean {
  return NEW_REQUEST_WORDS.has(normalize(text));
}

/**
 * Accreditation, steps 1–2 of the seed: eligibility, "Pas encore inscrit" form, credentials by
 * e-mail, "Déjà inscrit" sign-in on the bot's secure page, personal password, administrative
 * file, and "Où en suis-je ?" at any time.
 */
export class AccreditationDialog extends InterruptibleDialog {
  constructor(
    private readonly registry: AccreditationRegistry,
    private readonly engagements: EngagementService,
    eprs: EprService,
    private readonly links: SecureLinks,
    private readonly state: StatePropertyAccessor<AccreditationConversation>,
    private readonly publicUrl: () => string,
    private readonly limits: RateLimits,
    private readonly documents: RequestDocuments,
    private readonly oaReach: OaReach,
    private readonly now: () => Date = () => new Date(),
  ) {
    super(ACCREDITATION_DIALOG);
    const signedIn = (context: TurnContext) => this.signedInAccount(context);
    this.addDialog(new QuestionnaireDialog(engagements, signedIn));
    this.addDialog(new PortalDialog(engagements, eprs, signedIn));

    this.addDialog(new CardPrompt(P_ENTRY, { verbs: ['register', 'signin', 'status'], schema: z.object({}), render: (t, v) => renderCard('accreditation/entry', entryData(t, v.promptId)) }));
    this.addDialog(new CardPrompt(P_ELIGIBILITY, { verbs: ['submit'], validate: ['submit'], schema: eligibilitySchema, fields: ELIGIBILITY_FIELDS, render: (t, v) => renderCard('accreditation/eligibility', eligibilityData(t, v)) }));
    this.addDialog(
      new CardPrompt(P_NOT_ELIGIBLE, {
        verbs: ['menu', 'continue'],
        schema: z.object({}),
        render: (t, v) => renderCard('accreditation/notEligible', notEligibleData(t, v.promptId, v.values.reason ?? 'specialty', v.values.specialty)),
      }),
    );
    this.addDialog(
      new CardPrompt(P_FORM, {
        verbs: ['submit', 'useSuggestion'],
        validate: ['submit'],
        schema: registrationSchema,
        fields: REGISTRATION_FIELDS,
        render: (t, v) => renderCard('accreditation/registration', registrationData(t, v, noticeOf(v.values))),
      }),
    );
    this.addDialog(
      new CardPrompt(P_HUB, {
        verbs: HUB_ACTIONS,
        schema: z.object({}),
        render: (t, v) => renderCard('accreditation/hub', hubData(t, { ...(JSON.parse(v.values.hub ?? '{}') as Omit<HubView, 'promptId'>), promptId: v.promptId })),
      }),
    );
    this.addDialog(
      new CardPrompt(P_RESEND, {
        verbs: ['submit', 'back'],
        validate: ['submit'],
        schema: correctedEmailSchema({}, { required: false }),
        schemaFor: (verb, shown) => (verb === 'submit' ? correctedEmailSchema(shown, { required: false }) : undefined),
        fields: { email: { label: 'accreditation:resend.email', example: 'accreditation:form.emailExample' } },
        render: (t, v) =>
          renderCard(
            'accreditation/resend',
            resendData(t, v, { date: v.values.lastAt ? dateTime(t, new Date(v.values.lastAt)) : '', maskedEmail: v.values.lastEmail ?? '' }, v.values.canChangeEmail === 'true'),
          ),
      }),
    );
    this.addDialog(
      new CardPrompt(P_RESEND_NUMBER, {
        verbs: ['submit', 'back'],
        validate: ['submit'],
        schema: resendByNumberSchema,
        fields: { identifier: { label: 'accreditation:form.identifier', example: 'accreditation:form.identifierExample' } },
        render: (t, v) => renderCard('accreditation/resendByNumber', resendByNumberData(t, v)),
      }),
    );
    this.addDialog(
      new CardPrompt(P_WAIT, { verbs: ['newLink', 'resend', 'back', 'menu'], schema: z.object({}), events: [SIGNED_IN_EVENT], render: (t, v) => renderCard('accreditation/signInWait', signInWaitData(t, v.promptId)) }),
    );
    this.addDialog(new CardPrompt(P_ADMIN, { verbs: ['submit', 'back'], validate: ['submit'], schema: adminFileFormSchema, fields: ADMIN_FIELDS, render: (t, v) => renderCard('accreditation/adminFile', adminFileData(t, v)) }));
    this.addDialog(
      new CardPrompt(P_RECAP, {
        verbs: ['save', 'edit'],
        validate: ['save'],
        schema: recapSchema(false),
        schemaFor: (verb, shown) => (verb === 'save' ? recapSchema(shown.askDepartment === '1') : undefined),
        fields: { department: { label: 'accreditation:adminFile.department' } },
        render: (t, v) => {
          const form = adminFileFormSchema.parse(JSON.parse(v.values.form ?? '{}'));
          const deduced = deducedDepartment(form);
          const doubt = v.values.askDepartment === '1' ? { postalCode: form.postalCode, deduced, cpam: form.cpamDepartment } : undefined;
          return renderCard('accreditation/adminRecap', adminRecapData(t, v, adminFacts(t, form, doubt ? undefined : deduced), doubt));
        },
      }),
    );

    this.addDialog(new WaterfallDialog(ENTRY, [this.offerEntry.bind(this), this.routeEntry.bind(this)]));
    this.addDialog(new WaterfallDialog(REGISTER, [this.askEligibility.bind(this), this.checkEligibility.bind(this), this.afterNotEligible.bind(this)]));
    this.addDialog(new WaterfallDialog(FORM_LOOP, [this.askRegistration.bind(this), this.checkRegistration.bind(this)]));
    this.addDialog(new WaterfallDialog(HUB, [this.showHub.bind(this), this.routeHub.bind(this), this.afterChild.bind(this)]));
    this.addDialog(new WaterfallDialog(RESEND, [this.askResend.bind(this), this.doResend.bind(this)]));
    this.addDialog(new WaterfallDialog(SIGN_IN, [this.sendSignInLink.bind(this), this.afterSignIn.bind(this)]));
    this.addDialog(new WaterfallDialog(ADMIN_FILE, [this.askAdminFile.bind(this), this.recapAdminFile.bind(this), this.saveAdminFile.bind(this)]));
    this.initialDialogId = ENTRY;
  }

  /** Keeps the sign-in alive while the user is active, and understands "me déconnecter". */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const conversation = await this.state.get(innerDc.context, {});
    const session = conversation.session;
    if (session) {
      if (this.now().getTime() - session.lastActiveAt > SESSION_IDLE_MS) {
        delete conversation.session;
        await innerDc.context.sendActivity(tr(innerDc.context)('accreditation:signin.expired'));
      } else {
        session.lastActiveAt = this.now().getTime();
      }
    }
    const { activity } = innerDc.context;
    if (activity.type === 'message' && !activity.value && activity.text && isSignOut(activity.text)) {
      await this.signOut(innerDc.context, conversation);
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(HUB);
    }
    if (activity.type === 'message' && !activity.value && activity.text && isNewRequest(activity.text)) {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(HUB, { renew: true } satisfies HubOptions);
    }
    // The expert decided (another conversation): the notice, then the hub as it is now — never the old one.
    const event = trustedEvent(innerDc.context);
    if (event?.name === NOTICE_EVENT && event.value.kind === 'evaluated') {
      event.taken = true;
      const signedIn = await this.signedInAccount(innerDc.context);
      await innerDc.context.sendActivity(tr(innerDc.context)(signedIn ? 'accreditation:notice.evaluatedSignedIn' : 'accreditation:notice.evaluatedSignedOut'));
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(HUB);
    }
    return super.onContinueDialog(innerDc);
  }

  // ---- entry ----

  /** Already signed in: straight to where the user is. Otherwise the two doors of the seed. */
  private async offerEntry(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const asked = (step.options as { start?: string } | undefined)?.start;
    if (asked === 'renew') return step.replaceDialog(HUB, { renew: true } satisfies HubOptions);
    if (asked === 'status' || (await this.signedInAccount(step.context))) return step.replaceDialog(HUB);
    return step.beginDialog(P_ENTRY);
  }

  private async routeEntry(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'register') return step.replaceDialog(REGISTER);
    if (verb === 'signin') return step.replaceDialog(SIGN_IN);
    return step.replaceDialog(HUB);
  }

  // ---- step 0: eligibility ----

  private async askEligibility(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(P_ELIGIBILITY);
  }

  /**
   * The check ends with its verdict in one sentence (D.4135-2). Not concerned: why, and what exists
   * instead, never a dead end. Concerned, or concerned if what the user did not know holds: the form.
   */
  private async checkEligibility(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answers = (step.result as CardPromptResult<EligibilityAnswers>).values;
    const conversation = await this.state.get(step.context, {});
    conversation.draft = {
      ...(answers.specialty !== 'other' ? { specialty: answers.specialty } : {}),
      practice: answers.practice,
    };
    const verdict = eligibilityVerdict(answers);
    const specialty = answers.specialty !== 'other' ? answers.specialty : '';
    if (verdict.kind === 'notConcerned') return step.beginDialog(P_NOT_ELIGIBLE, { values: { reason: verdict.reason, specialty } });
    const t = tr(step.context);
    const v = (key: string, options?: Record<string, unknown>) => t(`accreditation:eligibility.verdict.${key}`, { specialty: t(`accreditation:specialty.${specialty}`), ...options });
    if (verdict.kind === 'concerned') await step.context.sendActivity(v(verdict.interventional ? 'concernedInterventional' : 'concerned'));
    else await step.context.sendActivity(v('unsure', { condition: v(verdict.establishment && verdict.interventional ? 'ifBoth' : verdict.establishment ? 'ifEstablishment' : 'ifInterventional') }));
    return step.replaceDialog(FORM_LOOP, conversation.draft);
  }

  private async afterNotEligible(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb } = step.result as CardPromptResult<FieldValues>;
    if (verb === 'continue') return step.replaceDialog(FORM_LOOP, (await this.state.get(step.context, {})).draft);
    return step.endDialog();
  }

  // ---- step 1: "Pas encore inscrit" ----

  private async askRegistration(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(P_FORM, { values: (step.options as FieldValues | undefined) ?? {} });
  }

  /**
   * The form is valid; before creating the request, the checks that need the user's word:
   * 8 + RPPS → the RPPS proposed; a failed key → confirm or correct; a likely e-mail typo → one click.
   */
  private async checkRegistration(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<z.infer<typeof registrationSchema> & FieldValues>;
    const practice = ((step.options as FieldValues | undefined) ?? {}).practice ?? 'individual';
    if (verb === 'useSuggestion') {
      const suggestion = values.suggestion ?? '';
      return step.replaceDialog(FORM_LOOP, { ...values, practice, email: suggestion, emailConfirm: suggestion, emailChecked: suggestion, suggestion: '' });
    }
    const keep = { ...stringify(values), practice };
    const id = checkProfessionalId(values.identifier);
    // The warnings below are problems the user met: the helpdesk sees them as it sees a refused field.
    if (id.status === 'nationalId') {
      noteError(step.context, tr(step.context)('accreditation:form.nationalId', { value: id.value, rpps: id.rpps }));
      return step.replaceDialog(FORM_LOOP, { ...keep, identifier: id.rpps, notice: 'nationalId', noticeValue: id.value, rpps: id.rpps });
    }
    if (id.status === 'badKey' && values.confirmKey !== 'true') {
      noteError(step.context, tr(step.context)('accreditation:form.badKey', { value: id.value }));
      return step.replaceDialog(FORM_LOOP, { ...keep, identifier: id.value, notice: 'badKey', noticeValue: id.value });
    }
    const suggestion = suggestEmail(values.email);
    if (suggestion && values.emailChecked !== values.email) {
      return step.replaceDialog(FORM_LOOP, { ...keep, notice: 'emailSuggestion', suggestion, confirmKey: values.confirmKey ?? '' });
    }
    if (id.status !== 'valid' && id.status !== 'badKey') return step.replaceDialog(FORM_LOOP, keep);
    // Each request mails credentials: a few per client, and per address, whoever asks.
    if (!(await withinLimits(step.context, this.limits, 'registration', [values.email]))) return step.replaceDialog(FORM_LOOP, keep);

    const t = tr(step.context);
    const result = await this.registry.register({
      civility: values.civility,
      lastName: values.lastName,
      firstName: values.firstName,
      identifier: id.value,
      identifierKeyOk: id.status === 'valid',
      specialty: values.specialty,
      practice: practice === 'team' ? 'team' : 'individual',
      email: values.email,
      locale: turnLocale(step.context),
      requestKey: turnKey(step.context),
    });
    const conversation = await this.state.get(step.context, {});
    delete conversation.draft;
    if (result.status === 'created') {
      conversation.request = { accountId: result.accountId, canChangeEmail: true };
      await step.context.sendActivity(t('accreditation:created.text', { email: result.maskedEmail, kind: id.kind, identifier: id.value }));
      await step.context.sendActivity(t('accreditation:created.spam'));
    } else {
      // Someone already registered this number: sign-in, or a new mail to the address on file only.
      conversation.request = { accountId: result.accountId, canChangeEmail: false };
      await step.context.sendActivity(t('accreditation:duplicate.text', { identifier: id.value, email: result.maskedEmail }));
      await step.context.sendActivity(t('accreditation:duplicate.hint'));
    }
    return step.replaceDialog(HUB);
  }

  // ---- "Où en suis-je ?" ----

  private async showHub(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as HubOptions;
    if (options.renew) return this.renew(step);
    const hub = await this.hubView(step.context, options.history);
    return step.beginDialog(P_HUB, { values: { hub: JSON.stringify(hub) } });
  }

  private async routeHub(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // Back from the questionnaire opened by a new request (begun in the first step): as after any child.
    if (!(step.result as Partial<CardPromptResult<FieldValues>> | undefined)?.verb) return this.afterChild(step);
    const { verb } = step.result as CardPromptResult<FieldValues>;
    switch (verb) {
      case 'signin':
        return step.replaceDialog(SIGN_IN);
      case 'resend':
        return step.replaceDialog(RESEND);
      case 'adminFile':
      case 'editAdminFile':
        return step.replaceDialog(ADMIN_FILE);
      case 'register':
        return step.replaceDialog(REGISTER);
      case 'questionnaire':
      case 'completeQuestionnaire':
      case 'readQuestionnaire':
        return step.beginDialog(QUESTIONNAIRE_DIALOG);
      case 'portal':
        return step.beginDialog(PORTAL_DIALOG);
      case 'attestation':
        await this.sendAttestationLink(step.context);
        return step.replaceDialog(HUB);
      case 'signout':
        await this.signOut(step.context, await this.state.get(step.context, {}));
        return step.replaceDialog(HUB);
      case 'renew':
        return this.renew(step);
      case 'history':
        return step.replaceDialog(HUB, { history: true } satisfies HubOptions);
      case 'contactOa':
        // The helpdesk ticket, already addressed to the request's OA; the hub comes back after it.
        return step.beginDialog(SUPPORT_DIALOG, { route: 'oa', journey: 'accreditation' } satisfies SupportOptions);
      default:
        return step.endDialog();
    }
  }

  /** Back from the questionnaire or the portal: where the user is now (or sign in again). */
  private async afterChild(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const outcome = (step.result as { outcome?: string } | undefined)?.outcome;
    if (outcome === 'expired') {
      await step.context.sendActivity(tr(step.context)('accreditation:adminFile.signinFirst'));
      return step.replaceDialog(SIGN_IN);
    }
    return step.replaceDialog(HUB);
  }

  /**
   * The request's status in one line, what comes next with its action first, and — when asked —
   * the history: all derived from the one status of the request (requestStatus.ts), signed in or not.
   */
  private async hubView(context: TurnContext, showHistory = false): Promise<Omit<HubView, 'promptId'>> {
    const conversation = await this.state.get(context, {});
    const signedIn = await this.signedInAccount(context);
    const accountId = signedIn?.id ?? conversation.request?.accountId;
    const status = accountId ? await this.engagements.status(accountId) : undefined;
    if (!status) return { line: 'none', history: [], next: 'nextSigninAny', actions: ['register', 'signin', 'resend', 'menu'] };
    // A request made elsewhere and only found by its number here (a duplicate) shows nothing of its
    // status nor history until its holder signs in: whoever typed a number learns no dates nor addresses.
    const madeHere = Boolean(signedIn) || Boolean(conversation.request?.canChangeEmail);
    const history = showHistory && madeHere
      ? (await this.registry.history(status.accountId))
          .filter((e) => signedIn || e.type === 'REQUEST_CREATED' || e.type === 'CREDENTIALS_SENT' || e.type === 'EMAIL_CHANGED')
          .map((e) => ({ type: e.type, detail: e.detail, at: e.at.toISOString() }))
      : [];
    const more: HubAction[] = madeHere && !showHistory ? ['history'] : [];
    const about = {
      oa: status.oa.name,
      date: status.since.toISOString(),
      comment: status.comment,
      current: status.section.current,
      total: status.section.total,
    };
    if (!signedIn) {
      // The decision is read only once signed in (the seed: "pour connaître la décision, connectez-vous").
      const next = status.hasPersonalPassword ? 'nextSigninPersonal' : 'nextSignin';
      const actions: HubAction[] = ['signin', 'resend', ...more, 'menu'];
      if (!madeHere) return { line: 'known', history, next, actions };
      const line = DECIDED.includes(status.state) ? 'evaluated' : status.state === 'SIGNED_IN' || status.state === 'FILE_COMPLETE' || status.state === 'QUESTIONNAIRE' ? 'CREDENTIALS_SENT' : status.state;
      const shown = line === 'CREDENTIALS_SENT' ? { ...about, date: (status.state === 'CREDENTIALS_SENT' ? status.since : (await this.lastCredentials(status.accountId)) ?? status.since).toISOString() } : about;
      return { line, history, next, about: line === 'evaluated' ? { ...about, date: (status.decidedAt ?? status.since).toISOString() } : shown, actions };
    }
    const signedInAs = { civility: signedIn.civility, firstName: signedIn.firstName, lastName: signedIn.lastName };
    // What the expert has: the documents sent for a complement, named and dated.
    const documents = (await this.documents.list(status.accountId)).map((d) => ({ name: d.filename, at: d.receivedAt.toISOString() }));
    const base = { signedInAs, history, about, documents };
    const tail: HubAction[] = [...more, 'signout', 'menu'];
    switch (status.state) {
      case 'CREDENTIALS_SENT':
      case 'SIGNED_IN':
        return { ...base, line: 'SIGNED_IN', next: 'nextAdminFile', actions: ['adminFile', ...tail] };
      case 'FILE_COMPLETE':
        return { ...base, line: 'FILE_COMPLETE', next: 'nextQuestionnaire', actions: ['questionnaire', 'editAdminFile', ...tail] };
      case 'QUESTIONNAIRE':
        return { ...base, line: status.round > 1 ? 'RENEWED' : 'QUESTIONNAIRE', next: 'nextResume', actions: ['questionnaire', 'editAdminFile', ...tail] };
      case 'SENT':
        return { ...base, line: 'SENT', next: 'waiting', actions: ['readQuestionnaire', 'editAdminFile', ...tail] };
      case 'TO_COMPLETE':
        return { ...base, line: 'TO_COMPLETE', next: 'toComplete', actions: ['completeQuestionnaire', ...tail] };
      case 'REFUSED': {
        // The OA's contact is what Sésame truly has (knowledge.md has no public address of the OAs).
        const reach = await this.oaReach(status.oa.id);
        const contact = reach ? (reach.address ? { reach: 'address' as const, address: reach.address } : { reach: 'experts' as const }) : { reach: 'none' as const };
        // Five actions at most (Adaptive Cards hosts): the answers are read again in the new request.
        return { ...base, contact, line: 'REFUSED', next: 'refused', actions: ['renew', 'contactOa', ...tail] };
      }
      case 'ACCEPTED':
        // The decision is read: the attestation is generated and mailed with the receipt, once.
        await this.engagements.recordAttestation(signedIn.id);
        return { ...base, line: 'ACCEPTED', next: 'engaged', actions: ['portal', 'attestation', ...tail] };
    }
  }

  private async lastCredentials(accountId: string): Promise<Date | undefined> {
    return (await this.registry.history(accountId)).filter((e) => e.type === 'CREDENTIALS_SENT').at(-1)?.at;
  }

  /**
   * « Faire une nouvelle demande » (button or typed): after a refusal only, signed in; the
   * questionnaire opens again with the last answers. Anything else says why and shows the status.
   */
  private async renew(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const account = await this.signedInAccount(step.context);
    if (!account) {
      await step.context.sendActivity(t('accreditation:renew.signinFirst'));
      return step.replaceDialog(SIGN_IN);
    }
    const status = await this.engagements.status(account.id);
    if (!status || !allows(status.state, 'renew')) {
      await step.context.sendActivity(t('accreditation:renew.notRefused'));
      return step.replaceDialog(HUB);
    }
    await this.engagements.renew(account.id);
    await step.context.sendActivity(t('accreditation:renew.done', { oa: status.oa.name ?? t('accreditation:hub.yourOa') }));
    return step.beginDialog(QUESTIONNAIRE_DIALOG, { section: 0 });
  }

  /** The attestation d'engagement as a PDF, by a personal one-time link; it is also posted. */
  private async sendAttestationLink(context: TurnContext): Promise<void> {
    const account = await this.signedInAccount(context);
    if (!account) return;
    await this.engagements.recordAttestation(account.id);
    const link = await this.links.create(ATTESTATION_PURPOSE, { locale: turnLocale(context) }, 15, account.id);
    await context.sendActivity(tr(context)('accreditation:attestation.link', { url: `${this.publicUrl()}/compte/attestation/${link.token}` }));
  }

  // ---- "Je n'ai pas reçu le mail" ----

  private async askResend(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const request = (await this.state.get(step.context, {})).request;
    const signedIn = await this.signedInAccount(step.context);
    const accountId = signedIn?.id ?? request?.accountId;
    // No request here (a new device, after signing out): the number is asked, the mail goes to the address on file.
    if (!accountId) return step.beginDialog(P_RESEND_NUMBER);
    // The hourly limit is said before the card is filled, not after.
    const blockedUntil = await this.registry.resendBlockedUntil(accountId);
    if (blockedUntil) return this.resendLimited(step, blockedUntil);
    const account = await this.registry.account(accountId);
    // When the last mail left is said only to the conversation the request was made or signed in from.
    const madeHere = Boolean(signedIn) || Boolean(request?.canChangeEmail);
    const last = madeHere ? (await this.registry.history(accountId)).filter((e) => e.type === 'CREDENTIALS_SENT').at(-1) : undefined;
    const canChangeEmail = Boolean(signedIn) || (Boolean(request?.canChangeEmail) && !account?.everSignedIn);
    // The address on file itself looks like a typo (kept as typed at registration): said at once, on the card.
    const suggestion = canChangeEmail && account ? suggestEmail(account.email) : undefined;
    const t = tr(step.context);
    return step.beginDialog(P_RESEND, {
      errors: suggestion ? { email: t('validation.emailTypo', { field: t('accreditation:resend.email'), suggestion }) } : {},
      values: {
        email: canChangeEmail ? (account?.email ?? '') : '',
        lastAt: last ? last.at.toISOString() : '',
        lastEmail: last?.detail ?? '',
        canChangeEmail: String(canChangeEmail),
      },
    });
  }

  private async doResend(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ email?: string; identifier?: string }>;
    if (verb !== 'submit') return step.replaceDialog(HUB);
    const t = tr(step.context);
    const request = (await this.state.get(step.context, {})).request;
    const signedIn = await this.signedInAccount(step.context);
    const accountId = signedIn?.id ?? request?.accountId;
    if (!accountId) return this.resendByNumber(step, values.identifier ?? '');
    if (!(await withinLimits(step.context, this.limits, 'registration', values.email ? [values.email] : []))) return step.replaceDialog(HUB);
    const result = await this.registry.resendCredentials(accountId, request?.canChangeEmail || signedIn ? values.email : undefined, { signedIn: Boolean(signedIn) });
    if (result.status === 'rateLimited') return this.resendLimited(step, result.retryAt);
    else {
      await step.context.sendActivity(t('accreditation:resend.done', { email: result.maskedEmail }));
      await step.context.sendActivity(t('accreditation:created.spam'));
    }
    return step.replaceDialog(HUB);
  }

  /** Too many mails this hour: when the next one may leave, and the helpdesk one tap away (under the hub that follows). */
  private async resendLimited(step: WaterfallStepContext, retryAt: Date): Promise<DialogTurnResult> {
    const t = tr(step.context);
    await step.context.sendActivity(t('accreditation:resend.rateLimited', { time: time(t, retryAt) }));
    carryButtons(step.context, [t('understand.support')]);
    return step.replaceDialog(HUB);
  }

  /**
   * A new temporary password for a number, to the address of its request only, and the same answer
   * whether a request exists or not: typing numbers tells nobody who is registered.
   */
  private async resendByNumber(step: WaterfallStepContext, typed: string): Promise<DialogTurnResult> {
    const t = tr(step.context);
    if (!(await withinLimits(step.context, this.limits, 'registration'))) return step.replaceDialog(HUB);
    const id = checkProfessionalId(typed);
    const number = id.status === 'nationalId' ? id.rpps : id.value;
    // Sent, unknown, or already sent three times this hour: one answer (a request's own limit is not a hint).
    await this.registry.resendByIdentifier(number);
    await step.context.sendActivity(t('accreditation:resend.byNumberDone', { identifier: number }));
    return step.replaceDialog(HUB);
  }

  // ---- step 2: "Déjà inscrit" — sign-in on the secure page ----

  /** A one-time link bound to this conversation; secrets are typed on the page, never here. */
  private async sendSignInLink(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const reference = { ...TurnContext.getConversationReference(step.context.activity), locale: turnLocale(step.context) };
    const link = await this.links.create(SIGN_IN_PURPOSE, reference);
    await step.context.sendActivity(t('accreditation:signin.link', { url: `${this.publicUrl()}/compte/connexion/${link.token}` }));
    await step.context.sendActivity(t('accreditation:signin.why'));
    return step.beginDialog(P_WAIT);
  }

  private async afterSignIn(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ linkId?: string }>;
    if (verb === 'newLink') return step.replaceDialog(SIGN_IN);
    if (verb === 'resend') return step.replaceDialog(RESEND);
    if (verb === 'back') return step.replaceDialog(HUB);
    if (verb === 'menu') return step.endDialog();
    const t = tr(step.context);
    const accountId = values.linkId ? await this.links.consume(values.linkId, step.context.activity.conversation.id) : undefined;
    const account = accountId ? await this.registry.account(accountId) : undefined;
    if (!account) {
      await step.context.sendActivity(t('accreditation:signin.failed'));
      return step.replaceDialog(SIGN_IN);
    }
    const conversation = await this.state.get(step.context, {});
    conversation.session = { accountId: account.id, lastActiveAt: this.now().getTime() };
    conversation.request = { accountId: account.id, canChangeEmail: true };
    await this.engagements.rememberConversation(account.id, step.context.activity.conversation.id, TurnContext.getConversationReference(step.context.activity));
    await step.context.sendActivity(t('accreditation:signin.connected', { name: plain(`${t(`mail:civility.${account.civility}`)} ${account.firstName} ${account.lastName}`) }));
    return step.replaceDialog(account.adminFile ? HUB : ADMIN_FILE);
  }

  // ---- step 2: administrative file ----

  private async askAdminFile(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const account = await this.signedInAccount(step.context);
    if (!account) {
      await step.context.sendActivity(tr(step.context)('accreditation:adminFile.signinFirst'));
      return step.replaceDialog(SIGN_IN);
    }
    const values = (step.options as FieldValues | undefined) ?? (account.adminFile ? formValues(account.adminFile) : {});
    return step.beginDialog(P_ADMIN, { values });
  }

  /**
   * The recap. The department of the address comes from the postal code and is not asked again —
   * unless the CPAM's department, answered in the form, disagrees (a border commune, knowledge §3.2).
   */
  private async recapAdminFile(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<AdminFileForm>;
    if (verb === 'back') return step.replaceDialog(HUB);
    const derived = deducedDepartment(values);
    const form = stringify(values);
    (await this.state.get(step.context, {})).draft = form;
    const askDepartment = derived !== values.cpamDepartment ? '1' : '0';
    return step.beginDialog(P_RECAP, { values: { department: derived, form: JSON.stringify(form), askDepartment } });
  }

  private async saveAdminFile(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { verb, values } = step.result as CardPromptResult<{ department?: string }>;
    const conversation = await this.state.get(step.context, {});
    const form = conversation.draft ?? {};
    if (verb === 'edit') return step.replaceDialog(ADMIN_FILE, form);
    const account = await this.signedInAccount(step.context);
    if (!account) {
      await step.context.sendActivity(tr(step.context)('accreditation:adminFile.signinFirst'));
      return step.replaceDialog(SIGN_IN);
    }
    const parsed = adminFileFormSchema.parse(form);
    const chosen = values.department && department(values.department) ? values.department : deducedDepartment(parsed);
    await this.registry.saveAdministrativeFile(account.id, toAdministrativeFile(parsed, chosen));
    delete conversation.draft;
    await step.context.sendActivity(tr(step.context)('accreditation:adminFile.saved'));
    return step.replaceDialog(HUB);
  }

  // ---- session ----

  private async signedInAccount(context: TurnContext): Promise<AccountView | undefined> {
    const session = (await this.state.get(context, {})).session;
    if (!session || this.now().getTime() - session.lastActiveAt > SESSION_IDLE_MS) return undefined;
    return this.registry.account(session.accountId);
  }

  /**
   * Signing out forgets the request too, signed in or not: the next person at a shared computer sees
   * nothing of it and cannot send its credentials elsewhere.
   */
  private async signOut(context: TurnContext, conversation: AccreditationConversation): Promise<void> {
    const t: Translator = tr(context);
    const said = conversation.session ? 'signedOut' : conversation.request ? 'forgotten' : 'notSignedIn';
    delete conversation.session;
    delete conversation.request;
    await context.sendActivity(t(`accreditation:signin.${said}`));
    // Sésame's chat page then starts afresh: the next person at the computer does not scroll back into this one.
    if (said !== 'notSignedIn' && context.activity.channelId === Channels.Directline) await context.sendActivity({ type: ActivityTypes.Event, name: FORGET_CONVERSATION_EVENT });
  }
}

const ELIGIBILITY_FIELDS = {
  physician: { label: 'accreditation:eligibility.physician' },
  specialty: { label: 'accreditation:eligibility.specialty' },
  interventional: { label: 'accreditation:eligibility.interventional' },
  establishment: { label: 'accreditation:eligibility.establishment' },
  practice: { label: 'accreditation:eligibility.practice' },
};

const REGISTRATION_FIELDS = {
  civility: { label: 'accreditation:form.civility' },
  lastName: { label: 'accreditation:form.lastName', example: 'accreditation:form.nameExample' },
  firstName: { label: 'accreditation:form.firstName', example: 'accreditation:form.firstNameExample' },
  identifier: { label: 'accreditation:form.identifier', example: 'accreditation:form.identifierExample' },
  specialty: { label: 'accreditation:form.specialty' },
  email: { label: 'accreditation:form.email', example: 'accreditation:form.emailExample' },
  emailConfirm: { label: 'accreditation:form.emailConfirm' },
};

const ADMIN_FIELDS = {
  address: { label: 'accreditation:adminFile.address', example: 'accreditation:adminFile.addressExample' },
  postalCode: { label: 'accreditation:adminFile.postalCode', example: 'accreditation:adminFile.postalCodeExample' },
  city: { label: 'accreditation:adminFile.city', example: 'accreditation:adminFile.cityExample' },
  cpamDepartment: { label: 'accreditation:adminFile.cpamDepartment' },
  crfmcRegion: { label: 'accreditation:adminFile.crfmcRegion' },
  practiceMode: { label: 'accreditation:adminFile.practiceMode' },
  urmlRegion: { label: 'accreditation:adminFile.urmlRegion' },
  establishment1: { label: 'accreditation:adminFile.establishment', example: 'accreditation:adminFile.establishmentExample' },
  finess1: { label: 'accreditation:adminFile.finess', example: 'accreditation:adminFile.finessExample' },
  finess2: { label: 'accreditation:adminFile.finess', example: 'accreditation:adminFile.finessExample' },
  finess3: { label: 'accreditation:adminFile.finess', example: 'accreditation:adminFile.finessExample' },
  mobile: { label: 'accreditation:adminFile.mobile', example: 'accreditation:adminFile.mobileExample' },
};

/**
 * The notice a registration card shows — only while it is still about what the card holds: a warning
 * on a number the user has since corrected is gone, even if the card comes back for another field.
 */
export function noticeOf(values: FieldValues): RegistrationNotice {
  const notice = values.notice as RegistrationNotice['notice'] | undefined;
  const identifier = (values.identifier ?? '').replace(/\s/g, '');
  if (notice === 'badKey' && values.noticeValue !== identifier) return {};
  if (notice === 'nationalId' && values.rpps !== identifier) return {};
  return { notice, value: values.noticeValue, rpps: values.rpps, suggestion: values.suggestion };
}

function stringify(values: object): FieldValues {
  const out: FieldValues = {};
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string') out[key] = value;
  return out;
}

/** The department of the address: the postal code's, else (a code the table does not know) the CPAM's. */
function deducedDepartment(values: Pick<AdminFileForm, 'postalCode' | 'cpamDepartment'>): string {
  const postal = departmentFromPostalCode(values.postalCode);
  return postal.status === 'valid' ? postal.department.code : values.cpamDepartment;
}

/** The recap's lines, in the user's language; the address's department among them when it is not asked. */
function adminFacts(t: Translator, values: AdminFileForm, addressDepartment?: string): { title: string; value: string }[] {
  const a = (key: string) => t(`accreditation:adminFile.${key}`);
  const cpam = department(values.cpamDepartment);
  const home = addressDepartment ? department(addressDepartment) : undefined;
  return [
    { title: a('address'), value: [values.address, values.addressMore].filter(Boolean).join(', ') },
    { title: a('postalCode'), value: `${values.postalCode} ${values.city}` },
    ...(home ? [{ title: a('departmentDeduced'), value: `${home.name} (${home.code})` }] : []),
    { title: a('cpamDepartment'), value: cpam ? `${cpam.name} (${cpam.code})` : '' },
    { title: a('crfmcRegion'), value: region(values.crfmcRegion)?.name ?? '' },
    { title: a('practiceMode'), value: a(values.practiceMode) },
    ...(values.practiceMode !== 'salaried' ? [{ title: a('urmlRegion'), value: region(values.urmlRegion ?? '')?.name ?? '' }] : []),
    ...establishmentsOf(values).map((e, i) => ({
      title: t('accreditation:adminFile.establishment', { n: i + 1 }),
      value: e.finess ? `${e.name} (FINESS ${e.finess})` : e.name,
    })),
    ...(values.mobile ? [{ title: a('mobile'), value: formatPhone(checkFrenchPhone(values.mobile).value) }] : []),
  ];
}

function establishmentsOf(values: AdminFileForm): { name: string; finess?: string }[] {
  return ([1, 2, 3] as const)
    .map((n) => ({ name: values[`establishment${n}`] ?? '', finess: values[`finess${n}`] }))
    .filter((e) => e.name)
    .map((e) => ({ name: e.name, finess: e.finess ? checkFiness(e.finess).value : undefined }));
}

function toAdministrativeFile(values: AdminFileForm, departmentCode: string): AdministrativeFile {
  return {
    address: values.address,
    addressMore: values.addressMore || undefined,
    postalCode: values.postalCode,
    city: values.city,
    department: departmentCode,
    cpamDepartment: values.cpamDepartment,
    crfmcRegion: values.crfmcRegion,
    practiceMode: values.practiceMode,
    urmlRegion: values.practiceMode !== 'salaried' ? values.urmlRegion : undefined,
    establishments: establishmentsOf(values),
    mobile: values.mobile ? checkFrenchPhone(values.mobile).value : undefined,
  };
}

/** A saved file back into the card's fields, to edit it. */
function formValues(file: AdministrativeFile): FieldValues {
  const values: FieldValues = {
    address: file.address,
    addressMore: file.addressMore ?? '',
    postalCode: file.postalCode,
    city: file.city,
    cpamDepartment: file.cpamDepartment,
    crfmcRegion: file.crfmcRegion,
    practiceMode: file.practiceMode,
    urmlRegion: file.urmlRegion ?? '',
    mobile: file.mobile ? formatPhone(file.mobile) : '',
  };
  file.establishments.forEach((e, i) => {
    values[`establishment${i + 1}`] = e.name;
    values[`finess${i + 1}`] = e.finess ?? '';
  });
  return values;
}
