/** What a card step shows: the prompt it answers, the values typed so far, the errors per field. */
export interface CardView {
  promptId: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}

/**
 * Where Sésame's chat page puts what a card holds, unsent, when the user types a message instead
 * of clicking (activity.channelData[UNSENT_CARD] = { promptId, values }): see CardPrompt.
 */
export const UNSENT_CARD = 'sesameCard';
