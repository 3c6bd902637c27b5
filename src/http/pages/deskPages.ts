import type { i18n as I18n } from 'i18next';
import type { ConversationReference } from 'botbuilder';
import type { Translator, Locale } from '../../i18n';
import type { DeskAccounts } from '../../services/desk/deskAccounts';
import { DESK_ACTIVATION } from '../../services/desk/deskAccounts';
import { PASSWORD_MIN_LENGTH } from '../../services/identity/passwords';
import { DESK_SIGN_IN_PURPOSE } from '../../services/identity/linkPurposes';
import type { SecureLinks } from '../../services/identity/secureLinks';
import { time } from '../../cards/format';
import { escapeHtml, page } from './html';
import { FORM_STYLE, header, type PageResponse } from './signInPages';

type Form = Record<string, string | undefined>;

/** The desks' own pages: sign-in (e-mail and password) and account activation (a first password). */
export class DeskPages {
  constructor(
    private readonly accounts: DeskAccounts,
    private readonly links: SecureLinks,
    private readonly i18n: I18n,
    private readonly signedIn: (linkId: string, reference: Partial<ConversationReference>) => Promise<void>,
  ) {}

  private async link(token: string, purpose: string) {
    const link = /^[\w-]{20,64}$/.test(token) ? await this.links.open(token, purpose) : undefined;
    const locale: Locale = (link?.conversation as { locale?: string } | null | undefined)?.locale === 'en' ? 'en' : 'fr';
    return { link, locale, t: this.i18n.getFixedT(locale) };
  }

  async showSignIn(token: string): Promise<PageResponse> {
    const { link, t, locale } = await this.link(token, DESK_SIGN_IN_PURPOSE);
    return link ? this.signInForm(t, locale, token) : expired(t, locale);
  }

  async submitSignIn(token: string, form: Form): Promise<PageResponse> {
    const { link, t, locale } = await this.link(token, DESK_SIGN_IN_PURPOSE);
    if (!link) return expired(t, locale);
    const result = await this.accounts.signIn(form.email ?? '', form.password ?? '');
    if (result.status === 'invalid') return this.signInForm(t, locale, token, t('desk:pages.invalid'), form.email);
    if (result.status === 'notActivated') return this.signInForm(t, locale, token, t('desk:pages.notActivated'), form.email);
    if (result.status === 'locked') return this.signInForm(t, locale, token, t('desk:pages.locked', { time: time(t, result.until) }), form.email);
    await this.links.complete(link.id, result.account.id);
    await this.signedIn(link.id, link.conversation as Partial<ConversationReference>);
    return done(t, locale, t('pages:signin.done'));
  }

  async showActivation(token: string): Promise<PageResponse> {
    const { link, t, locale } = await this.link(token, DESK_ACTIVATION);
    const account = link?.accountId ? await this.accounts.get(link.accountId) : undefined;
    return account ? this.activationForm(t, locale, token, account) : expired(t, locale);
  }

  async submitActivation(token: string, form: Form): Promise<PageResponse> {
    const { link, t, locale } = await this.link(token, DESK_ACTIVATION);
    const account = link?.accountId ? await this.accounts.get(link.accountId) : undefined;
    if (!link || !account) return expired(t, locale);
    const result = await this.accounts.setPassword(account.id, form.password ?? '', form.confirmation ?? '');
    if (result.status === 'rejected') {
      return this.activationForm(t, locale, token, account, result.problems.map((p) => t(`pages:password.${p}`, { min: PASSWORD_MIN_LENGTH })));
    }
    await this.links.complete(link.id, account.id);
    return done(t, locale, t('desk:pages.activated'));
  }

  private signInForm(t: Translator, locale: Locale, token: string, error?: string, email = ''): PageResponse {
    const body = `<main>
<h1>${escapeHtml(t('desk:pages.signinTitle'))}</h1>
<p>${escapeHtml(t('desk:pages.signinIntro'))}</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/compte/bureau/connexion/${encodeURIComponent(token)}">
  <label for="email">${escapeHtml(t('desk:pages.email'))}</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}">
  <label for="password">${escapeHtml(t('desk:pages.password'))}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${escapeHtml(t('desk:pages.submit'))}</button>
</form>
</main>`;
    return { status: error ? 400 : 200, html: page(locale, t('desk:pages.signinTitle'), header(t) + body, FORM_STYLE) };
  }

  private activationForm(t: Translator, locale: Locale, token: string, account: { name: string; email: string }, errors: string[] = []): PageResponse {
    const body = `<main>
<h1>${escapeHtml(t('desk:pages.activateTitle'))}</h1>
<p>${escapeHtml(t('desk:pages.activateIntro', { name: account.name, email: account.email }))}</p>
<p class="help">${escapeHtml(t('pages:password.policy', { min: PASSWORD_MIN_LENGTH }))}</p>
${errors.map((e) => `<p class="error" role="alert">${escapeHtml(e)}</p>`).join('\n')}
<form method="post" action="/compte/bureau/activation/${encodeURIComponent(token)}">
  <label for="password">${escapeHtml(t('pages:password.password'))}</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" required>
  <label for="confirmation">${escapeHtml(t('pages:password.confirmation'))}</label>
  <input id="confirmation" name="confirmation" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" required>
  <button type="submit">${escapeHtml(t('pages:password.submit'))}</button>
</form>
</main>`;
    return { status: errors.length ? 400 : 200, html: page(locale, t('desk:pages.activateTitle'), header(t) + body, FORM_STYLE) };
  }
}

function expired(t: Translator, locale: Locale): PageResponse {
  const body = `<main><h1>${escapeHtml(t('pages:signin.expiredTitle'))}</h1><p>${escapeHtml(t('pages:signin.expired'))}</p></main>`;
  return { status: 410, html: page(locale, t('pages:signin.expiredTitle'), header(t) + body) };
}

function done(t: Translator, locale: Locale, message: string): PageResponse {
  const body = `<main><h1>${escapeHtml(t('pages:signin.doneTitle'))}</h1><p>${escapeHtml(message)}</p></main>`;
  return { status: 200, html: page(locale, t('pages:signin.doneTitle'), header(t) + body) };
}
