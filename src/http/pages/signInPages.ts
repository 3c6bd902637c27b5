import type { i18n as I18n } from 'i18next';
import type { ConversationReference } from 'botbuilder';
import type { Translator, Locale } from '../../i18n';
import type { AccreditationRegistry } from '../../services/accreditation/registry';
import { PASSWORD_MIN_LENGTH } from '../../services/identity/passwords';
import type { SecureLinks } from '../../services/identity/secureLinks';
import { SIGN_IN_PURPOSE } from '../../services/identity/linkPurposes';
import { escapeHtml, page } from './html';
import { time } from '../../cards/format';


export interface PageResponse {
  status: number;
  html: string;
}

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
    private readonly signedIn: (linkId: string, reference: Partial<ConversationReference>) => Promise<void>,
  ) {}

  async show(token: string): Promise<PageResponse> {
    const { link, t, locale } = await this.context(token);
    if (!link) return this.expired(t, locale);
    if (link.stage === 'password') return this.passwordForm(t, locale, token);
    return this.credentialsForm(t, locale, token);
  }

  async submitCredentials(token: string, form: Form): Promise<PageResponse> {
    const { link, t, locale } = await this.context(token);
    if (!link) return this.expired(t, locale);
    const username = (form.username ?? '').trim();
    const password = form.password ?? '';
    if (!username || !password) return this.credentialsForm(t, locale, token, t('pages:signin.missing'), username);
    const result = await this.registry.signIn(username, password);
    switch (result.status) {
      case 'usernameHasLetters':
        return this.credentialsForm(t, locale, token, t('pages:signin.usernameHasLetters'), '');
      case 'invalid':
        return this.credentialsForm(
          t,
          locale,
          token,
          result.remaining !== undefined ? t('pages:signin.invalidRemaining', { count: result.remaining }) : t('pages:signin.invalid'),
          username,
        );
      case 'locked':
        return this.credentialsForm(t, locale, token, t('pages:signin.locked', { time: time(t, result.until) }), username);
      case 'tempExpired':
        return this.credentialsForm(t, locale, token, t('pages:signin.tempExpired'), username);
      case 'ok':
        if (result.mustChangePassword) {
          await this.links.advance(link.id, 'password', result.accountId);
          return this.passwordForm(t, locale, token);
        }
        return this.finish(t, locale, link.id, result.accountId, link.conversation);
    }
  }

  async submitPassword(token: string, form: Form): Promise<PageResponse> {
    const { link, t, locale } = await this.context(token);
    if (!link) return this.expired(t, locale);
    if (link.stage !== 'password' || !link.accountId) return this.credentialsForm(t, locale, token);
    const result = await this.registry.setPersonalPassword(link.accountId, form.password ?? '', form.confirmation ?? '');
    if (result.status === 'rejected') {
      return this.passwordForm(t, locale, token, result.problems.map((p) => t(`pages:password.${p}`, { min: PASSWORD_MIN_LENGTH })));
    }
    return this.finish(t, locale, link.id, link.accountId, link.conversation);
  }

  private async finish(t: Translator, locale: Locale, linkId: string, accountId: string, conversation: unknown): Promise<PageResponse> {
    await this.links.complete(linkId, accountId);
    await this.signedIn(linkId, conversation as Partial<ConversationReference>);
    const body = `<main><h1>${escapeHtml(t('pages:signin.doneTitle'))}</h1><p>${escapeHtml(t('pages:signin.done'))}</p></main>`;
    return { status: 200, html: page(locale, t('pages:signin.doneTitle'), header(t) + body) };
  }

  private async context(token: string) {
    const link = /^[\w-]{20,64}$/.test(token) ? await this.links.open(token, SIGN_IN_PURPOSE) : undefined;
    const reference = link?.conversation as { locale?: string } | undefined;
    const locale: Locale = reference?.locale?.startsWith('en') ? 'en' : 'fr';
    return { link, locale, t: this.i18n.getFixedT(locale) };
  }

  private expired(t: Translator, locale: Locale): PageResponse {
    const body = `<main><h1>${escapeHtml(t('pages:signin.expiredTitle'))}</h1><p>${escapeHtml(t('pages:signin.expired'))}</p></main>`;
    return { status: 410, html: page(locale, t('pages:signin.expiredTitle'), header(t) + body) };
  }

  private credentialsForm(t: Translator, locale: Locale, token: string, error?: string, username = ''): PageResponse {
    const body = `<main>
<h1>${escapeHtml(t('pages:signin.title'))}</h1>
<p>${escapeHtml(t('pages:signin.intro'))}</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/compte/connexion/${encodeURIComponent(token)}" autocomplete="on">
  <label for="username">${escapeHtml(t('pages:signin.username'))}</label>
  <input id="username" name="username" inputmode="numeric" autocomplete="username" required value="${escapeHtml(username)}" aria-describedby="username-help">
  <p id="username-help" class="help">${escapeHtml(t('pages:signin.usernameHelp'))}</p>
  <label for="password">${escapeHtml(t('pages:signin.password'))}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${escapeHtml(t('pages:signin.submit'))}</button>
</form>
</main>`;
    return { status: error ? 400 : 200, html: page(locale, t('pages:signin.title'), header(t) + body, FORM_STYLE) };
  }

  private passwordForm(t: Translator, locale: Locale, token: string, errors: string[] = []): PageResponse {
    const body = `<main>
<h1>${escapeHtml(t('pages:password.title'))}</h1>
<p>${escapeHtml(t('pages:password.intro'))}</p>
<p class="help">${escapeHtml(t('pages:password.policy', { min: PASSWORD_MIN_LENGTH }))}</p>
${errors.map((e) => `<p class="error" role="alert">${escapeHtml(e)}</p>`).join('\n')}
<form method="post" action="/compte/connexion/${encodeURIComponent(token)}/mot-de-passe">
  <label for="password">${escapeHtml(t('pages:password.password'))}</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" required>
  <label for="confirmation">${escapeHtml(t('pages:password.confirmation'))}</label>
  <input id="confirmation" name="confirmation" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" required>
  <button type="submit">${escapeHtml(t('pages:password.submit'))}</button>
</form>
</main>`;
    return { status: errors.length ? 400 : 200, html: page(locale, t('pages:password.title'), header(t) + body, FORM_STYLE) };
  }
}

export const FORM_STYLE = `<style>
  form { display: grid; gap: 0.4rem; max-width: 26rem; background: #fff; padding: 1rem; border: 1px solid #dde3ea; }
  label { font-weight: 600; margin-top: 0.5rem; }
  input { font-size: 1.1rem; padding: 0.5rem; }
  button { margin-top: 1rem; font-size: 1.05rem; padding: 0.6rem; background: #00437a; color: #fff; border: 0; }
  .help { color: #555; font-size: 0.9rem; margin: 0; }
  .error { color: #a4262c; font-weight: 600; }
</style>`;

export function header(t: Translator): string {
  return `<header><h1>${escapeHtml(t('pages:webchat.heading'))}</h1><p>${escapeHtml(t('pages:webchat.tagline'))}</p></header>`;
}
