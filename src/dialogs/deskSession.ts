import { TurnContext, type StatePropertyAccessor } from 'botbuilder';
import type { DeskAccounts, DeskAccountView, DeskRole } from '../services/desk/deskAccounts';
import { DESK_SIGN_IN_PURPOSE } from '../services/identity/linkPurposes';
import type { SecureLinks } from '../services/identity/secureLinks';
import { tr, turnLocale } from './turn';

const IDLE_MS = 30 * 60 * 1000;

export interface DeskConversation {
  session?: { deskAccountId: string; lastActiveAt: number };
}

/**
 * A desk's sign-in in a conversation (the OA expert's, the service centre agent's): a one-time
 * link to the bot's page, the account taken once the page is done — only with the desk's role —
 * and a session that ends after 30 minutes without activity.
 */
export class DeskSession {
  constructor(
    private readonly role: DeskRole,
    private readonly desk: DeskAccounts,
    private readonly links: SecureLinks,
    private readonly state: StatePropertyAccessor<DeskConversation>,
    private readonly publicUrl: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The signed-in account, if any (and still active); each call counts as activity. */
  async current(context: TurnContext, expiredKey?: string): Promise<DeskAccountView | undefined> {
    const conversation = await this.state.get(context, {});
    const session = conversation.session;
    if (!session) return undefined;
    if (this.now().getTime() - session.lastActiveAt > IDLE_MS) {
      delete conversation.session;
      if (expiredKey) await context.sendActivity(tr(context)(expiredKey));
      return undefined;
    }
    session.lastActiveAt = this.now().getTime();
    const account = await this.desk.get(session.deskAccountId);
    return account?.role === this.role ? account : undefined;
  }

  /** Sends the intro and the one-time link to the desk's sign-in page. */
  async sendLink(context: TurnContext, introKey: string, linkKey: string): Promise<void> {
    const t = tr(context);
    // The page speaks to the desk's role (an OA expert, a service-centre agent): it travels with the link.
    const link = await this.links.create(DESK_SIGN_IN_PURPOSE, { ...TurnContext.getConversationReference(context.activity), locale: turnLocale(context), deskRole: this.role });
    await context.sendActivity(t(introKey));
    await context.sendActivity(t(linkKey, { url: `${this.publicUrl()}/compte/bureau/connexion/${link.token}` }));
  }

  /** The page's event: the account, if the link was this conversation's and the role is the desk's. */
  async take(context: TurnContext, linkId: string | undefined): Promise<DeskAccountView | undefined> {
    const id = linkId ? await this.links.consume(linkId, context.activity.conversation.id) : undefined;
    const account = id ? await this.desk.get(id) : undefined;
    if (!account || account.role !== this.role) return undefined;
    (await this.state.get(context, {})).session = { deskAccountId: account.id, lastActiveAt: this.now().getTime() };
    return account;
  }

  async end(context: TurnContext): Promise<void> {
    delete (await this.state.get(context, {})).session;
  }
}
