import type { i18n as I18n } from 'i18next';
import type { ConversationReference } from 'botbuilder';
import type { Locale, Translator } from '../../i18n';
import type { SecureLinks, SecureLinkView } from '../../services/identity/secureLinks';
import { PASSWORD_MIN_LENGTH } from '../../services/identity/passwords';
import { escapeHtml, page } from './html';

/**
 * Opens the one-time link a secure page was reached by (undefined when malformed, used, expired or
 * for another purpose) and the language of the conversation that created it.
 */
export async function openSecureLink(links: SecureLinks, i18n: I18n, token: string, purpose: string) {
  const link = /^[\w-]{20,64}$/.test(token) ? await links.open(token, purpose) : undefined;
  const reference = link?.conversation as { locale?: string } | null | undefined;
  const locale: Locale = reference?.locale?.startsWith('en') ? 'en' : 'fr';
  return { link, locale, t: i18n.getFixedT(locale) };
}

/** Who opened a page: whether their browser is the one that holds the conversation of a link. */
export interface Visitor {
  isChatBrowser(reference: unknown): Promise<boolean>;
}

/** A visitor known to hold no chat (a test, a command-line client): the code is always asked. */
export const ELSEWHERE: Visitor = { isChatBrowser: async () => false };

/** How a finished page continues its conversation: `needsCode` when the code shown must be typed there first. */
export type ContinueConversation = (linkId: string, reference: Partial<ConversationReference>, needsCode: boolean) => Promise<void>;

/**
 * A page is done: the link is completed and its conversation told. In the chat's own browser the
 * conversation continues at once ("done" page); anywhere else the page shows the code to type in
 * the conversation that asked, so a link sent to someone else signs nobody in.
 */
export async function finishLink(
  links: SecureLinks,
  link: SecureLinkView,
  accountId: string,
  visitor: Visitor,
  proceed: ContinueConversation,
  done: { t: Translator; locale: Locale; message: string; title?: string },
): Promise<PageResponse> {
  const { t, locale } = done;
  const { code } = await links.complete(link.id, accountId, await visitor.isChatBrowser(link.conversation));
  if (link.conversation) await proceed(link.id, link.conversation as Partial<ConversationReference>, Boolean(code));
  if (!code) return donePage(t, locale, done.message, done.title);
  return securePage(t, locale, {
    title: t('pages:code.title'),
    paragraphs: [t('pages:code.intro')],
    html: `<p class="code" aria-label="${escapeHtml(t('pages:code.label'))}">${code.slice(0, 3)} ${code.slice(3)}</p>
<p>${escapeHtml(t('pages:code.validity'))}</p>
<p class="help">${escapeHtml(t('pages:code.notYou'))}</p>`,
  });
}

/** A link on which too many secrets were typed: spent, a new one comes from the conversation. */
export function spentPage(t: Translator, locale: Locale): PageResponse {
  return securePage(t, locale, { title: t('pages:signin.expiredTitle'), paragraphs: [t('pages:signin.spent')], status: 429 });
}

/** What a secure page answers: an HTTP status and the HTML. */
export interface PageResponse {
  status: number;
  html: string;
}

// The pieces every secure page is made of: the header, the forms where secrets are typed,
// and the "done" / "link no longer valid" pages.

const FORM_STYLE = `<style>
  form { display: grid; gap: 0.4rem; max-width: 26rem; background: var(--surface); padding: 1rem; border: 1px solid var(--border); margin-bottom: 1rem; }
  label { font-weight: 600; margin-top: 0.5rem; }
  input { font-size: 1.1rem; padding: 0.5rem; min-height: 24px; background: var(--surface); color: var(--text); border: 1px solid var(--muted); }
  button { margin-top: 1rem; font-size: 1.05rem; padding: 0.6rem; min-height: 44px; background: var(--brand); color: var(--on-brand); border: 0; }
  .help { color: var(--muted); font-size: 0.9rem; margin: 0.25rem 0 0; }
  input[type=checkbox], input[type=radio] { width: 24px; height: 24px; min-height: 24px; vertical-align: middle; }
  .error { color: var(--error); font-weight: 600; }
  .code { font-size: 2.2rem; font-weight: 700; letter-spacing: 0.2em; background: var(--surface); border: 2px solid var(--brand); padding: 0.5rem 1rem; display: inline-block; font-variant-numeric: tabular-nums; }
</style>`;

function header(t: Translator): string {
  return `<header><h1>${escapeHtml(t('pages:webchat.heading'))}</h1><p>${escapeHtml(t('pages:webchat.tagline'))}</p></header>`;
}

const messages = (errors: string[], info?: string) =>
  errors.map((e) => `<p class="error" role="alert">${escapeHtml(e)}</p>`).join('\n') + (info ? `<p class="help" role="status">${escapeHtml(info)}</p>` : '');

/** A page of the bot's own: header, title, paragraphs, messages, then free HTML (forms). */
export function securePage(
  t: Translator,
  locale: Locale,
  content: { title: string; paragraphs?: string[]; errors?: string[]; info?: string; html?: string; status?: number },
): PageResponse {
  const errors = content.errors ?? [];
  const body = `${header(t)}<main>
<h1>${escapeHtml(content.title)}</h1>
${(content.paragraphs ?? []).map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${messages(errors, content.info)}
${content.html ?? ''}
</main>`;
  return { status: content.status ?? (errors.length ? 400 : 200), html: page(locale, content.title, body, FORM_STYLE) };
}

/** Choose a password, typed twice, with the policy shown. */
/**
 * A first password. `username` says what the person signs in with: a physician their number (the
 * policy speaks of their « nom d'utilisateur »), a desk or Medimail account its e-mail address.
 * `submit`: the button, « Activer mon compte » for a desk account, « Enregistrer et continuer » otherwise.
 */
export function newPasswordForm(t: Translator, action: string, username: 'number' | 'email' = 'number', submit: 'activate' | 'submit' = username === 'email' ? 'activate' : 'submit'): string {
  const policy = username === 'email' ? 'pages:password.policyEmail' : 'pages:password.policy';
  return `<p class="help">${escapeHtml(t(policy, { min: PASSWORD_MIN_LENGTH }))}</p>
<form method="post" action="${escapeHtml(action)}">
  <label for="password">${escapeHtml(t('pages:password.password'))}</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" required>
  <label for="confirmation">${escapeHtml(t('pages:password.confirmation'))}</label>
  <input id="confirmation" name="confirmation" type="password" autocomplete="new-password" minlength="${PASSWORD_MIN_LENGTH}" required>
  <button type="submit">${escapeHtml(t(`pages:password.${submit}`))}</button>
</form>`;
}

/** Sign in with an e-mail address and a password (desks, Medimail). */
export function emailPasswordForm(t: Translator, action: string, email = ''): string {
  return `<form method="post" action="${escapeHtml(action)}">
  <label for="email">${escapeHtml(t('desk:pages.email'))}</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}">
  <label for="password">${escapeHtml(t('desk:pages.password'))}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${escapeHtml(t('desk:pages.submit'))}</button>
</form>`;
}

/**
 * Password-policy problems, as the page names them. A physician's username is their number; a desk
 * account's (an OA expert, a service-centre agent) is their e-mail address, and the page says so.
 */
export function passwordProblems(t: Translator, problems: string[], username: 'number' | 'email' = 'number'): string[] {
  return problems.map((p) => t(`pages:password.${p === 'containsUsername' && username === 'email' ? 'containsEmail' : p}`, { min: PASSWORD_MIN_LENGTH }));
}

/** A one-time link already used, expired, or unknown. */
export function expiredPage(t: Translator, locale: Locale): PageResponse {
  return securePage(t, locale, { title: t('pages:signin.expiredTitle'), paragraphs: [t('pages:signin.expired')], status: 410 });
}

export function donePage(t: Translator, locale: Locale, message: string, title = t('pages:signin.doneTitle')): PageResponse {
  return securePage(t, locale, { title, paragraphs: [message] });
}
