import crypto from 'node:crypto';
import type { i18n as I18n } from 'i18next';
import { z } from 'zod';
import type { Db } from '../db/database';
import type { Outbox } from '../mail/outbox';
import type { DeskAccounts } from '../desk/deskAccounts';
import { conversationKeyOf, type SecureLinks } from '../identity/secureLinks';
import { checkNewPassword, hashPassword, type PasswordProblem } from '../identity/passwords';
import type { SecretBox } from '../identity/secretBox';
import { SignInThrottle, verifyOrWaste } from '../identity/signInThrottle';
import { lockedMail } from '../identity/lockNotice';
import { PERSON_NAME } from '../names';
import { maskEmail } from '../email';
import { DeskAccessError } from '../accreditation/engagement';
import { SPECIALTY_CODES as ACCREDITATION_SPECIALTY_CODES } from '../accreditation/specialties';
import { SPECIALTY_CODES } from './nomenclature';
import type { Locale } from '../../i18n';
import { MEDIMAIL_CONFIRM, MEDIMAIL_PASSWORD } from '../identity/linkPurposes';
import { mssLabelFor } from './mssDomains';
import { PROFESSION_CODES, borderlineAddress, distinctAddress, mssAddressFor, type ProfessionCode } from './mssAddress';
import { isMedimailStatus, isRejectPart, statusesFor, transition, type MedimailSituation, type MedimailStatus, type RejectPart } from './accountStatus';

export type { MedimailStatus } from './accountStatus';

/** The finalisation's professional information (seed 003, step 4). */
export const detailsSchema = z.object({
  path: z.enum(['rpps', 'structure']),
  rpps: z.string().regex(/^\d{11}$/).optional(),
  structureKind: z.enum(['FINESS', 'SIREN', 'SIRET']).optional(),
  structureId: z.string().optional(),
  profession: z.enum(PROFESSION_CODES),
  /** A specialty of the national nomenclature; accounts finalised before it kept an accreditation code, still read. */
  specialty: z.enum([...SPECIALTY_CODES, ...ACCREDITATION_SPECIALTY_CODES]).optional(),
  liberal: z.boolean(),
  phone: z.string().regex(/^0[1-9]\d{8}$/),
  phone2: z.string().regex(/^0[1-9]\d{8}$/).optional(),
  address: z.string().min(1).max(200),
  city: z.string().min(1).max(100),
  postalCode: z.string().regex(/^\d{5}$/),
  region: z.string().regex(/^\d{2}$/),
  department: z.string().regex(/^(\d{2}|2[AB]|\d{3})$/),
  raisonSociale: z.string().max(150).optional(),
  service: z.string().max(150).optional(),
  directoryVisible: z.boolean(),
  dematerialisation: z.boolean(),
});
export type MedimailDetails = z.infer<typeof detailsSchema>;

export interface MedimailAccountView {
  id: string;
  status: MedimailStatus;
  lastName: string;
  firstName: string;
  email: string;
  profession: ProfessionCode;
  mssAddress: string;
  details: MedimailDetails | undefined;
  submittedAt: Date | undefined;
  decidedAt: Date | undefined;
  rejectReason: string | undefined;
  /** What the agent refused (identity, professional information, a non-nominative address). */
  rejectPart: RejectPart | undefined;
  /** An RPPS sent to the service centre for this account (« J'ai reçu mon RPPS »). */
  rppsRequestedAt: Date | undefined;
}

/** The account's place in its state machine (accountStatus.ts), what its next steps depend on. */
export function situationOf(account: MedimailAccountView): MedimailSituation {
  return { status: account.status, withoutRpps: account.details?.path === 'structure', rppsRequestedAt: account.rppsRequestedAt, rejectPart: account.rejectPart };
}

export type ServiceCentreRequestType = 'CONNECTION' | 'RPPS_UPDATE' | 'ORG_MAILBOX' | 'CHANGE';

export interface ServiceCentreRequestView {
  id: string;
  reference: string;
  type: ServiceCentreRequestType;
  status: 'RECEIVED' | 'DONE';
  createdAt: Date;
  requesterEmail: string | undefined;
  detail: Record<string, string | undefined>;
}

/** MM-000042: short enough to read on the phone. */
export const requestReference = (n: number) => `MM-${String(n).padStart(6, '0')}`;

/** What the agent who validates an account should look at (none of it blocks the account). */
export type MedimailConcern =
  | { kind: 'duplicateRpps'; rpps: string; mssAddress: string; status: MedimailStatus }
  | { kind: 'sameName'; mssAddress: string; status: MedimailStatus }
  | { kind: 'borderlineAddress'; reason: 'roleWord' | 'noName' };

export type MedimailSignIn =
  | { status: 'otpSent'; accountId: string }
  | { status: 'invalid'; remaining: number }
  | { status: 'locked'; until: Date }
  | { status: 'notYet'; accountStatus: MedimailStatus };

export type OtpResult = { status: 'ok' } | { status: 'wrong'; remaining: number } | { status: 'expired' } | { status: 'tooMany' };

export interface MedimailOptions {
  publicUrl: () => string;
  /** Medimail's sender (the seed's cerbere@mipih.fr by default). */
  from: string;
  serviceCentreEmail: string;
  /** The regional label of MSS addresses (`oc`), from MEDIMAIL_REGIONS and data/medimail/mssDomains.json. */
  mssLabel?: string;
  now?: () => Date;
}

const OTP_MINUTES = 10;
const OTP_TRIES = 5;

/** Medimail individual accounts, from the form to the first sign-in, and the service centre's side. */
export class MedimailService {
  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly i18n: I18n,
    private readonly links: SecureLinks,
    private readonly desk: DeskAccounts,
    private readonly box: SecretBox,
    private readonly options: MedimailOptions,
  ) {
    this.throttle = new SignInThrottle(db, { now: options.now });
  }

  private readonly throttle: SignInThrottle;

  private get mssLabel(): string {
    return this.options.mssLabel ?? mssLabelFor(['76']);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private t(locale: string) {
    return this.i18n.getFixedT(locale === 'en' ? 'en' : 'fr', 'medimail');
  }

  /** The MSS address this person would get (a distinct one when the first choice is taken). */
  async previewAddress(firstName: string, lastName: string, profession: ProfessionCode, except?: string): Promise<string> {
    const base = mssAddressFor(firstName, lastName, profession, this.mssLabel);
    const [local, domain] = base.split('@');
    const taken = new Set(
      (await this.db.medimailAccount.findMany({ where: { mssAddress: { startsWith: local }, NOT: except ? { id: except } : undefined }, select: { mssAddress: true } })).map((a) => a.mssAddress),
    );
    return distinctAddress(`${local}@${domain}`, (candidate) => taken.has(candidate));
  }

  /**
   * The address the form would give, shown before the user goes on: `base` is the rule's own
   * address, `mss` the one they get (numbered when another account has `base`). A form this
   * address already began (status FORM) does not count against itself.
   */
  async proposedAddress(form: { firstName: string; lastName: string; email: string; profession: ProfessionCode }): Promise<{ mss: string; base: string }> {
    const own = await this.db.medimailAccount.findUnique({ where: { email: form.email.trim().toLowerCase() }, select: { id: true, status: true } });
    const mss = await this.previewAddress(form.firstName, form.lastName, form.profession, own?.status === 'FORM' ? own.id : undefined);
    return { mss, base: mssAddressFor(form.firstName, form.lastName, form.profession, this.mssLabel) };
  }

  /**
   * The form is filled: the account is held (status FORM) with its MSS address, and a one-time
   * link to the page where the password is chosen. An address already registered is refused.
   */
  async startRegistration(
    form: { lastName: string; firstName: string; email: string; profession: ProfessionCode; locale: Locale },
    conversation: unknown,
  ): Promise<{ status: 'ok'; accountId: string; mssAddress: string; token: string } | { status: 'duplicate'; maskedEmail: string }> {
    const email = z.string().trim().toLowerCase().email().parse(form.email);
    z.object({ lastName: z.string().trim().regex(PERSON_NAME), firstName: z.string().trim().regex(PERSON_NAME) }).parse(form);
    const existing = await this.db.medimailAccount.findUnique({ where: { email } });
    if (existing && existing.status !== 'FORM') return { status: 'duplicate', maskedEmail: maskEmail(email) };
    // A form begun in another conversation is not taken over by typing its address — unless abandoned for a day.
    const begunElsewhere = existing && conversationKeyOf(JSON.parse(existing.conversation ?? 'null')) !== conversationKeyOf(conversation);
    if (existing && begunElsewhere && existing.createdAt.getTime() > this.now().getTime() - 24 * 60 * 60 * 1000) {
      return { status: 'duplicate', maskedEmail: maskEmail(email) };
    }
    const mssAddress = await this.previewAddress(form.firstName, form.lastName, form.profession, existing?.id);
    const data = { lastName: form.lastName.trim(), firstName: form.firstName.trim(), profession: form.profession, mssAddress, locale: form.locale, conversation: JSON.stringify(conversation) };
    const id = existing?.id ?? crypto.randomUUID();
    if (existing) await this.db.medimailAccount.update({ where: { id }, data });
    else await this.db.medimailAccount.create({ data: { id, status: 'FORM', email, createdAt: this.now(), ...data } });
    const { token } = await this.links.create(MEDIMAIL_PASSWORD, conversation, 30, id);
    return { status: 'ok', accountId: id, mssAddress, token };
  }

  /**
   * The password page, until the address is confirmed: policy checked, then — the first time only —
   * the confirmation mail (link valid 24 hours, once). A new password chosen before confirming sends
   * no new mail ("Je n'ai pas reçu le mail" does, within its limits): a password link cannot flood a mailbox.
   */
  async setPassword(
    accountId: string,
    password: string,
    confirmation: string,
  ): Promise<{ status: 'ok'; maskedEmail: string } | { status: 'rejected'; problems: PasswordProblem[] } | { status: 'closed' }> {
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    if (!statusesFor('passwordSet').includes(account.status as MedimailStatus)) return { status: 'closed' };
    const problems = checkNewPassword(password, confirmation, { username: account.email.split('@')[0], names: [account.lastName, account.firstName] });
    if (problems.length) return { status: 'rejected', problems };
    await this.db.medimailAccount.update({ where: { id: accountId }, data: { passwordHash: await hashPassword(password), status: transition(account.status as MedimailStatus, 'passwordSet') } });
    if (account.status === 'FORM') await this.sendConfirmation(accountId);
    return { status: 'ok', maskedEmail: maskEmail(account.email) };
  }

  /**
   * (Re)sends the confirmation mail from Medimail's sender, to the address given or on file. Every
   * earlier confirmation link is revoked first: a link mailed to a mistyped address confirms nothing.
   * After a refusal, a corrected address takes the account back to « address to confirm ».
   */
  async sendConfirmation(accountId: string, newEmail?: string): Promise<{ maskedEmail: string; sentAt: Date }> {
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    const email = newEmail ? z.string().trim().toLowerCase().email().parse(newEmail) : account.email;
    const from = account.status as MedimailStatus;
    const status = transition(from, from === 'REJECTED' ? 'emailCorrected' : 'confirmationResent');
    await this.links.revoke(MEDIMAIL_CONFIRM, accountId);
    const { token } = await this.links.create(MEDIMAIL_CONFIRM, JSON.parse(account.conversation ?? 'null'), 24 * 60, accountId);
    const t = this.t(account.locale);
    await this.db.$transaction(async (tx) => {
      await tx.medimailAccount.update({ where: { id: accountId }, data: { email, status, ...(email !== account.email ? { emailConfirmedAt: null } : {}) } });
      // The link is a secret until it is used: sealed in the outbox, erased once the mail is sent.
      await this.outbox.enqueue(
        tx,
        { from: this.options.from, to: email, subject: t('mail.confirm.subject'), text: t('mail.confirm.text', { name: account.firstName, url: '{{secret:url}}' }) },
        { url: `${this.options.publicUrl()}/compte/medimail/confirmation/${token}` },
      );
    });
    this.outbox.nudge();
    return { maskedEmail: maskEmail(email), sentAt: this.now() };
  }

  /**
   * After a refusal: name, first name, profession or e-mail corrected. The MSS address follows the
   * names; a new e-mail must be confirmed again (every earlier link revoked) before the account goes
   * back to the service centre. An address another account holds is refused.
   */
  async correctIdentity(
    accountId: string,
    form: { lastName: string; firstName: string; email: string; profession: ProfessionCode },
  ): Promise<{ status: 'ok'; mssAddress: string; emailChanged: boolean; maskedEmail: string } | { status: 'duplicate'; maskedEmail: string }> {
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    transition(account.status as MedimailStatus, 'identityCorrected');
    const email = z.string().trim().toLowerCase().email().parse(form.email);
    const names = z.object({ lastName: z.string().trim().regex(PERSON_NAME), firstName: z.string().trim().regex(PERSON_NAME) }).parse(form);
    const emailChanged = email !== account.email;
    if (emailChanged && (await this.db.medimailAccount.findUnique({ where: { email } }))) return { status: 'duplicate', maskedEmail: maskEmail(email) };
    const mssAddress = await this.previewAddress(names.firstName, names.lastName, form.profession, accountId);
    await this.db.medimailAccount.update({ where: { id: accountId }, data: { lastName: names.lastName, firstName: names.firstName, profession: form.profession, mssAddress } });
    if (emailChanged) await this.sendConfirmation(accountId, email);
    return { status: 'ok', mssAddress, emailChanged, maskedEmail: maskEmail(email) };
  }

  /**
   * The address is confirmed once the conversation that created the account took the link's
   * outcome (same browser, or the page's code typed there): a link clicked by someone else
   * confirms nothing for the conversation that sent it.
   */
  async emailConfirmed(accountId: string): Promise<void> {
    // Conditional: a confirmation taken twice (two tabs) changes the status once.
    await this.db.medimailAccount.updateMany({ where: { id: accountId, status: { in: statusesFor('emailConfirmed') } }, data: { status: transition('EMAIL_SENT', 'emailConfirmed'), emailConfirmedAt: this.now() } });
  }

  /** "Je valide": the account goes to the service centre, validated within 24 to 48 hours. */
  async submit(accountId: string, details: MedimailDetails): Promise<void> {
    const data = detailsSchema.parse(details);
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    const status = transition(account.status as MedimailStatus, 'submitted');
    await this.db.medimailAccount.update({ where: { id: accountId }, data: { details: JSON.stringify(data), status, submittedAt: this.now(), decidedAt: null, rejectReason: null, rejectPart: null } });
  }

  /** A new link to the password page (the first one expired or was lost). */
  async passwordLink(accountId: string): Promise<string> {
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    await this.links.revoke(MEDIMAIL_PASSWORD, accountId);
    return (await this.links.create(MEDIMAIL_PASSWORD, JSON.parse(account.conversation ?? 'null'), 30, accountId)).token;
  }

  /** "Modifier mes informations" on an active account: saved, and passed to the service centre. */
  async updateDetails(accountId: string, details: MedimailDetails): Promise<{ reference: string }> {
    const data = detailsSchema.parse(details);
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    transition(account.status as MedimailStatus, 'detailsUpdated');
    await this.db.medimailAccount.update({ where: { id: accountId }, data: { details: JSON.stringify(data) } });
    return this.toServiceCentre(
      'CHANGE',
      { mssAddress: account.mssAddress, phone: data.phone, address: `${data.address}, ${data.postalCode} ${data.city}`, directory: String(data.directoryVisible), dematerialisation: String(data.dematerialisation) },
      { accountId, email: account.email, locale: account.locale },
    );
  }

  async rememberConversation(accountId: string, conversation: unknown): Promise<void> {
    await this.db.medimailAccount.update({ where: { id: accountId }, data: { conversation: JSON.stringify(conversation) } });
  }

  // ---- the service centre ----

  private async agent(agentId: string) {
    const agent = await this.desk.get(agentId);
    if (!agent || agent.role !== 'AGENT') throw new DeskAccessError('Only a service-centre agent may do this.');
    return agent;
  }

  async queue(agentId: string): Promise<MedimailAccountView[]> {
    await this.agent(agentId);
    const rows = await this.db.medimailAccount.findMany({ where: { status: 'SUBMITTED' }, orderBy: { submittedAt: 'asc' } });
    return rows.map((r) => this.view(r));
  }

  /**
   * Validate, or reject with a reason and what is wrong (the part the user's correction opens): the
   * user gets a mail either way; returns their conversation.
   */
  async decide(agentId: string, accountId: string, decision: 'VALIDATED' | 'REJECTED', reason?: string, part?: RejectPart): Promise<{ conversation: unknown }> {
    const agent = await this.agent(agentId);
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    if (account.status !== 'SUBMITTED') throw new DeskAccessError('This account is not waiting for validation.');
    const status = transition(account.status, decision === 'VALIDATED' ? 'validated' : 'rejected');
    if (decision === 'REJECTED' && !reason?.trim()) throw new DeskAccessError('A reason is required.');
    if (decision === 'REJECTED' && !isRejectPart(part)) throw new DeskAccessError('What is refused is required: identity, professional or nominative.');
    const t = this.t(account.locale);
    await this.db.$transaction(async (tx) => {
      await tx.medimailAccount.update({
        where: { id: accountId },
        data: { status, decidedAt: this.now(), decidedBy: agent.id, rejectReason: decision === 'REJECTED' ? reason!.trim() : null, rejectPart: decision === 'REJECTED' ? part! : null },
      });
      await this.outbox.enqueue(tx, {
        from: this.options.from,
        to: account.email,
        subject: t(decision === 'VALIDATED' ? 'mail.validated.subject' : 'mail.rejected.subject'),
        text: t(decision === 'VALIDATED' ? 'mail.validated.text' : 'mail.rejected.text', { name: account.firstName, mss: account.mssAddress, reason: reason?.trim() ?? '', what: part ? t(`refused.${part}`) : '', url: this.options.publicUrl() }),
      });
    });
    this.outbox.nudge();
    return { conversation: JSON.parse(account.conversation ?? 'null') };
  }

  // ---- first sign-in: password, one-time code by mail, terms of use ----

  async signIn(email: string, password: string): Promise<MedimailSignIn> {
    const address = email.trim().toLowerCase();
    const account = await this.db.medimailAccount.findUnique({ where: { email: address } });
    // Counted per address typed, known or not: an unknown address is answered like a wrong password.
    const attempt = await this.throttle.attempt('medimail', address, async () => ((await verifyOrWaste(password, account?.passwordHash)) ? account : undefined));
    if (attempt.status === 'invalid') return { status: 'invalid', remaining: attempt.remaining };
    if (attempt.status === 'locked') {
      if (attempt.tell && account?.passwordHash) {
        await this.outbox.enqueue(this.db, { ...lockedMail(this.i18n, account.locale, account.email, 'medimail', attempt.until, this.options.publicUrl()), from: this.options.from });
        this.outbox.nudge();
      }
      return { status: 'locked', until: attempt.until };
    }
    const signedIn = attempt.value!;
    if (!statusesFor('codeVerified').includes(signedIn.status as MedimailStatus)) return { status: 'notYet', accountStatus: signedIn.status as MedimailStatus };
    await this.sendOtp(signedIn.id);
    return { status: 'otpSent', accountId: signedIn.id };
  }

  /** A 6-digit one-time code, valid 10 minutes, 5 tries; a new one replaces the old. */
  async sendOtp(accountId: string): Promise<void> {
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    const t = this.t(account.locale);
    await this.db.$transaction(async (tx) => {
      await tx.medimailAccount.update({
        where: { id: accountId },
        data: { otpHash: this.otpMac(accountId, code), otpExpiresAt: new Date(this.now().getTime() + OTP_MINUTES * 60_000), otpTries: 0 },
      });
      await this.outbox.enqueue(tx, { from: this.options.from, to: account.email, subject: t('mail.otp.subject'), text: t('mail.otp.text', { code: '{{secret:code}}', minutes: OTP_MINUTES }) }, { code });
    });
    this.outbox.nudge();
  }

  /**
   * A try is claimed (one conditional UPDATE) before the code is compared: whatever the
   * parallelism, at most OTP_TRIES codes are ever compared for one code sent.
   */
  async verifyOtp(accountId: string, code: string): Promise<OtpResult> {
    const now = this.now();
    const { count } = await this.db.medimailAccount.updateMany({
      where: { id: accountId, otpHash: { not: null }, otpExpiresAt: { gt: now }, otpTries: { lt: OTP_TRIES } },
      data: { otpTries: { increment: 1 } },
    });
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    if (count === 0) return !account.otpHash || !account.otpExpiresAt || account.otpExpiresAt <= now ? { status: 'expired' } : { status: 'tooMany' };
    const typed = Buffer.from(this.otpMac(accountId, code.replace(/\s/g, '')));
    const stored = Buffer.from(account.otpHash ?? '');
    if (stored.length !== typed.length || !crypto.timingSafeEqual(typed, stored)) {
      return account.otpTries >= OTP_TRIES ? { status: 'tooMany' } : { status: 'wrong', remaining: OTP_TRIES - account.otpTries };
    }
    // The first sign-in is done: the terms of use remain (an active account stays active).
    await this.db.medimailAccount.update({ where: { id: accountId }, data: { otpHash: null, otpExpiresAt: null, otpTries: 0, status: transition(account.status as MedimailStatus, 'codeVerified') } });
    return { status: 'ok' };
  }

  /** A one-time code is kept as a keyed MAC: six digits alone could be found from a plain hash. */
  private otpMac(accountId: string, code: string): string {
    return this.box.mac('medimail.otp', `${accountId}:${code}`);
  }


  /** The terms of use accepted: the account is active. */
  async acceptCgu(accountId: string): Promise<void> {
    const now = this.now();
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    const status = transition(account.status as MedimailStatus, 'cguAccepted');
    await this.db.medimailAccount.update({ where: { id: accountId }, data: { cguAcceptedAt: account.cguAcceptedAt ?? now, activatedAt: account.activatedAt ?? now, status } });
  }

  // ---- afterwards, and what the service centre receives besides accounts ----

  /** "J'ai reçu mon RPPS": an update request to the service centre (the seed's procedure). */
  async requestRppsUpdate(accountId: string, rpps: string): Promise<{ reference: string }> {
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    transition(account.status as MedimailStatus, 'rppsRequested');
    return this.toServiceCentre('RPPS_UPDATE', { mssAddress: account.mssAddress, name: `${account.firstName} ${account.lastName}`, rpps }, { accountId, email: account.email, locale: account.locale });
  }

  /** A structure without Medimail asks to be connected (demande de raccordement); the contact gets the acknowledgement. */
  async requestConnection(
    detail: { structure: string; structureKind: string; structureId: string; contactName: string; contactEmail: string; contactPhone?: string },
    locale: Locale = 'fr',
  ): Promise<{ reference: string }> {
    return this.toServiceCentre('CONNECTION', detail, { email: detail.contactEmail, locale });
  }

  /** An organisational mailbox (BAL ORG), once the individual account exists. */
  async requestOrgMailbox(accountId: string, detail: { name: string; structure: string }): Promise<{ reference: string }> {
    const account = await this.db.medimailAccount.findUniqueOrThrow({ where: { id: accountId } });
    return this.toServiceCentre('ORG_MAILBOX', { ...detail, requester: account.mssAddress }, { accountId, email: account.email, locale: account.locale });
  }

  /**
   * A request beside the account: stored with a reference (MM-000042) and a state, mailed to the
   * service centre in words (not field names), and acknowledged to the requester with its reference.
   */
  private async toServiceCentre(type: ServiceCentreRequestType, detail: Record<string, string | undefined>, requester: { accountId?: string; email: string; locale: string }): Promise<{ reference: string }> {
    const centre = this.t('fr');
    const mine = this.t(requester.locale);
    const lines = (t: ReturnType<MedimailService['t']>) =>
      Object.entries(detail)
        .filter(([, v]) => v)
        .map(([k, v]) => `${t(`request.field.${k}`)} : ${v === 'true' ? t('finalise.yes') : v === 'false' ? t('finalise.no') : v}`)
        .join('\n');
    for (let attempt = 0; ; attempt += 1) {
      try {
        const reference = await this.db.$transaction(async (tx) => {
          const reference = requestReference((await tx.serviceCentreRequest.count()) + 1 + attempt);
          await tx.serviceCentreRequest.create({
            data: { id: crypto.randomUUID(), type, accountId: requester.accountId ?? null, detail: JSON.stringify(detail), reference, requesterEmail: requester.email, locale: requester.locale, createdAt: this.now() },
          });
          await this.outbox.enqueue(tx, { to: this.options.serviceCentreEmail, subject: `${centre(`mail.centre.${type}`)} — ${reference}`, text: centre('mail.centre.text', { type: centre(`mail.centre.${type}`), reference, lines: lines(centre), email: requester.email }) });
          await this.outbox.enqueue(tx, { to: requester.email, subject: mine('mail.ack.subject', { reference }), text: mine('mail.ack.text', { type: mine(`mail.centre.${type}`), reference, lines: lines(mine) }) });
          return reference;
        });
        this.outbox.nudge();
        return { reference };
      } catch (error) {
        // Two requests counted at once: the second takes the next number.
        if (attempt < 3 && (error as { code?: string }).code === 'P2002') continue;
        throw error;
      }
    }
  }

  /** The service centre's queue of requests beside the accounts, oldest first, with their state. */
  async openRequests(agentId: string): Promise<ServiceCentreRequestView[]> {
    await this.agent(agentId);
    const rows = await this.db.serviceCentreRequest.findMany({ where: { status: 'RECEIVED' }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => ({
      id: r.id,
      reference: r.reference ?? r.id.slice(0, 8),
      type: r.type as ServiceCentreRequestType,
      status: r.status as 'RECEIVED' | 'DONE',
      createdAt: r.createdAt,
      requesterEmail: r.requesterEmail ?? undefined,
      detail: z.record(z.string(), z.string().optional()).parse(JSON.parse(r.detail)),
    }));
  }

  /** A request handled: its state changes and the requester is told, with its reference. */
  async closeRequest(agentId: string, requestId: string): Promise<void> {
    const agent = await this.agent(agentId);
    const request = await this.db.serviceCentreRequest.findUniqueOrThrow({ where: { id: requestId } });
    if (request.status !== 'RECEIVED') throw new DeskAccessError('This request is already handled.');
    const t = this.t(request.locale);
    await this.db.$transaction(async (tx) => {
      await tx.serviceCentreRequest.update({ where: { id: requestId }, data: { status: 'DONE', doneAt: this.now(), doneBy: agent.id } });
      if (request.requesterEmail) {
        const reference = request.reference ?? '';
        await this.outbox.enqueue(tx, { to: request.requesterEmail, subject: t('mail.done.subject', { reference }), text: t('mail.done.text', { type: t(`mail.centre.${request.type}`), reference }) });
      }
    });
    this.outbox.nudge();
  }

  /**
   * Other accounts given this RPPS (a second account for one person, or someone else's number):
   * told to the user on the recap and shown to the agent. A form never finished does not count.
   */
  async othersWithRpps(rpps: string, exceptId: string): Promise<{ id: string; mssAddress: string; email: string; status: MedimailStatus }[]> {
    const rows = await this.db.medimailAccount.findMany({
      where: { id: { not: exceptId }, details: { contains: `"rpps":${JSON.stringify(rpps)}` }, status: { notIn: ['FORM', 'EMAIL_SENT'] } },
      select: { id: true, mssAddress: true, email: true, status: true },
    });
    return rows.map((r) => ({ ...r, status: r.status as MedimailStatus }));
  }

  /** The account's concerns for the service centre: same RPPS, same name, an address at the border of nominative. */
  async concerns(accountId: string): Promise<MedimailConcern[]> {
    const account = await this.account(accountId);
    if (!account) return [];
    const concerns: MedimailConcern[] = [];
    if (account.details?.rpps) {
      for (const other of await this.othersWithRpps(account.details.rpps, accountId)) concerns.push({ kind: 'duplicateRpps', rpps: account.details.rpps, mssAddress: other.mssAddress, status: other.status });
    }
    const base = mssAddressFor(account.firstName, account.lastName, account.profession, this.mssLabel);
    const [local, domain] = base.split('@');
    const namesakes = await this.db.medimailAccount.findMany({ where: { id: { not: accountId }, mssAddress: { startsWith: local, endsWith: `@${domain}` } }, select: { mssAddress: true, status: true } });
    for (const other of namesakes.filter((n) => new RegExp(`^${local.replace(/[.-]/g, '\\$&')}\\d*@`).test(n.mssAddress))) {
      concerns.push({ kind: 'sameName', mssAddress: other.mssAddress, status: other.status as MedimailStatus });
    }
    const borderline = borderlineAddress(account.email, account.firstName, account.lastName);
    if (borderline) concerns.push({ kind: 'borderlineAddress', reason: borderline });
    return concerns;
  }

  async account(id: string): Promise<MedimailAccountView | undefined> {
    const row = await this.db.medimailAccount.findUnique({ where: { id } });
    if (!row) return undefined;
    const rpps = await this.db.serviceCentreRequest.findFirst({ where: { accountId: id, type: 'RPPS_UPDATE' }, orderBy: { createdAt: 'desc' } });
    return { ...this.view(row), rppsRequestedAt: rpps?.createdAt };
  }

  private view(row: {
    id: string;
    status: string;
    lastName: string;
    firstName: string;
    email: string;
    profession: string;
    mssAddress: string;
    details: string | null;
    submittedAt: Date | null;
    decidedAt: Date | null;
    rejectReason: string | null;
    rejectPart: string | null;
  }): MedimailAccountView {
    if (!isMedimailStatus(row.status)) throw new Error(`Unknown Medimail status ${row.status}`);
    return {
      id: row.id,
      status: row.status,
      lastName: row.lastName,
      firstName: row.firstName,
      email: row.email,
      profession: row.profession as ProfessionCode,
      mssAddress: row.mssAddress,
      details: row.details ? detailsSchema.parse(JSON.parse(row.details)) : undefined,
      submittedAt: row.submittedAt ?? undefined,
      decidedAt: row.decidedAt ?? undefined,
      rejectReason: row.rejectReason ?? undefined,
      rejectPart: isRejectPart(row.rejectPart) ? row.rejectPart : undefined,
      rppsRequestedAt: undefined,
    };
  }
}
