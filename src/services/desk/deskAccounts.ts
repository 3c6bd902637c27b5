import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database';
import { checkNewPassword, hashPassword, type PasswordProblem } from '../identity/passwords';
import { SignInThrottle, verifyOrWaste } from '../identity/signInThrottle';
import type { SecureLinks } from '../identity/secureLinks';
import { PERSON_NAME } from '../names';

export type DeskRole = 'EXPERT' | 'AGENT';
export const DESK_ACTIVATION = 'desk.activate';

export interface DeskAccountView {
  id: string;
  role: DeskRole;
  email: string;
  name: string;
  oaIds: string[];
}

export type DeskSignIn = { status: 'ok'; account: DeskAccountView } | { status: 'invalid'; remaining: number } | { status: 'locked'; until: Date };

/** The accounts of the desks (OA experts, service-centre agents). No default password exists. */
export class DeskAccounts {
  private readonly throttle: SignInThrottle;

  /** `onLocked`: how the holder of an account is told it locked (a mail). */
  constructor(
    private readonly db: Db,
    private readonly links: SecureLinks,
    now: () => Date = () => new Date(),
    private readonly onLocked: (email: string, until: Date) => Promise<void> = async () => {},
  ) {
    this.throttle = new SignInThrottle(db, { now });
  }

  /** Creates the account and a one-time activation link (7 days) where its owner sets a password. */
  async create(role: DeskRole, email: string, name: string, oaIds: string[] = []): Promise<{ account: DeskAccountView; token: string }> {
    const address = z.string().trim().toLowerCase().email().parse(email);
    const person = z.string().trim().min(1).max(120).regex(PERSON_NAME, { message: 'a name is letters, spaces, hyphens and apostrophes, e.g. "Dr Anne Le Guen-Şahin"' }).parse(name);
    const id = crypto.randomUUID();
    await this.db.deskAccount.create({ data: { id, role, email: address, name: person, oaIds: JSON.stringify(oaIds) } });
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
    await this.db.deskAccount.update({ where: { id: accountId }, data: { passwordHash: await hashPassword(password) } });
    return { status: 'ok' };
  }

  /** Same answer, same time, for an unknown address, an account never activated and a wrong password. */
  async signIn(email: string, password: string): Promise<DeskSignIn> {
    const address = email.trim().toLowerCase();
    const account = await this.db.deskAccount.findUnique({ where: { email: address } });
    const attempt = await this.throttle.attempt('desk', address, async () => ((await verifyOrWaste(password, account?.passwordHash)) ? account : undefined));
    if (attempt.status === 'invalid') return { status: 'invalid', remaining: attempt.remaining };
    if (attempt.status === 'locked') {
      if (attempt.tell && account?.passwordHash) await this.onLocked(account.email, attempt.until);
      return { status: 'locked', until: attempt.until };
    }
    return { status: 'ok', account: (await this.get(attempt.value!.id))! };
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
