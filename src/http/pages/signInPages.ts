import type { i18n as I18n } from 'i18next';
import type { Translator, Locale } from '../../i18n';
import type { AccreditationRegistry } from '../../services/accreditation/registry';
import type { SecureLinks, SecureLinkView } from '../../services/identity/secureLinks';
import { SIGN_IN_PURPOSE } from '../../services/identity/linkPurposes';
import { escapeHtml } from './html';
import {
  openSecureLink,
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

export type { PageResponse } from './secretForms';
import { time } from '../../dates';
import { checkProfessionalId } from '../../services/identifiers';
import type { RateLimits } from '../../services/rateLimits';


type Form = Record<string, string | undefined>;

/**
 * "Déjà inscrit": the bot's own sign-in page, reached by a one-time link bound to the
 * conversation. Username and password are typed here, never in the chat. A first sign-in with
 * the temporary password goes on to the personal password; when done, the conversation
 * continues by itself (ProactiveNotifier).
 */
export class SignInPages {
  constructor(
    private readonly registry: AccreditationRegistry,
    private readonly links: SecureLinks,
    private readonly i18n: I18n,
    private readonly signedIn: ContinueConversation,
    private readonly limits: RateLimits,
  ) {}

  async show(token: string): Promise<PageResponse> {
    const { link, t, locale } = await this.context(token);
    if (!link) return expiredPage(t, locale);
    if (link.stage === 'password') return this.passwordForm(t, locale, token);
    return this.credentialsForm(t, locale, token);
  }

  async submitCredentials(token: string, form: Form, visitor: Visitor): Promise<PageResponse> {
    const { link, t, locale } = await this.context(token);
    if (!link) return expiredPage(t, locale);
    const username = (form.username ?? '').trim();
    const password = form.password ?? '';
    if (!username || !password) return this.credentialsForm(t, locale, token, t('pages:signin.missing'), username);
    if (!(await this.links.countAttempt(link.id))) return spentPage(t, locale);
    const result = await this.registry.signIn(username, password);
    switch (result.status) {
      case 'usernameHasLetters':
        return this.credentialsForm(t, locale, token, t('pages:signin.usernameHasLetters'), '');
      case 'invalid':
        return this.credentialsForm(t, locale, token, t('pages:signin.invalidRemaining', { count: result.remaining }), username);
      case 'locked':
        return this.credentialsForm(t, locale, token, t('pages:signin.locked', { time: time(t, result.until) }), username);
      case 'tempExpired':
        return this.credentialsForm(t, locale, token, t('pages:signin.tempExpired'), username);
      case 'ok':
        if (result.mustChangePassword) {
          await this.links.advance(link.id, 'password', result.accountId);
          return this.passwordForm(t, locale, token);
        }
        return this.finish(t, locale, link, result.accountId, visitor);
    }
  }

  async submitPassword(token: string, form: Form, visitor: Visitor): Promise<PageResponse> {
    const { link, t, locale } = await this.context(token);
    if (!link) return expiredPage(t, locale);
    if (link.stage !== 'password' || !link.accountId) return this.credentialsForm(t, locale, token);
    const result = await this.registry.setPersonalPassword(link.accountId, form.password ?? '', form.confirmation ?? '');
    if (result.status === 'rejected') {
      return this.passwordForm(t, locale, token, passwordProblems(t, result.problems));
    }
    return this.finish(t, locale, link, link.accountId, visitor);
  }

  /** « Mot de passe oublié » on the sign-in page: the number only. */
  async showForgot(token: string): Promise<PageResponse> {
    const { link, t, locale } = await this.context(token);
    if (!link) return expiredPage(t, locale);
    return this.forgotForm(t, locale, token);
  }

  /**
   * A new temporary password to the address of the number's request — the resend's rules: three an
   * hour per request, five an hour per conversation, a few attempts per link — and one answer whether
   * a request exists, was just sent one, or not: the page tells nobody who is registered.
   */
  async submitForgot(token: string, form: Form): Promise<PageResponse> {
    const { link, t, locale } = await this.context(token);
    if (!link) return expiredPage(t, locale);
    const typed = (form.username ?? '').trim();
    const id = checkProfessionalId(typed);
    if (id.status === 'invalid') {
      const error = id.reason === 'letters' ? t('pages:signin.usernameHasLetters') : t('pages:forgot.invalid');
      return this.forgotForm(t, locale, token, error, id.reason === 'letters' ? '' : typed);
    }
    if (!(await this.links.countAttempt(link.id))) return spentPage(t, locale);
    const reference = link.conversation as { channelId?: string; conversation?: { id?: string } } | null;
    const taken = await this.limits.take('registration', `${reference?.channelId ?? '?'}/${reference?.conversation?.id ?? link.id}`);
    if (!taken.ok) return this.forgotForm(t, locale, token, t('pages:forgot.tooMany', { time: time(t, taken.retryAt) }), typed);
    const number = id.status === 'nationalId' ? id.rpps : id.value;
    await this.registry.resendByIdentifier(number);
    return securePage(t, locale, {
      title: t('pages:forgot.sentTitle'),
      paragraphs: [t('pages:forgot.sent', { identifier: number }), t('pages:forgot.personal'), t('pages:forgot.spam')],
      html: `<p><a href="/compte/connexion/${encodeURIComponent(token)}">${escapeHtml(t('pages:forgot.back'))}</a></p>`,
    });
  }

  private finish(t: Translator, locale: Locale, link: SecureLinkView, accountId: string, visitor: Visitor): Promise<PageResponse> {
    return finishLink(this.links, link, accountId, visitor, this.signedIn, { t, locale, message: t('pages:signin.done') });
  }

  private async context(token: string) {
    return openSecureLink(this.links, this.i18n, token, SIGN_IN_PURPOSE);
  }

  private credentialsForm(t: Translator, locale: Locale, token: string, error?: string, username = ''): PageResponse {
    const html = `<form method="post" action="/compte/connexion/${encodeURIComponent(token)}" autocomplete="on">
  <label for="username">${escapeHtml(t('pages:signin.username'))}</label>
  <input id="username" name="username" inputmode="numeric" autocomplete="username" required value="${escapeHtml(username)}" aria-describedby="username-help">
  <p id="username-help" class="help">${escapeHtml(t('pages:signin.usernameHelp'))}</p>
  <label for="password">${escapeHtml(t('pages:signin.password'))}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${escapeHtml(t('pages:signin.submit'))}</button>
</form>
<p><a href="/compte/connexion/${encodeURIComponent(token)}/oubli">${escapeHtml(t('pages:forgot.link'))}</a></p>`;
    return securePage(t, locale, { title: t('pages:signin.title'), paragraphs: [t('pages:signin.intro')], errors: error ? [error] : [], html });
  }

  private forgotForm(t: Translator, locale: Locale, token: string, error?: string, username = ''): PageResponse {
    const html = `<form method="post" action="/compte/connexion/${encodeURIComponent(token)}/oubli">
  <label for="username">${escapeHtml(t('pages:signin.username'))}</label>
  <input id="username" name="username" inputmode="numeric" autocomplete="username" required value="${escapeHtml(username)}" aria-describedby="username-help">
  <p id="username-help" class="help">${escapeHtml(t('pages:signin.usernameHelp'))}</p>
  <button type="submit">${escapeHtml(t('pages:forgot.submit'))}</button>
</form>
<p><a href="/compte/connexion/${encodeURIComponent(token)}">${escapeHtml(t('pages:forgot.back'))}</a></p>`;
    return securePage(t, locale, { title: t('pages:forgot.title'), paragraphs: [t('pages:forgot.intro')], errors: error ? [error] : [], html });
  }

  private passwordForm(t: Translator, locale: Locale, token: string, errors: string[] = []): PageResponse {
    return securePage(t, locale, {
      title: t('pages:password.title'),
      paragraphs: [t('pages:password.intro')],
      errors,
      html: newPasswordForm(t, `/compte/connexion/${encodeURIComponent(token)}/mot-de-passe`),
    });
  }
}
