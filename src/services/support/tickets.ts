import crypto from 'node:crypto';
import { dateTime, longDateTime } from '../../dates';
import type { i18n as I18n } from 'i18next';
import type { Locale, Translator } from '../../i18n';
import type { Db } from '../db/database';
import type { Outbox } from '../mail/outbox';
import type { OaDirectory } from '../accreditation/oaDirectory';
import type { SpecialtyCode } from '../accreditation/specialties';
import type { DeskAccounts } from '../desk/deskAccounts';
import { maskEmail } from '../email';
import { redactForRecord } from './redact';
import { localizeTags, type TranscriptLine } from './transcripts';

export const HELPDESK_ROUTES = ['siam', 'oa', 'medimail'] as const;
/** HAS SIAM helpdesk (technical problem with the site), the OA of the specialty, the Medimail service centre. */
export type HelpdeskRoute = (typeof HELPDESK_ROUTES)[number];
export type Journey = 'accreditation' | 'medimail' | 'desk' | 'centre';

/** Where each helpdesk receives tickets (configuration, see .env.example). */
export interface HelpdeskAddresses {
  siam: string;
  /** The subject the HAS helpdesk asks for, exactly. */
  siamSubject: string;
  medimail: string;
  /** OA id → address; an OA without one gets the ticket through its experts on the desk. */
  oa: Record<string, string>;
}

/** What Sésame knows of the user, for the helpdesk (never a secret). */
export interface UserFacts {
  name?: string;
  identifier?: string;
  specialty?: SpecialtyCode;
  requestDate?: Date;
  mssAddress?: string;
  medimailStatus?: string;
}

export interface TicketRequest {
  /** The conversation it comes from ("<channelId>/<conversationId>"). */
  conversation: string;
  /** Who sends it (their address on Sésame's channel, else their channel identity): a new conversation does not reset the limit. */
  client: string;
  route: HelpdeskRoute;
  /** The OA, for the "oa" route. */
  oaId?: string;
  journey?: Journey;
  /** Where the user is: the last card's title and the dialog step. */
  step?: string;
  errors: string[];
  description: string;
  contactEmail: string;
  facts: UserFacts;
  transcript: TranscriptLine[];
  locale: Locale;
  channelId: string;
}

export interface TicketReceipt {
  number: string;
  /** Whether it was mailed to the helpdesk (false: no address is known; the user's copy says what to do). */
  delivered: boolean;
  /** The helpdesk's address, when it may be shown to the user. */
  address: string | undefined;
  /** The helpdesk, named in the user's language ("le support technique de la HAS"...), and after "to" ("au support…"). */
  helpdesk: string;
  helpdeskTo: string;
  maskedEmail: string;
  createdAt: Date;
}

// Knowledge §1.6: a technical problem with the site (mail, username, password, administrative file)
// goes to the HAS helpdesk; eligibility, prerequisites, questionnaire, decision, EPR, bilan to the OA.
const SITE_TOPICS = new Set(['H03', 'H04', 'H05', 'H06', 'H07', 'H08', 'H09', 'H24', 'I01']);

/** The helpdesk for a troubleshooting topic (knowledge §5(a) ids), else for the journey the user is in. */
export function routeFor(topic: string | undefined, journey: Journey | undefined): HelpdeskRoute {
  if (topic?.startsWith('M')) return 'medimail';
  if (topic?.startsWith('H')) return SITE_TOPICS.has(topic) ? 'siam' : 'oa';
  return journey === 'medimail' || journey === 'centre' ? 'medimail' : 'siam';
}

/** What `open` did: sent, or refused because this conversation already sent its share this hour. */
export type TicketOutcome = { status: 'sent'; receipt: TicketReceipt } | { status: 'rateLimited'; retryAt: Date; last: string };

/** Tickets go to people outside Sésame: a conversation, and a client across conversations, may send a few an hour, not a flood. */
const MAX_TICKETS_PER_HOUR = 3;

/** A client is kept only as a hash: enough to count its tickets, nothing to read an address from. */
const clientHash = (client: string) => crypto.createHash('sha256').update(`ticket-client:${client}`).digest('hex');
const HOUR = 60 * 60 * 1000;

/** SES-000042: short enough to read on the phone, unique. */
export function ticketNumber(id: number): string {
  return `SES-${String(id).padStart(6, '0')}`;
}

/**
 * Helpdesk tickets: stored, mailed through the outbox to the right helpdesk with the context
 * (journey and step, last errors, the user's description, the conversation with secrets withheld
 * as an attached text file, Reply-To the user), and a copy to the user — in one transaction.
 */
export class SupportTickets {
  constructor(
    private readonly db: Db,
    private readonly outbox: Outbox,
    private readonly i18n: I18n,
    private readonly directory: OaDirectory,
    private readonly desk: DeskAccounts,
    private readonly addresses: HelpdeskAddresses,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Where a ticket of this route goes: `to` for the mail, `shown` for the user (a helpdesk's own
   * address; an OA without one is reached through its experts, whose addresses are not shown).
   */
  async recipientFor(route: HelpdeskRoute, oaId?: string): Promise<{ to: string; shown?: string } | undefined> {
    if (route === 'siam') return { to: this.addresses.siam, shown: this.addresses.siam };
    if (route === 'medimail') return { to: this.addresses.medimail, shown: this.addresses.medimail };
    if (!oaId) return undefined;
    const configured = this.addresses.oa[oaId];
    if (configured) return { to: configured, shown: configured };
    const experts = await this.desk.expertsOf(oaId);
    return experts.length ? { to: experts.join(', ') } : undefined;
  }

  /** The helpdesk named in a language, as a sentence needs it: "l'organisme agréé CFAR", "à l'…", "de l'…". */
  helpdeskName(t: Translator, route: HelpdeskRoute, oaId: string | undefined, form: 'name' | 'to' | 'of' = 'name'): string {
    const oa = oaId ? this.directory.byId(oaId).name : undefined;
    return t(`mail:ticket.helpdesk.${form}.${route}`, { oa: oa ?? t('mail:ticket.theOa') });
  }

  async open(typed: TicketRequest): Promise<TicketOutcome> {
    const createdAt = this.now();
    const recent = await this.db.supportTicket.findMany({
      where: { OR: [{ conversation: typed.conversation }, { client: clientHash(typed.client) }], createdAt: { gt: new Date(createdAt.getTime() - HOUR) } },
      orderBy: { createdAt: 'asc' },
    });
    if (recent.length >= MAX_TICKETS_PER_HOUR) {
      return { status: 'rateLimited', retryAt: new Date(recent[0].createdAt.getTime() + HOUR), last: ticketNumber(recent.at(-1)!.id) };
    }
    // A password pasted in the description goes no further than the chat did.
    const request = { ...typed, description: redactForRecord(typed.description) };
    const recipient = await this.recipientFor(request.route, request.oaId);
    const staff = this.i18n.getFixedT('fr');
    const user = this.i18n.getFixedT(request.locale);
    const number = await this.db.$transaction(async (tx) => {
      const ticket = await tx.supportTicket.create({
        data: {
          conversation: request.conversation,
          client: clientHash(request.client),
          route: request.route,
          oaId: request.oaId ?? null,
          recipient: recipient?.to ?? null,
          journey: request.journey ?? null,
          step: request.step ?? null,
          errors: JSON.stringify(request.errors),
          description: request.description,
          contactEmail: request.contactEmail,
          identity: JSON.stringify(request.facts),
          transcript: JSON.stringify(request.transcript),
          locale: request.locale,
          channelId: request.channelId,
          createdAt,
        },
      });
      const number = ticketNumber(ticket.id);
      if (recipient) {
        await this.outbox.enqueue(tx, {
          to: recipient.to,
          replyTo: request.contactEmail,
          subject: request.route === 'siam' ? this.addresses.siamSubject : staff('mail:ticket.staff.subject', { number }),
          text: this.staffText(staff, number, request, createdAt),
          attachments: [this.attachment(staff, number, request, createdAt)],
        });
      }
      await this.outbox.enqueue(tx, {
        to: request.contactEmail,
        replyTo: recipient?.shown,
        subject: user('mail:ticket.copy.subject', { number }),
        text: this.copyText(user, number, request, recipient, createdAt),
        attachments: [this.attachment(user, number, request, createdAt)],
      });
      return number;
    });
    this.outbox.nudge();
    const receipt: TicketReceipt = {
      number,
      delivered: Boolean(recipient),
      address: recipient?.shown,
      helpdesk: this.helpdeskName(user, request.route, request.oaId),
      helpdeskTo: this.helpdeskName(user, request.route, request.oaId, 'to'),
      maskedEmail: maskEmail(request.contactEmail),
      createdAt,
    };
    return { status: 'sent', receipt };
  }

  private staffText(t: Translator, number: string, request: TicketRequest, at: Date): string {
    const list = (items: string[], none = t('mail:ticket.none')) => (items.length ? items.map((i) => `- ${i}`).join('\n') : `- ${none}`);
    return t('mail:ticket.staff.text', {
      number,
      date: this.when(t, at),
      helpdesk: this.helpdeskName(t, request.route, request.oaId, 'of'),
      email: request.contactEmail,
      description: request.description,
      journey: t(`mail:ticket.journey.${request.journey ?? 'none'}`),
      step: request.step ?? t('mail:ticket.none'),
      channel: request.channelId,
      language: t(`mail:ticket.language.${request.locale}`),
      facts: list(this.facts(t, request.facts), t('mail:ticket.noFacts')),
      errors: list(request.errors),
      file: this.filename(number),
    });
  }

  private copyText(t: Translator, number: string, request: TicketRequest, recipient: { shown?: string } | undefined, at: Date): string {
    const to = this.helpdeskName(t, request.route, request.oaId, 'to');
    const sent = recipient
      ? t('mail:ticket.copy.sent', { helpdesk: recipient.shown ? `${to} (${recipient.shown})` : to })
      : t('mail:ticket.copy.unrouted', { helpdesk: this.helpdeskName(t, request.route, request.oaId) });
    return t('mail:ticket.copy.text', { number, date: this.when(t, at), sent, description: request.description, file: this.filename(number) });
  }

  private facts(t: Translator, facts: UserFacts): string[] {
    const lines: string[] = [];
    const add = (key: keyof UserFacts, value: string | undefined) => {
      if (value) lines.push(`${t(`mail:ticket.fact.${key}`)} : ${value}`);
    };
    add('name', facts.name);
    add('identifier', facts.identifier);
    add('specialty', facts.specialty ? t(`accreditation:specialty.${facts.specialty}`) : undefined);
    // The facts travel through the dialog's state as JSON: the date comes back as its ISO string.
    add('requestDate', facts.requestDate ? this.when(t, new Date(facts.requestDate)) : undefined);
    add('mssAddress', facts.mssAddress);
    add('medimailStatus', facts.medimailStatus);
    return lines;
  }

  private filename(number: string): string {
    return `${number}-conversation.txt`;
  }

  /** The conversation as a text file a person reads: time, who, what. Secrets were withheld when recorded. */
  private attachment(t: Translator, number: string, request: TicketRequest, at: Date) {
    const time = (d: Date) => dateTime(t, d);
    const lines = request.transcript.map((l) => `[${time(l.at)}] ${t(`mail:ticket.role.${l.role}`)} : ${localizeTags(l.text, (tag) => t(`mail:ticket.tag.${tag}`)).replace(/\n+/g, '\n    ')}`);
    const header = t('mail:ticket.transcriptHeader', { number, date: this.when(t, at), channel: request.channelId });
    return { filename: this.filename(number), contentType: 'text/plain; charset=utf-8', content: `${header}\n\n${lines.join('\n') || t('mail:ticket.none')}\n` };
  }

  private when(t: Translator, d: Date): string {
    return longDateTime(t, d);
  }
}
