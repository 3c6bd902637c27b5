import crypto from 'node:crypto';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import { ActivityTypes, Channels, MessageFactory, type TurnContext } from 'botbuilder';
import { actionTitle, recapData } from '../cards/common';
import { renderCard } from '../cards/render';
import { z } from 'zod';
import type { AdaptiveCard, CardElement } from '../cards/adaptive';
import { placeholdersAsExamples, toAttachment } from '../cards/adaptive';
import { UNSENT_CARD, type CardView } from '../cards/form';

export type { CardView } from '../cards/form';
import type { Translator } from '../i18n';
import { noteError, tr, trustedEvent } from './turn';
import { redactPatient } from '../services/support/redact';

/** Errors keyed by field id, already in the user's language. */
export type FieldErrors = Record<string, string>;
/** What the user typed, kept as the card sent it (strings), so a re-sent card shows it again. */
export type FieldValues = Record<string, string>;

export interface FieldInfo {
  /** i18n key of the field's label, as the card shows it. */
  label: string;
  /** i18n key of an example of a valid value. */
  example?: string;
}

/**
 * A step answered by an Adaptive Card. Every submit carries `verb` (what the user wants) and
 * `promptId` (which card it answers): a click on an old card is recognised and answered, never
 * taken for the current step. A submit without `promptId` (a client that cannot know it: Botium, a
 * replayed .transcript) answers the current card when its verb is one of the card's. Verbs listed in `validate` go through the zod schema; a rejection
 * re-sends the card with each faulty field named, why, and an example — the other answers kept.
 */
export interface CardPromptSpec<S extends z.ZodType<Record<string, unknown>>> {
  verbs: readonly string[];
  /** Verbs whose submit must pass the schema (e.g. "submit"; not "back" or "cancel"). */
  validate?: readonly string[];
  schema: S;
  /** A schema chosen per verb and per what the step shows (a questionnaire section); wins over `schema`. */
  schemaFor?(verb: string, shown: FieldValues): z.ZodType<Record<string, unknown>> | undefined;
  fields?: Record<string, FieldInfo> | ((shown: FieldValues) => Record<string, FieldInfo>);
  render(t: Translator, view: CardView, context: TurnContext): AdaptiveCard;
  /** Text typed instead of clicking, mapped to a verb that needs no validation. */
  recognizeText?(text: string): string | undefined;
  /** Events from Sésame itself (a secure page completed: see trustedEvent) that answer this step: verb "event:<name>". */
  events?: readonly string[];
}

export interface CardPromptResult<V> {
  verb: string;
  values: V;
}

interface PromptState {
  promptId: string;
  values: FieldValues;
  errors: FieldErrors;
  /** Refusals in a row: the third one offers the helpdesk. */
  rejections?: number;
}

const REJECTIONS_BEFORE_HELPDESK = 3;

const submitSchema = z.object({ verb: z.string(), promptId: z.string().optional() }).passthrough();

/**
 * What a card held, unsent, when the user typed a message instead of clicking: Sésame's own chat
 * page sends it along (channelData[UNSENT_CARD], see webchatPage.ts). Teams and other clients send
 * nothing of an unsent card: there, only what was submitted can come back.
 */
const unsentSchema = z.object({ promptId: z.string().min(1), values: z.record(z.string(), z.string().max(4000)) });

export interface CardPromptOptions {
  values?: FieldValues;
  /** Errors to show at once (a check the step's owner made, e.g. across steps). */
  errors?: FieldErrors;
}

export class CardPrompt<S extends z.ZodType<Record<string, unknown>>> extends Dialog<CardPromptOptions> {
  constructor(
    dialogId: string,
    private readonly spec: CardPromptSpec<S>,
  ) {
    super(dialogId);
  }

  override async beginDialog(dc: DialogContext, options?: CardPromptOptions): Promise<DialogTurnResult> {
    const state: PromptState = { promptId: crypto.randomUUID(), values: options?.values ?? {}, errors: options?.errors ?? {} };
    dc.activeDialog!.state = state;
    await this.send(dc.context, state);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { activity } = dc.context;
    const state = dc.activeDialog!.state as PromptState;
    const event = trustedEvent(dc.context);
    if (event && this.spec.events?.includes(event.name)) {
      event.taken = true;
      return dc.endDialog({ verb: `event:${event.name}`, values: stringValues(event.value) } satisfies CardPromptResult<FieldValues>);
    }
    if (activity.type !== 'message') return Dialog.EndOfTurn;
    const t = tr(dc.context);

    const submitted = submitSchema.safeParse(activity.value);
    if (submitted.success) {
      const { verb, promptId, ...raw } = submitted.data;
      // A client that cannot know the card's id (Botium, a replayed .transcript) sends the verb alone:
      // one of this card's verbs then answers this card. With an id, only this card's id does.
      if ((promptId !== undefined && promptId !== state.promptId) || !this.spec.verbs.includes(verb)) {
        // This card's own inputs (an unknown verb on it) are kept for the card that comes back; another card's are not.
        if (promptId === state.promptId) keep(state, this.ownInputs(dc.context, state, stringValues(raw)));
        await dc.context.sendActivity(t('prompt.stale'));
        await this.send(dc.context, state);
        return Dialog.EndOfTurn;
      }
      const values = stringValues(raw);
      const schema = this.spec.schemaFor?.(verb, state.values) ?? (this.spec.validate?.includes(verb) ? this.spec.schema : undefined);
      const parsed = schema ? schema.safeParse(values) : undefined;
      if (!parsed || parsed.success) {
        await this.recap(dc.context, state, verb, values);
        return dc.endDialog({ verb, values: parsed ? parsed.data : values } satisfies CardPromptResult<Record<string, unknown>>);
      }
      // What the user typed replaces what the card showed; what the step was given stays. Patient data
      // in a refused answer is masked: the card comes back without it, and it is kept nowhere.
      keep(state, values);
      state.errors = this.describe(t, parsed.error, values, state.values);
      for (const message of Object.values(state.errors)) noteError(dc.context, message);
      state.rejections = (state.rejections ?? 0) + 1;
      await this.send(dc.context, state);
      if (state.rejections % REJECTIONS_BEFORE_HELPDESK === 0) {
        await dc.context.sendActivity(MessageFactory.suggestedActions([t('understand.support')], t('support.stuck')));
      }
      return Dialog.EndOfTurn;
    }

    this.takeUnsent(dc.context, state);
    const verb = activity.text ? this.spec.recognizeText?.(activity.text) : undefined;
    if (verb && this.spec.verbs.includes(verb) && !this.spec.validate?.includes(verb)) {
      return dc.endDialog({ verb, values: {} } satisfies CardPromptResult<FieldValues>);
    }
    await dc.context.sendActivity(t('prompt.useCard'));
    return Dialog.EndOfTurn;
  }

  /** The card again (after « aide », a question answered, a language switch), with what it held. */
  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as PromptState;
    this.takeUnsent(context, state);
    await this.send(context, state);
  }

  /** Back from an interruption pushed on top of this step (a question, the status): show the step again. */
  override async resumeDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as PromptState;
    this.takeUnsent(dc.context, state);
    await this.send(dc.context, state);
    return Dialog.EndOfTurn;
  }

  /**
   * What was sent, shown read-only: in Teams the card itself is replaced (updateActivity on the
   * card the submit replies to); where cards cannot be updated, a one-line recap message.
   */
  private async recap(context: TurnContext, state: PromptState, verb: string, values: FieldValues): Promise<void> {
    const t = tr(context);
    const sent = this.spec.render(t, { promptId: state.promptId, values: { ...state.values, ...values }, errors: {} }, context);
    const cardId = context.activity.replyToId;
    if (context.activity.channelId === Channels.Msteams && cardId) {
      try {
        await context.updateActivity({ type: ActivityTypes.Message, id: cardId, attachments: [toAttachment(renderCard('common/recap', recapData(t, sent, verb, values)))] });
        return;
      } catch {
        // The card could not be replaced (too old, deleted): say it in a message instead.
      }
    }
    // Web Chat shows nothing for a card's button: this says, in words a screen reader reads as the
    // user's act, which one was taken (no « ✓ Envoyé » glyph: the bot sent nothing).
    await context.sendActivity(t('prompt.chosen', { action: actionTitle(sent, verb) }));
  }

  /** The unsent values of this very card, sent along with a typed message by a client that can (Sésame's chat page). */
  private takeUnsent(context: TurnContext, state: PromptState): void {
    const { activity } = context;
    if (activity.type !== ActivityTypes.Message || activity.value !== undefined) return;
    const unsent = unsentSchema.safeParse((activity.channelData as Record<string, unknown> | undefined)?.[UNSENT_CARD]);
    if (!unsent.success || unsent.data.promptId !== state.promptId) return;
    keep(state, this.ownInputs(context, state, unsent.data.values));
  }

  /** Only the card's inputs: never what the step gave the card to show (a section's answers, a hub), whatever a client sends. */
  private ownInputs(context: TurnContext, state: PromptState, values: FieldValues): FieldValues {
    const ids = new Set(inputIds(this.spec.render(tr(context), { promptId: state.promptId, values: state.values, errors: state.errors }, context).body));
    return Object.fromEntries(Object.entries(values).filter(([id]) => ids.has(id)));
  }

  private async send(context: TurnContext, state: PromptState): Promise<void> {
    const t = tr(context);
    const view: CardView = { promptId: state.promptId, values: state.values, errors: state.errors };
    const card = placeholdersAsExamples(this.spec.render(t, view, context), (example) => t('prompt.placeholder', { example }));
    await context.sendActivity(MessageFactory.attachment(toAttachment(card)));
  }

  /** One message per faulty field: its label, why, and an example of a valid value. */
  private describe(t: Translator, error: z.ZodError, values: FieldValues, shown: FieldValues): FieldErrors {
    const errors: FieldErrors = {};
    const fields = typeof this.spec.fields === 'function' ? this.spec.fields(shown) : this.spec.fields;
    for (const issue of error.issues) {
      const field = String(issue.path[0] ?? '');
      if (!field || errors[field]) continue;
      const info = fields?.[field];
      const label = info ? t(info.label) : field;
      const missing = values[field] === undefined || values[field].trim() === '';
      // Schemas name their reason with an i18n key of the validation namespace (e.g. "finessKey");
      // a rule of the form's own (custom) wins over the generic "required".
      const named = /^[A-Za-z]+$/.test(issue.message);
      const key = named && issue.code === 'custom' ? issue.message : missing ? 'required' : named ? issue.message : 'invalid';
      const params: Record<string, unknown> = { field: label, ...(issue as { params?: Record<string, unknown> }).params };
      if (issue.code === 'too_big') params.max = (issue as { maximum?: unknown }).maximum;
      const reason = t([`validation.${key}`, issue.code === 'too_big' ? 'validation.tooLong' : 'validation.invalid'], params);
      errors[field] = info?.example ? `${reason} ${t('validation.example', { example: t(info.example) })}` : reason;
    }
    return errors;
  }
}

/** What the user entered replaces what the card showed, patient data masked (kept nowhere). */
function keep(state: PromptState, values: FieldValues): void {
  state.values = { ...state.values, ...maskSensitive(values) };
}

/** The ids of a card's inputs. */
function inputIds(items: CardElement[]): string[] {
  return items.flatMap((item) => {
    if (item.type === 'Container') return inputIds(item.items);
    const id = item.type.startsWith('Input.') && 'id' in item ? item.id : undefined;
    return id ? [id] : [];
  });
}

function maskSensitive(values: FieldValues): FieldValues {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, redactPatient(value)]));
}

function stringValues(raw: Record<string, unknown>): FieldValues {
  const values: FieldValues = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') values[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') values[key] = String(value);
  }
  return values;
}
