import type { i18n as I18n } from 'i18next';
import type { Translator, Locale } from '../../i18n';
import { MEDIMAIL_CONFIRM, MEDIMAIL_PASSWORD, MEDIMAIL_SIGN_IN } from '../../services/identity/linkPurposes';
import type { SecureLinks } from '../../services/identity/secureLinks';
import type { MedimailService } from '../../services/medimail/medimail';
import { time } from '../../dates';
import { escapeHtml } from './html';
import {
  openSecureLink,
  emailPasswordForm,
  expiredPage,
  finishLink,
  newPasswordForm,
  passwordProblems,
  securePage,
  spentPage,
  type ContinueConversation,
  type PageResponse,
  type Visitor,
} from './secretForms';

type Form = Record<string, string | undefined>;

/**
 * Medimail's secure pages: the password chosen at registration, the e-mail confirmation link,
 * and the first sign-in — e-mail and password, the one-time code sent by mail, the terms of use.
 * Each one continues the conversation once done.
 */
export class MedimailPages {
  constructor(
    private readonly medimail: MedimailService,
    private readonly links: SecureLinks,
    private readonly i18n: I18n,
    private readonly events: { passwordSet: ContinueConversation; confirmed: ContinueConversation; active: ContinueConversation },
  ) {}

  private async open(token: string, purpose: string) {
    return openSecureLink(this.links, this.i18n, token, purpose);
  }

  // ---- the password, at registration ----

  async showPassword(token: string): Promise<PageResponse> {
    const { link, t, locale } = await this.open(token, MEDIMAIL_PASSWORD);
    const account = link?.accountId ? await this.medimail.account(link.accountId) : undefined;
    return account ? this.passwordForm(t, locale, token, account.mssAddress) : expiredPage(t, locale);
  }

  async submitPassword(token: string, form: Form, visitor: Visitor): Promise<PageResponse> {
    const { link, t, locale } = await this.open(token, MEDIMAIL_PASSWORD);
    const account = link?.accountId ? await this.medimail.account(link.accountId) : undefined;
    if (!link || !account) return expiredPage(t, locale);
    const result = await this.medimail.setPassword(account.id, form.password ?? '', form.confirmation ?? '');
    if (result.status === 'closed') return expiredPage(t, locale);
    if (result.status === 'rejected') {
      return this.passwordForm(t, locale, token, account.mssAddress, passwordProblems(t, result.problems, 'email'));
    }
    return finishLink(this.links, link, account.id, visitor, this.events.passwordSet, { t, locale, message: t('medimail:pages.passwordDone'), title: t('medimail:pages.passwordDoneTitle') });
  }

  // ---- the confirmation link (from the mail) ----

  /**
   * The link of the mail opens a page with a button: the address is confirmed when the person presses
   * it (a POST), not when a mail filter fetches the link to inspect it — that would spend it.
   */
  async showConfirm(token: string): Promise<PageResponse> {
    const { t, locale, link } = await this.confirmation(token);
    if (!link) return this.confirmExpired(t, locale);
    const html = `<form method="post" action="/compte/medimail/confirmation/${encodeURIComponent(token)}"><button type="submit">${escapeHtml(t('medimail:pages.confirmSubmit'))}</button></form>`;
    return securePage(t, locale, { title: t('medimail:pages.confirmTitle'), paragraphs: [t('medimail:pages.confirmIntro')], html });
  }

  async confirm(token: string, visitor: Visitor): Promise<PageResponse> {
    const { t, locale, link } = await this.confirmation(token);
    if (!link?.accountId) return this.confirmExpired(t, locale);
    return finishLink(this.links, link, link.accountId, visitor, this.events.confirmed, { t, locale, message: t('medimail:pages.confirmed'), title: t('medimail:pages.confirmedTitle') });
  }

  private confirmExpired(t: Translator, locale: Locale): PageResponse {
    return securePage(t, locale, { title: t('medimail:pages.confirmExpiredTitle'), paragraphs: [t('medimail:pages.confirmExpired')], status: 410 });
  }

  /** The mail's link while its account exists. */
  private async confirmation(token: string) {
    const opened = await this.open(token, MEDIMAIL_CONFIRM);
    const account = opened.link?.accountId ? await this.medimail.account(opened.link.accountId) : undefined;
    return { ...opened, link: account ? opened.link : undefined };
  }

  // ---- first sign-in: password, one-time code, terms of use ----

  async showSignIn(token: string): Promise<PageResponse> {
    const { link, t, locale } = await this.open(token, MEDIMAIL_SIGN_IN);
    if (!link) return expiredPage(t, locale);
    if (link.stage === 'otp') return this.otpForm(t, locale, token);
    if (link.stage === 'cgu') return this.cguForm(t, locale, token);
    return this.signInForm(t, locale, token);
  }

  async submitSignIn(token: string, form: Form): Promise<PageResponse> {
    const { link, t, locale } = await this.open(token, MEDIMAIL_SIGN_IN);
    if (!link) return expiredPage(t, locale);
    if (!(await this.links.countAttempt(link.id))) return spentPage(t, locale);
    const result = await this.medimail.signIn(form.email ?? '', form.password ?? '');
    if (result.status === 'invalid') return this.signInForm(t, locale, token, t('medimail:pages.invalid', { count: result.remaining }), form.email);
    if (result.status === 'locked') return this.signInForm(t, locale, token, t('medimail:pages.locked', { time: time(t, result.until) }), form.email);
    if (result.status === 'notYet') return this.signInForm(t, locale, token, t('medimail:pages.notYet'), form.email);
    // The link was made for this conversation's account: another account's credentials do not take it over.
    if (link.accountId && link.accountId !== result.accountId) return this.signInForm(t, locale, token, t('medimail:pages.otherAccount'), form.email);
    await this.links.advance(link.id, 'otp', result.accountId);
    return this.otpForm(t, locale, token);
  }

  async submitOtp(token: string, form: Form): Promise<PageResponse> {
    const { link, t, locale } = await this.open(token, MEDIMAIL_SIGN_IN);
    if (!link?.accountId || link.stage !== 'otp') return expiredPage(t, locale);
    // A new code is a mail: it counts like a code typed, so a link cannot flood the mailbox.
    if (!(await this.links.countAttempt(link.id))) return spentPage(t, locale);
    if (form.action === 'new') {
      await this.medimail.sendOtp(link.accountId);
      return this.otpForm(t, locale, token, undefined, t('medimail:pages.otpSent'));
    }
    const result = await this.medimail.verifyOtp(link.accountId, form.code ?? '');
    if (result.status === 'wrong') return this.otpForm(t, locale, token, t('medimail:pages.otpWrong', { count: result.remaining }));
    if (result.status === 'expired') return this.otpForm(t, locale, token, t('medimail:pages.otpExpired'));
    if (result.status === 'tooMany') return this.otpForm(t, locale, token, t('medimail:pages.otpTooMany'));
    await this.links.advance(link.id, 'cgu', link.accountId);
    return this.cguForm(t, locale, token);
  }

  async submitCgu(token: string, form: Form, visitor: Visitor): Promise<PageResponse> {
    const { link, t, locale } = await this.open(token, MEDIMAIL_SIGN_IN);
    if (!link?.accountId || link.stage !== 'cgu') return expiredPage(t, locale);
    if (form.accept !== 'yes') return this.cguForm(t, locale, token, t('medimail:pages.cguRequired'));
    await this.medimail.acceptCgu(link.accountId);
    return finishLink(this.links, link, link.accountId, visitor, this.events.active, { t, locale, message: t('medimail:pages.active'), title: t('medimail:pages.activeTitle') });
  }

  // ---- forms ----

  private passwordForm(t: Translator, locale: Locale, token: string, mss: string, errors: string[] = []): PageResponse {
    return securePage(t, locale, {
      title: t('medimail:pages.passwordTitle'),
      paragraphs: [t('medimail:pages.passwordIntro', { mss })],
      errors,
      // A Medimail account signs in with its e-mail address: the policy speaks of that, not of a number.
      html: newPasswordForm(t, `/compte/medimail/mot-de-passe/${encodeURIComponent(token)}`, 'email', 'submit'),
    });
  }

  private signInForm(t: Translator, locale: Locale, token: string, error?: string, email = ''): PageResponse {
    return securePage(t, locale, {
      title: t('medimail:pages.signinTitle'),
      paragraphs: [t('medimail:pages.signinIntro')],
      errors: error ? [error] : [],
      html: emailPasswordForm(t, `/compte/medimail/connexion/${encodeURIComponent(token)}`, email),
    });
  }

  private otpForm(t: Translator, locale: Locale, token: string, error?: string, info?: string): PageResponse {
    const action = `/compte/medimail/connexion/${encodeURIComponent(token)}/code`;
    const html = `<form method="post" action="${action}">
  <label for="code">${escapeHtml(t('medimail:pages.otp'))}</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required>
  <button type="submit">${escapeHtml(t('medimail:pages.otpSubmit'))}</button>
</form>
<form method="post" action="${action}"><input type="hidden" name="action" value="new"><button type="submit">${escapeHtml(t('medimail:pages.otpNew'))}</button></form>`;
    return securePage(t, locale, { title: t('medimail:pages.otpTitle'), paragraphs: [t('medimail:pages.otpIntro')], errors: error ? [error] : [], info, html });
  }

  private cguForm(t: Translator, locale: Locale, token: string, error?: string): PageResponse {
    // Sésame holds a summary only: it says so, and links the operator's published terms, which are authoritative.
    const html = `<details open><summary>${escapeHtml(t('medimail:pages.cguSummaryTitle'))}</summary><pre>${escapeHtml(t('medimail:cgu.summary'))}</pre></details>
<p><a href="${escapeHtml(t('medimail:pages.cguUrl'))}" rel="noopener noreferrer" target="_blank">${escapeHtml(t('medimail:pages.cguPublished'))}</a></p>
<form method="post" action="/compte/medimail/connexion/${encodeURIComponent(token)}/cgu">
  <label><input type="checkbox" name="accept" value="yes" required> ${escapeHtml(t('medimail:pages.cguAccept'))}</label>
  <button type="submit">${escapeHtml(t('medimail:pages.cguSubmit'))}</button>
</form>`;
    return securePage(t, locale, { title: t('medimail:pages.cguTitle'), paragraphs: [t('medimail:pages.cguSummary')], errors: error ? [error] : [], html });
  }
}
