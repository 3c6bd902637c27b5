import crypto from 'node:crypto';
import { day } from '../../dates';
import type { i18n as I18n } from 'i18next';
import { z } from 'zod';
import type { Db, Tx } from '../db/database';
import type { Outbox } from '../mail/outbox';
import { maskEmail } from '../email';
import { hashPassword, temporaryPassword, checkNewPassword, type PasswordProblem } from '../identity/passwords';
import { SignInThrottle, verifyOrWaste } from '../identity/signInThrottle';
import { lockedMail } from '../identity/lockNotice';
import type { Locale } from '../../i18n';
import { SPECIALTY_CODES } from './specialties';
import { PERSON_NAME } from '../names';
import { advance, stateOf, type EngagementStatus } from './requestStatus';

/**
 * The registry of commitment requests to the accreditation — the "Pas encore inscrit" form,
 * the credentials mail, sign-in and the administrative file. Dialogs use this interface only;
 * another back end (the real SIAM, say) could implement it.
 */
export interface AccreditationRegistry {
  register(input: RegistrationInput): Promise<RegisterResult>;
  /** When a new credentials mail may be asked for, if the hourly limit is reached now. */
  resendBlockedUntil(accountId: string): Promise<Date | undefined>;
  /** `newEmail` is taken only from the signed-in holder, or while the account was never signed into; the old address is told. */
  resendCredentials(accountId: string, newEmail?: string, by?: { signedIn: boolean }): Promise<ResendResult>;
  signIn(username: string, password: string): Promise<SignInResult>;
  setPersonalPassword(accountId: string, password: string, confirmation: string): Promise<{ status: 'ok' } | { status: 'rejected'; problems: PasswordProblem[] }>;
  saveAdministrativeFile(accountId: string, file: AdministrativeFile): Promise<void>;
  account(accountId: string): Promise<AccountView | undefined>;
  /**
   * "Je n'ai pas reçu le mail" from a conversation that holds no request: a new temporary password to
   * the address on file of the number's request, if there is one — in the same time either way.
   */
  resendByIdentifier(identifier: string): Promise<ResendResult | { status: 'unknown' }>;
  history(accountId: string): Promise<AccreditationEventView[]>;
}

export const registrationSchema = z.object({
  civility: z.enum(['dr', 'mme', 'm']),
  lastName: z.string().trim().min(1).max(80).regex(PERSON_NAME),
  firstName: z.string().trim().min(1).max(80).regex(PERSON_NAME),
  identifier: z.string().regex(/^(\d{9}|\d{11})$/),
  identifierKeyOk: z.boolean(),
  specialty: z.enum(SPECIALTY_CODES),
  practice: z.enum(['individual', 'team']),
  email: z.string().email().max(254),
  locale: z.enum(['fr', 'en']),
  /**
   * The turn asking (channel/conversation/activity): run again after a crash, it finds the request it
   * made — « created », no second mail — rather than « this number is already registered ».
   */
  requestKey: z.string().max(600).optional(),
});
export type RegistrationInput = z.infer<typeof registrationSchema>;

export const administrativeFileSchema = z.object({
  address: z.string().trim().min(1).max(200),
  addressMore: z.string().trim().max(200).optional(),
  postalCode: z.string().regex(/^\d{5}$/),
  city: z.string().trim().min(1).max(100),
  department: z.string().regex(/^(\d{2}|2[AB]|\d{3})$/),
  cpamDepartment: z.string().regex(/^(\d{2}|2[AB]|\d{3})$/),
  crfmcRegion: z.string().regex(/^\d{2}$/),
  practiceMode: z.enum(['liberal', 'salaried', 'mixed']),
  urmlRegion: z.string().regex(/^\d{2}$/).optional(),
  establishments: z.array(z.object({ name: z.string().trim().min(1).max(150), finess: z.string().regex(/^[0-9AB]{9}$/).optional() })).min(1).max(3),
  mobile: z.string().regex(/^0[1-9]\d{8}$/).optional(),
});
export type AdministrativeFile = z.infer<typeof administrativeFileSchema>;

export type RegisterResult =
  | { status: 'created'; accountId: string; maskedEmail: string; sentAt: Date }
  /** This identifier already has a request: never a second account. */
  | { status: 'duplicate'; accountId: string; maskedEmail: string };

export type ResendResult = { status: 'sent'; maskedEmail: string; sentAt: Date } | { status: 'rateLimited'; retryAt: Date };

export type SignInResult =
  | { status: 'ok'; accountId: string; mustChangePassword: boolean }
  /** The seed's confusion: the username is the number, not the surname. */
  | { status: 'usernameHasLetters' }
  | { status: 'invalid'; remaining: number }
  | { status: 'locked'; until: Date }
  | { status: 'tempExpired' };

export interface AccountView {
  id: string;
  identifier: string;
  identifierKind: 'RPPS' | 'ADELI';
  identifierKeyOk: boolean;
  civility: RegistrationInput['civility'];
  lastName: string;
  firstName: string;
  specialty: RegistrationInput['specialty'];
  practice: RegistrationInput['practice'];
  email: string;
  createdAt: Date;
  hasPersonalPassword: boolean;
  /** Someone signed into this account once: its address is no longer changed without signing in. */
  everSignedIn: boolean;
  adminFile: AdministrativeFile | undefined;
  adminFileSavedAt: Date | undefined;
}

export type AccreditationEventType =
  | 'REQUEST_CREATED'
  | 'CREDENTIALS_SENT'
  | 'EMAIL_CHANGED'
  | 'SIGNED_IN'
  | 'PASSWORD_SET'
  | 'LOCKED'
  | 'ADMIN_FILE_SAVED'
  // written by the engagement service
  | 'QUESTIONNAIRE_STARTED'
  | 'QUESTIONNAIRE_SENT'
  | 'DECISION_ACCEPTED'
  | 'DECISION_REFUSED'
  | 'DECISION_TO_COMPLETE'
  | 'REQUEST_RENEWED'
  | 'ATTESTATION'
  | 'EPR_SENT';
export interface AccreditationEventView {
  type: AccreditationEventType;
  at: Date;
  detail: string | undefined;
}

export interface RegistryOptions {
  /** Where users reach Sésame (known once the server listens). */
  publicUrl: () => string;
  tempPasswordDays?: number;
  maxResendsPerHour?: number;
  maxFailures?: number;
  lockMinutes?: number;
  now?: () => Date;
}

const DAY = 24 * 60 * 60 * 1000;

export class PrismaAccreditationRegistry implements AccreditationRegistry {
  private readonly options: Required<RegistryOptions>;
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly i18n: I18n,
    options: RegistryOptions,
  ) {
    this.options = { tempPasswordDays: 7, maxResendsPerHour: 3, maxFailures: 5, lockMinutes: 15, ...options, now: options.now ?? (() => new Date()) };
    this.throttle = new SignInThrottle(db, { maxFailures: this.options.maxFailures, lockMinutes: this.options.lockMinutes, now: this.options.now });
  }

  async register(input: RegistrationInput): Promise<RegisterResult> {
    const data = registrationSchema.parse(input);
    const existing = await this.db.accreditationAccount.findUnique({ where: { identifier: data.identifier } });
    if (existing && data.requestKey && existing.requestKey === data.requestKey) {
      return { status: 'created', accountId: existing.id, maskedEmail: maskEmail(existing.email), sentAt: existing.createdAt };
    }
    if (existing) return { status: 'duplicate', accountId: existing.id, maskedEmail: maskEmail(existing.email) };
    const id = crypto.randomUUID();
    const now = this.options.now();
    const password = temporaryPassword();
    const tempPasswordHash = await hashPassword(password);
    try {
      await this.db.$transaction(async (tx) => {
        await tx.accreditationAccount.create({
          data: {
            id,
            identifier: data.identifier,
            identifierKind: data.identifier.length === 11 ? 'RPPS' : 'ADELI',
            identifierKeyOk: data.identifierKeyOk,
            civility: data.civility,
            lastName: data.lastName,
            firstName: data.firstName,
            specialty: data.specialty,
            practice: data.practice,
            email: data.email,
            locale: data.locale,
            requestKey: data.requestKey ?? null,
            createdAt: now,
            tempPasswordHash,
            tempPasswordExpiresAt: new Date(now.getTime() + this.options.tempPasswordDays * DAY),
          },
        });
        await tx.accreditationEvent.create({ data: { accountId: id, type: 'REQUEST_CREATED', at: now } });
        await this.queueCredentials(tx, { id, email: data.email, identifier: data.identifier, civility: data.civility, lastName: data.lastName, locale: data.locale }, password, now);
      });
    } catch (error) {
      // Two submissions of the same identifier at once: the unique index keeps one account.
      if ((error as { code?: string }).code === 'P2002') {
        const winner = await this.db.accreditationAccount.findUniqueOrThrow({ where: { identifier: data.identifier } });
        return { status: 'duplicate', accountId: winner.id, maskedEmail: maskEmail(winner.email) };
      }
      throw error;
    }
    this.outbox.nudge();
    return { status: 'created', accountId: id, maskedEmail: maskEmail(data.email), sentAt: now };
  }

  /** When a new mail may be asked for, if the hourly limit is reached now (said before the card is filled). */
  async resendBlockedUntil(accountId: string): Promise<Date | undefined> {
    const hourAgo = new Date(this.options.now().getTime() - 60 * 60 * 1000);
    const recent = await this.db.accreditationEvent.findMany({
      where: { accountId, type: 'CREDENTIALS_SENT', at: { gt: hourAgo } },
      orderBy: { at: 'asc' },
    });
    return recent.length >= this.options.maxResendsPerHour ? new Date(recent[0].at.getTime() + 60 * 60 * 1000) : undefined;
  }

  /**
   * "Je n'ai pas reçu le mail": a new temporary password (the old one stops working), at most a few
   * per hour. A new address is taken only from the signed-in holder or while nobody ever signed into
   * the account (a mistyped address at registration); otherwise the mail goes to the address on file
   * — on a shared computer, the next person cannot redirect a physician's credentials. The old
   * address is told of any change.
   */
  async resendCredentials(accountId: string, newEmail?: string, by: { signedIn: boolean } = { signedIn: false }): Promise<ResendResult> {
    const now = this.options.now();
    const retryAt = await this.resendBlockedUntil(accountId);
    if (retryAt) return { status: 'rateLimited', retryAt };
    const account = await this.db.accreditationAccount.findUniqueOrThrow({ where: { id: accountId } });
    const mayChange = by.signedIn || !account.firstSignInAt;
    const email = newEmail && mayChange ? z.string().email().parse(newEmail.trim().toLowerCase()) : account.email;
    const password = temporaryPassword();
    const tempPasswordHash = await hashPassword(password);
    await this.db.$transaction(async (tx) => {
      await tx.accreditationAccount.update({
        where: { id: accountId },
        data: { email, tempPasswordHash, tempPasswordExpiresAt: new Date(now.getTime() + this.options.tempPasswordDays * DAY) },
      });
      if (email !== account.email) {
        await tx.accreditationEvent.create({ data: { accountId, type: 'EMAIL_CHANGED', at: now, detail: maskEmail(email) } });
        const t = this.i18n.getFixedT(account.locale, 'mail');
        await this.outbox.enqueue(tx, {
          to: account.email,
          subject: t('emailChanged.subject'),
          text: t('emailChanged.text', { name: `${t(`civility.${account.civility}`)} ${account.lastName}`, email: maskEmail(email), url: this.options.publicUrl() }),
        });
      }
      await this.queueCredentials(tx, { ...account, email, civility: account.civility as RegistrationInput['civility'], locale: account.locale as Locale }, password, now);
    });
    this.outbox.nudge();
    return { status: 'sent', maskedEmail: maskEmail(email), sentAt: now };
  }

  async signIn(username: string, password: string): Promise<SignInResult> {
    const typed = username.replace(/[\s.\-]/g, '');
    if (/[a-zA-ZÀ-ÿ]/.test(typed)) return { status: 'usernameHasLetters' };
    const account = /^\d{1,20}$/.test(typed) ? await this.db.accreditationAccount.findUnique({ where: { identifier: typed } }) : null;
    // Counted per number typed, known or not: an unknown number is answered like a wrong password.
    const attempt = await this.throttle.attempt('accreditation', typed, async () => {
      // Always two checks (personal, temporary), real or decoy: the time says nothing of the account.
      const personal = await verifyOrWaste(password, account?.passwordHash);
      const temporary = (await verifyOrWaste(password, account?.tempPasswordHash)) && !personal;
      return account && (personal || temporary) ? { account, temporary } : undefined;
    });
    if (attempt.status === 'invalid') return { status: 'invalid', remaining: attempt.remaining };
    if (attempt.status === 'locked') {
      if (attempt.tell && account) await this.tellLocked(account, attempt.until);
      return { status: 'locked', until: attempt.until };
    }
    const { account: signedIn, temporary } = attempt.value;
    const now = this.options.now();
    if (temporary && signedIn.tempPasswordExpiresAt && signedIn.tempPasswordExpiresAt <= now) return { status: 'tempExpired' };
    await this.db.$transaction([
      this.db.accreditationAccount.update({
        where: { id: signedIn.id },
        // A temporary password works once: it is consumed by the sign-in that uses it.
        data: {
          lastSignInAt: now,
          firstSignInAt: signedIn.firstSignInAt ?? now,
          ...(temporary ? { tempPasswordHash: null, tempPasswordExpiresAt: null } : {}),
        },
      }),
      this.db.accreditationEvent.create({ data: { accountId: signedIn.id, type: 'SIGNED_IN', at: now } }),
    ]);
    return { status: 'ok', accountId: signedIn.id, mustChangePassword: temporary || !signedIn.passwordHash };
  }

  /** The holder is told their account locked (it may be someone else trying), in their language. */
  private async tellLocked(account: { id: string; email: string; locale: string }, until: Date): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.accreditationEvent.create({ data: { accountId: account.id, type: 'LOCKED', at: this.options.now() } });
      await this.outbox.enqueue(tx, lockedMail(this.i18n, account.locale, account.email, 'accreditation', until, this.options.publicUrl()));
    });
    this.outbox.nudge();
  }

  async setPersonalPassword(accountId: string, password: string, confirmation: string): Promise<{ status: 'ok' } | { status: 'rejected'; problems: PasswordProblem[] }> {
    const account = await this.db.accreditationAccount.findUniqueOrThrow({ where: { id: accountId } });
    const problems = checkNewPassword(password, confirmation, { username: account.identifier, names: [account.lastName, account.firstName] });
    if (problems.length > 0) return { status: 'rejected', problems };
    const now = this.options.now();
    await this.db.$transaction([
      this.db.accreditationAccount.update({ where: { id: accountId }, data: { passwordHash: await hashPassword(password), passwordChangedAt: now } }),
      this.db.accreditationEvent.create({ data: { accountId, type: 'PASSWORD_SET', at: now } }),
    ]);
    return { status: 'ok' };
  }

  /** Once signed in (RequestTransitionError before); saving it again later edits it and leaves the status as it is. */
  async saveAdministrativeFile(accountId: string, file: AdministrativeFile): Promise<void> {
    const data = administrativeFileSchema.parse(file);
    const account = await this.db.accreditationAccount.findUniqueOrThrow({ where: { id: accountId }, include: { engagement: { select: { status: true } } } });
    const engagement = account.engagement ? { status: account.engagement.status as EngagementStatus } : undefined;
    advance(stateOf({ everSignedIn: Boolean(account.firstSignInAt), hasAdminFile: Boolean(account.adminFile) }, engagement), 'saveFile');
    const now = this.options.now();
    await this.db.$transaction([
      this.db.accreditationAccount.update({ where: { id: accountId }, data: { adminFile: JSON.stringify(data), adminFileSavedAt: now } }),
      this.db.accreditationEvent.create({ data: { accountId, type: 'ADMIN_FILE_SAVED', at: now } }),
    ]);
  }

  async account(accountId: string): Promise<AccountView | undefined> {
    const a = await this.db.accreditationAccount.findUnique({ where: { id: accountId } });
    if (!a) return undefined;
    return {
      id: a.id,
      identifier: a.identifier,
      identifierKind: a.identifierKind as AccountView['identifierKind'],
      identifierKeyOk: a.identifierKeyOk,
      civility: a.civility as AccountView['civility'],
      lastName: a.lastName,
      firstName: a.firstName,
      specialty: a.specialty as AccountView['specialty'],
      practice: a.practice as AccountView['practice'],
      email: a.email,
      createdAt: a.createdAt,
      hasPersonalPassword: Boolean(a.passwordHash),
      everSignedIn: Boolean(a.firstSignInAt),
      adminFile: a.adminFile ? administrativeFileSchema.parse(JSON.parse(a.adminFile)) : undefined,
      adminFileSavedAt: a.adminFileSavedAt ?? undefined,
    };
  }

  async resendByIdentifier(identifier: string): Promise<ResendResult | { status: 'unknown' }> {
    const account = /^\d{1,20}$/.test(identifier) ? await this.db.accreditationAccount.findUnique({ where: { identifier }, select: { id: true } }) : null;
    if (account) return this.resendCredentials(account.id);
    await hashPassword(temporaryPassword()); // the time a real resend takes: no answer tells who is registered
    return { status: 'unknown' };
  }

  async history(accountId: string): Promise<AccreditationEventView[]> {
    const events = await this.db.accreditationEvent.findMany({ where: { accountId }, orderBy: { id: 'asc' } });
    return events.map((e) => ({ type: e.type as AccreditationEventType, at: e.at, detail: e.detail ?? undefined }));
  }

  /** The credentials mail, in the request's language; the password is sealed until sending. */
  private async queueCredentials(
    tx: Tx,
    account: { id: string; email: string; identifier: string; civility: RegistrationInput['civility']; lastName: string; locale: Locale },
    password: string,
    now: Date,
  ): Promise<void> {
    const t = this.i18n.getFixedT(account.locale, 'mail');
    const expires = new Date(now.getTime() + this.options.tempPasswordDays * DAY);
    const params = {
      name: `${t(`civility.${account.civility}`)} ${account.lastName}`,
      username: account.identifier,
      password: '{{secret:password}}',
      expires: day(t, expires),
      url: this.options.publicUrl(),
    };
    await this.outbox.enqueue(tx, { to: account.email, subject: t('credentials.subject'), text: t('credentials.text', params) }, { password });
    await tx.accreditationEvent.create({ data: { accountId: account.id, type: 'CREDENTIALS_SENT', at: now, detail: maskEmail(account.email) } });
  }
}
