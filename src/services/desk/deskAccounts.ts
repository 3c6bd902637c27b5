import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database';
import { checkNewPassword, hashPassword, verifyPassword, type PasswordProblem } from '../identity/passwords';
import type { SecureLinks } from '../identity/secureLinks';

export type DeskRole = 'EXPERT' | 'AGENT';
export const DESK_ACTIVATION = 'desk.activate';

export interface DeskAccountView {
  id: string;
  role: DeskRole;
  email: string;
  name: string;
  oaIds: string[];
}

export type DeskSignIn = { status: 'ok'; account: DeskAccountView } | { status: 'invalid' } | { status: 'locked'; until: Date } | { status: 'notActivated' };

/** The accounts of the desks (OA experts, service-centre agents). No default password exists. */
export class DeskAccounts {
  constructor(
    private readonly db: Db,
    private readonly links: SecureLinks,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates the account and a one-time activation link (7 days) where its owner sets a password. */
  async create(role: DeskRole, email: string, name: string, oaIds: string[] = []): Promise<{ account: DeskAccountView; token: string }> {
    const address = z.string().trim().toLowerCase().email().parse(email);
    const id = crypto.randomUUID();
    await this.db.deskAccount.create({ data: { id, role, email: address, name: name.trim(), oaIds: JSON.stringify(oaIds) } });
    const { token } = await this.links.create(DESK_ACTIVATION, null, 7 * 24 * 60, id);
    return { account: (await this.get(id))!, token };
  }

  /** A new activation link (forgotten password, expired link). */
  async reactivate(email: string): Promise<string> {
    const account = await this.db.deskAccount.findUniqueOrThrow({ where: { email: email.trim().toLowerCase() } });
    return (await this.links.create(DESK_ACTIVATION, null, 7 * 24 * 60, account.id)).token;
  }

  async setPassword(accountId: string, password: string, confirmation: string): Promise<{ status: 'ok' } | { status: 'rejected'; problems: PasswordProblem[] }> {
    const account = await this.db.deskAccount.findUniqueOrThrow({ where: { id: accountId } });
    const problems = checkNewPassword(password, confirmation, { username: account.email.split('@')[0], names: account.name.split(/\s+/) });
    if (problems.length) return { status: 'rejected', problems };
    await this.db.deskAccount.update({ where: { id: accountId }, data: { passwordHash: await hashPassword(password), failedSignIns: 0, lockedUntil: null } });
    return { status: 'ok' };
  }

  async signIn(email: string, password: string): Promise<DeskSignIn> {
    const account = await this.db.deskAccount.findUnique({ where: { email: email.trim().toLowerCase() } });
    if (!account) return { status: 'invalid' };
    const now = this.now();
    if (account.lockedUntil && account.lockedUntil > now) return { status: 'locked', until: account.lockedUntil };
    if (!account.passwordHash) return { status: 'notActivated' };
    if (!(await verifyPassword(password, account.passwordHash))) {
      const failures = account.failedSignIns + 1;
      const locked = failures >= 5;
      const until = new Date(now.getTime() + 15 * 60_000);
      await this.db.deskAccount.update({ where: { id: account.id }, data: { failedSignIns: locked ? 0 : failures, lockedUntil: locked ? until : null } });
      return locked ? { status: 'locked', until } : { status: 'invalid' };
    }
    await this.db.deskAccount.update({ where: { id: account.id }, data: { failedSignIns: 0, lockedUntil: null } });
    return { status: 'ok', account: (await this.get(account.id))! };
  }

  /** The addresses of the activated experts of an OA (where its helpdesk tickets go when it has no address of its own). */
  async expertsOf(oaId: string): Promise<string[]> {
    const experts = await this.db.deskAccount.findMany({ where: { role: 'EXPERT', passwordHash: { not: null } }, orderBy: { createdAt: 'asc' } });
    return experts.filter((e) => (JSON.parse(e.oaIds) as string[]).includes(oaId)).map((e) => e.email);
  }

  async get(id: string): Promise<DeskAccountView | undefined> {
    const a = await this.db.deskAccount.findUnique({ where: { id } });
    return a ? { id: a.id, role: a.role as DeskRole, email: a.email, name: a.name, oaIds: JSON.parse(a.oaIds) as string[] } : undefined;
  }
}
