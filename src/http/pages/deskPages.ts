import type { i18n as I18n } from 'i18next';
import type { Translator, Locale } from '../../i18n';
import type { DeskAccounts, DeskRole } from '../../services/desk/deskAccounts';
import { DESK_ACTIVATION } from '../../services/desk/deskAccounts';
import { DESK_SIGN_IN_PURPOSE } from '../../services/identity/linkPurposes';
import type { SecureLinks } from '../../services/identity/secureLinks';
import { time } from '../../dates';
import {
  openSecureLink,
  donePage,
  emailPasswordForm,
  finishLink,
  newPasswordForm,
  passwordProblems,
  securePage,
  type ContinueConversation,
  type PageResponse,
  type Visitor,
} from './secretForms';

type Form = Record<string, string | undefined>;

/**
 * A desk link no longer valid, in a desk's words: a new sign-in link comes from « espace expert » (or
 * the centre's), a new activation link from Sésame's administrator — never the physician's « Me connecter ».
 */
function deskExpired(t: Translator, locale: Locale, kind: 'signIn' | 'activation' | 'spent'): PageResponse {
  return securePage(t, locale, { title: t('pages:signin.expiredTitle'), paragraphs: [t(`desk:pages.expired.${kind}`)], status: kind === 'spent' ? 429 : 410 });
}

/** The desk a page speaks to: the words are per role (desk:role.EXPERT / desk:role.AGENT). */
const roleOf = (value: unknown): DeskRole => ((value as { deskRole?: unknown } | null)?.deskRole === 'AGENT' ? 'AGENT' : 'EXPERT');

/** The desks' own pages: sign-in (e-mail and password) and account activation (a first password). */
export class DeskPages {
  constructor(
    private readonly accounts: DeskAccounts,
    private readonly links: SecureLinks,
    private readonly i18n: I18n,
    private readonly signedIn: ContinueConversation,
  ) {}

  private async link(token: string, purpose: string) {
    return openSecureLink(this.links, this.i18n, token, purpose);
  }

  async showSignIn(token: string): Promise<PageResponse> {
    const { link, t, locale } = await this.link(token, DESK_SIGN_IN_PURPOSE);
    return link ? this.signInForm(t, locale, token, roleOf(link.conversation)) : deskExpired(t, locale, 'signIn');
  }

  async submitSignIn(token: string, form: Form, visitor: Visitor): Promise<PageResponse> {
    const { link, t, locale } = await this.link(token, DESK_SIGN_IN_PURPOSE);
    if (!link) return deskExpired(t, locale, 'signIn');
    if (!(await this.links.countAttempt(link.id))) return deskExpired(t, locale, 'spent');
    const result = await this.accounts.signIn(form.email ?? '', form.password ?? '');
    const role = roleOf(link.conversation);
    if (result.status === 'invalid') return this.signInForm(t, locale, token, role, t('desk:pages.invalid', { count: result.remaining }), form.email);
    if (result.status === 'locked') return this.signInForm(t, locale, token, role, t('desk:pages.locked', { time: time(t, result.until) }), form.email);
    return finishLink(this.links, link, result.account.id, visitor, this.signedIn, { t, locale, message: t('pages:signin.done') });
  }

  async showActivation(token: string): Promise<PageResponse> {
    const { link, t, locale } = await this.link(token, DESK_ACTIVATION);
    const account = link?.accountId ? await this.accounts.get(link.accountId) : undefined;
    return account ? this.activationForm(t, locale, token, account) : deskExpired(t, locale, 'activation');
  }

  async submitActivation(token: string, form: Form): Promise<PageResponse> {
    const { link, t, locale } = await this.link(token, DESK_ACTIVATION);
    const account = link?.accountId ? await this.accounts.get(link.accountId) : undefined;
    if (!link || !account) return deskExpired(t, locale, 'activation');
    const result = await this.accounts.setPassword(account.id, form.password ?? '', form.confirmation ?? '');
    if (result.status === 'rejected') {
      return this.activationForm(t, locale, token, account, passwordProblems(t, result.problems, 'email'));
    }
    // An activation link is made by the administrator's command, for no conversation: nothing to hand over.
    await this.links.complete(link.id, account.id, true);
    return donePage(t, locale, t(`desk:role.${account.role}.activated`), t('desk:pages.activatedTitle'));
  }

  private signInForm(t: Translator, locale: Locale, token: string, role: DeskRole, error?: string, email = ''): PageResponse {
    return securePage(t, locale, {
      title: t(`desk:role.${role}.signinTitle`),
      paragraphs: [t(`desk:role.${role}.signinIntro`)],
      errors: error ? [error] : [],
      html: emailPasswordForm(t, `/compte/bureau/connexion/${encodeURIComponent(token)}`, email),
    });
  }

  private activationForm(t: Translator, locale: Locale, token: string, account: { name: string; email: string }, errors: string[] = []): PageResponse {
    return securePage(t, locale, {
      title: t('desk:pages.activateTitle'),
      paragraphs: [t('desk:pages.activateIntro', { name: account.name, email: account.email })],
      errors,
      html: newPasswordForm(t, `/compte/bureau/activation/${encodeURIComponent(token)}`, 'email'),
    });
  }
}
