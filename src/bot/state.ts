import { BotState, calculateChangeHash, type Storage, type TurnContext } from 'botbuilder';
import { ETAG_NEW } from '../services/state/prismaStorage';

type StateObject = Record<string, unknown> & { eTag?: string };
interface Loaded {
  etag: string | undefined;
  hash: string;
}

/**
 * BotState whose saveChanges writes back with the eTag it read (the SDK's writes with "*":
 * last writer wins). A concurrent writer — another instance, a turn that escaped the turn
 * queue — is then detected by the storage instead of silently erasing what the user typed.
 */
export class EtagState extends BotState {
  private readonly loaded = new WeakMap<object, Loaded>();

  constructor(storage: Storage, key: (context: TurnContext) => string) {
    super(storage, async (context) => key(context));
  }

  override async load(context: TurnContext, force = false): Promise<StateObject> {
    const state = (await super.load(context, force)) as StateObject;
    if (!this.loaded.has(state)) this.loaded.set(state, { etag: state.eTag, hash: calculateChangeHash(state) });
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const state = this.get(context) as StateObject | undefined;
    if (!state) return;
    const loaded = this.loaded.get(state);
    if (!force && loaded && loaded.hash === calculateChangeHash(state)) return;
    const key = await this.storageKey(context);
    // Loaded and absent → create only; never loaded (cleared) → overwrite.
    const change: StateObject = { ...state, eTag: loaded ? (loaded.etag ?? ETAG_NEW) : '*' };
    await this.storage.write({ [key]: change });
    state.eTag = change.eTag;
    this.loaded.set(state, { etag: change.eTag, hash: calculateChangeHash(state) });
  }
}

/** Same keys as the SDK's ConversationState. */
export function conversationStateKey(context: TurnContext): string {
  const { channelId, conversation } = context.activity;
  if (!channelId || !conversation?.id) throw new Error('conversation state: activity has no channelId or conversation.id');
  return `${channelId}/conversations/${conversation.id}`;
}

/**
 * The SDK's UserState keys, except in Teams, where the user's Entra ID object id (aadObjectId)
 * is the stable identity: the same person on the phone and on the desktop. An activity that names
 * no user — a conversation's start announced by the channel with the bot as its sender, or no
 * from.id — has the state of its conversation's user: never one key every such conversation shares
 * (`directline/users/sesame` did, and concurrent turns conflicted on it).
 */
export function userStateKey(context: TurnContext): string {
  const { channelId, from, recipient, conversation } = context.activity;
  if (!channelId) throw new Error('user state: activity has no channelId');
  if (from?.aadObjectId) return `${channelId}/aad/${from.aadObjectId}`;
  if (from?.id && from.id !== recipient?.id && from.role !== 'bot') return `${channelId}/users/${from.id}`;
  if (!conversation?.id) throw new Error('user state: activity has neither a user nor a conversation');
  return `${channelId}/conversations/${conversation.id}/user`;
}

export function createStates(storage: Storage): { conversationState: EtagState; userState: EtagState } {
  return { conversationState: new EtagState(storage, conversationStateKey), userState: new EtagState(storage, userStateKey) };
}
