/** What a card step shows: the prompt it answers, the values typed so far, the errors per field. */
export interface CardView {
  promptId: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}
