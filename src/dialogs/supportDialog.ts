import { Channels, EventFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import { time as clockTime } from '../dates';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import { ticketData } from '../cards/support';
import { renderCard } from '../cards/render';
import { isOpen } from '../services/businessHours';
import { emailSchema } from '../services/email';
import type { OaDirectory } from '../services/accreditation/oaDirectory';
import { SPECIALTY_CODES } from '../services/accreditation/specialties';
import { HELPDESK_ROUTES, routeFor, type HelpdeskRoute, type Journey, type SupportTickets, type UserFacts } from '../services/support/tickets';
import { redactForRecord } from '../services/support/redact';
import { conversationKey, TAG, type TranscriptLine, type TranscriptStore } from '../services/support/transcripts';
import { CardPrompt, type CardPromptResult } from './cardPrompt';
import { clientKey, tr, turnLocale } from './turn';
import { withinLimits } from './limits';
import type { RateLimits } from '../services/rateLimits';

export const SUPPORT_DIALOG = 'support';
const FLOW = 'support.flow';
const P_TICKET = 'support.ticketCard';

export interface SupportOptions {
  /** What the user asked just before: the description starts from it. */
  question?: string;
  /** The topic of the last answer (a Medimail topic goes to Medimail's helpdesk...). */
  topic?: string;
  /** The helpdesk already chosen by the button that opened the ticket (« Contacter mon OA »); wins over the topic. */
  route?: HelpdeskRoute;
  /** Where the user was when they asked: the journey and the dialog step. */
  journey?: Journey;
  leaf?: string;
}

/** What Sésame knows of the user, read from their journeys. */
export interface SupportProfile {
  email?: string;
  facts: UserFacts;
  /** The OA of their specialty, when the accreditation journey knows it. */
  oaId?: string;
  journey?: Journey;
}

export interface SupportContext {
  profile(context: TurnContext): Promise<SupportProfile>;
}

interface Draft {
  journey?: Journey;
  step?: string;
  errors: string[];
  facts: UserFacts;
  oaId?: string;
}

const ticketSchema = (askSpecialty: boolean) =>
  z
    .object({
      route: z.enum(HELPDESK_ROUTES, { message: 'choice' }),
      specialty: z.union([z.enum(SPECIALTY_CODES), z.literal('')]).optional(),
      description: z.string().trim().min(10, 'describeProblem').max(2000),
      email: emailSchema,
    })
    .superRefine((v, ctx) => {
      if (askSpecialty && v.route === 'oa' && !v.specialty) ctx.addIssue({ code: 'custom', path: ['specialty'], message: 'specialtyForOa' });
    });
type TicketValues = z.infer<ReturnType<typeof ticketSchema>>;

/**
 * "conseiller", "contacter le support": the problem is handed to the right helpdesk with what it
 * needs — the journey and step, the last errors, the user's own description, a contact address
 * (prefilled), the conversation with secrets withheld — stored, mailed (copy to the user), its
 * number shown; then the Bot Framework handoff event, so a channel with live agents can take over.
 * Pushed on top of whatever the user was doing, which comes back when the ticket is sent.
 */
export class SupportDialog extends ComponentDialog {
  constructor(
    private readonly tickets: SupportTickets,
    private readonly transcripts: TranscriptStore,
    private readonly directory: OaDirectory,
    private readonly support: SupportContext,
    private readonly limits: RateLimits,
  ) {
    super(SUPPORT_DIALOG);
    this.addDialog(
      new CardPrompt(P_TICKET, {
        verbs: ['send', 'cancel'],
        schema: ticketSchema(false),
        schemaFor: (verb, shown) => (verb === 'send' ? ticketSchema(shown.askSpecialty === '1') : undefined),
        fields: {
          route: { label: 'support.route' },
          specialty: { label: 'support.specialty' },
          description: { label: 'support.description', example: 'support.descriptionExample' },
          email: { label: 'support.email', example: 'support.emailExample' },
        },
        render: (t, view) => renderCard('support/ticket', ticketData(t, view, view.values.askSpecialty === '1')),
      }),
    );
    this.addDialog(new WaterfallDialog(FLOW, [this.prepare.bind(this), this.send.bind(this)]));
    this.initialDialogId = FLOW;
  }

  /** Gather what the helpdesk will need, then show it with the three questions. */
  private async prepare(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as SupportOptions;
    const key = conversationKey(step.context.activity);
    const [profile, errors, recent] = await Promise.all([this.support.profile(step.context), this.transcripts.lastErrors(key), this.transcripts.recent(key, 20)]);
    const journey = options.journey ?? profile.journey;
    // The helpdesk gets the step's title and its dialog id; the user sees the title. Outside a journey
    // the last card is the menu: no step to speak of.
    const title = journey ? lastCardTitle(recent) : undefined;
    const stepForHelpdesk = [title, options.leaf ? `(${options.leaf})` : ''].filter(Boolean).join(' ');
    const draft: Draft = { journey, step: stepForHelpdesk || undefined, errors: errors.map((e) => e.text), facts: profile.facts, oaId: profile.oaId };
    (step.values as { draft?: Draft }).draft = draft;
    const route = options.route ?? routeFor(options.topic, journey);
    return step.beginDialog(P_TICKET, {
      values: {
        route,
        email: profile.email ?? '',
        description: options.question ?? '',
        specialty: profile.facts.specialty ?? '',
        askSpecialty: profile.oaId ? '0' : '1',
        where: [journey ? tr(step.context)(`mail:ticket.journey.${journey}`) : '', title?.slice(0, 90) ?? ''].filter(Boolean).join(' — '),
        errorList: draft.errors.join('\n'),
      },
    });
  }

  /** Send it (stored, mailed, copy to the user), say where it went and under which number. */
  private async send(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const { verb, values } = step.result as CardPromptResult<TicketValues>;
    if (verb !== 'send') {
      await step.context.sendActivity(t('support.cancelled'));
      return step.endDialog();
    }
    const { draft } = step.values as { draft: Draft };
    const route: HelpdeskRoute = values.route;
    const oaId = route === 'oa' ? (draft.oaId ?? (values.specialty ? this.directory.forSpecialty(values.specialty).id : undefined)) : undefined;
    const facts = { ...draft.facts, specialty: draft.facts.specialty ?? (values.specialty || undefined) };
    const context = step.context;
    // A password pasted in the description goes neither to the helpdesk nor to a live-agent channel.
    const description = redactForRecord(values.description);
    const conversation = conversationKey(context.activity);
    // The user's copy goes to the address typed: a mailbox gets a few a day, whoever asks.
    if (!(await withinLimits(context, this.limits, 'ticket', [values.email]))) return step.endDialog();
    const transcript = await this.transcripts.recent(conversation);
    const outcome = await this.tickets.open({
      conversation,
      client: clientKey(context),
      route,
      oaId,
      journey: draft.journey,
      step: draft.step,
      errors: draft.errors,
      description,
      contactEmail: values.email,
      facts,
      transcript,
      locale: turnLocale(context),
      channelId: context.activity.channelId,
    });
    if (outcome.status === 'rateLimited') {
      const time = clockTime(t, outcome.retryAt);
      await context.sendActivity(t('support.rateLimited', { last: outcome.last, time }));
      return step.endDialog();
    }
    const { receipt } = outcome;
    const said = [
      receipt.delivered
        ? t('support.sent', { number: receipt.number, helpdesk: receipt.address ? `${receipt.helpdeskTo} (${receipt.address})` : receipt.helpdeskTo, email: receipt.maskedEmail })
        : t('support.sentUnrouted', { number: receipt.number, helpdesk: receipt.helpdesk, email: receipt.maskedEmail }),
    ];
    // The service centre also answers by phone: whether it is open now (Paris time, holidays included).
    if (route === 'medimail') said.push(`${t('medimail:support.text')} ${t(isOpen(new Date()) ? 'medimail:support.open' : 'medimail:support.closed')}`);
    await context.sendActivity(MessageFactory.text(said.join('\n\n')));
    await this.handoff(context, { ticket: receipt.number, route, helpdesk: receipt.address ?? null, journey: draft.journey ?? null, step: draft.step ?? null, errors: draft.errors, description }, transcript);
    return step.endDialog({ ticket: receipt.number });
  }

  /**
   * The Bot Framework handoff convention: a `handoff.initiate` event carrying the context and the
   * transcript (secrets already withheld), for a channel with live agents. Not sent to Teams: it has
   * no live agents to take over, and its connector does not document event activities from a bot.
   */
  private async handoff(context: TurnContext, handoffContext: Record<string, unknown>, lines: TranscriptLine[]): Promise<void> {
    if (context.activity.channelId === Channels.Msteams) return;
    const activities = lines
      .filter((l) => l.role !== 'error')
      .map((l) => ({ type: 'message', timestamp: l.at, text: l.text, from: l.role === 'user' ? { ...context.activity.from, role: 'user' } : { id: context.activity.recipient.id, name: context.activity.recipient.name, role: 'bot' } }) as Partial<Activity>);
    await context.sendActivity(EventFactory.createHandoffInitiation(context, handoffContext, { activities: activities as Activity[] }));
  }
}

/** The title of the last card the bot showed: where the user is, in words they saw. */
function lastCardTitle(lines: TranscriptLine[]): string | undefined {
  const card = [...lines].reverse().find((l) => l.role === 'bot' && l.text.includes(TAG.card));
  if (!card) return undefined;
  const afterTag = card.text.slice(card.text.indexOf(TAG.card) + TAG.card.length).split('\n')[0];
  return afterTag.split(' | ').slice(0, 2).join(' — ').trim().slice(0, 160) || undefined;
}
