import { CardFactory, type Attachment } from 'botbuilder';

/**
 * The subset of Adaptive Cards 1.5 that Sésame's templates (src/cards/templates) expand to, typed. 1.5 is the highest version Teams
 * renders; Action.Submit is the only action (Teams and Web Chat both honour it).
 */
export type TextBlock = {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'small' | 'default' | 'medium' | 'large';
  weight?: 'default' | 'bolder';
  color?: 'default' | 'accent' | 'good' | 'warning' | 'attention';
  isSubtle?: boolean;
  spacing?: 'none' | 'small' | 'medium' | 'large';
  style?: 'heading';
  id?: string;
};
export type InputText = {
  type: 'Input.Text';
  id: string;
  label: string;
  value?: string;
  placeholder?: string;
  isRequired?: boolean;
  errorMessage?: string;
  maxLength?: number;
  style?: 'text' | 'email' | 'tel';
  isMultiline?: boolean;
};
export type InputChoiceSet = {
  type: 'Input.ChoiceSet';
  id: string;
  label: string;
  choices: { title: string; value: string }[];
  value?: string;
  style?: 'compact' | 'expanded';
  /** Long choice titles wrap instead of being cut (Adaptive Cards 1.2+). */
  wrap?: boolean;
  isMultiSelect?: boolean;
  isRequired?: boolean;
  errorMessage?: string;
};
export type InputNumber = { type: 'Input.Number'; id: string; label: string; value?: number; min?: number; max?: number; isRequired?: boolean; errorMessage?: string; placeholder?: string };
export type InputDate = { type: 'Input.Date'; id: string; label: string; value?: string; max?: string; isRequired?: boolean; errorMessage?: string };
export type InputToggle = { type: 'Input.Toggle'; id: string; title: string; label?: string; value?: string; valueOn?: string; valueOff?: string; wrap?: boolean };
export type Container = { type: 'Container'; items: CardElement[]; style?: 'emphasis' | 'attention' | 'good' | 'warning' };
export type CardElement = TextBlock | InputText | InputNumber | InputDate | InputChoiceSet | InputToggle | Container | FactSet;

export type SubmitData = { verb: string; promptId: string } & Record<string, string>;
export type SubmitAction = { type: 'Action.Submit'; title: string; data: SubmitData; style?: 'positive' | 'destructive'; associatedInputs?: 'auto' | 'none' };

export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  body: CardElement[];
  actions?: SubmitAction[];
};

export function toAttachment(adaptiveCard: AdaptiveCard): Attachment {
  return CardFactory.adaptiveCard(adaptiveCard);
}

export type FactSet = { type: 'FactSet'; facts: { title: string; value: string }[] };

const ZERO_WIDTH_SPACE = '\u200B';

/**
 * What a chat would turn into a link by itself (a URL, a bare domain such as "evil.com." or
 * "evil.xn--p1ai/login") no longer looks like one: an invisible space after "scheme:" and before
 * every dot between letters or digits. An e-mail address is left whole (a mailto link is harmless).
 */
function unlinked(value: string): string {
  return value.replace(/\S+/g, (word) => (word.includes('@') ? word : word.replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`).replace(/(?<=[\p{L}\d])\.(?=[\p{L}\d])/gu, `${ZERO_WIDTH_SPACE}.`)));
}

/**
 * TextBlocks and messages render Markdown (Web Chat even HTML); anything a user typed is shown
 * literally to whoever reads it — an expert, an agent: markup escaped, and an address written in the
 * text is not made a link.
 * Our own texts (from locales/) are trusted and not escaped.
 */
export function plain(value: string): string {
  // Inline markers anywhere; block markers (heading, quote, list) only where a line starts.
  return unlinked(value)
    .replace(/([\\`*_[\]<>~|])/g, '\\$1')
    .replace(/^(\s*)([#+-])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\.(?=\s)/gm, '$1$2\\.');
}

/**
 * An address Sésame shows (an MSS address), readable and copyable as it is, never a link: Web
 * Chat's Markdown turns any e-mail address into a mailto link in its link colour, not a code span.
 * Teams' cards have no code span (the backticks would show) and make no link of it: plain there.
 */
export function literal(value: string, codeSpan = true): string {
  return codeSpan && /^[^`\n]+$/.test(value) ? `\`${value}\`` : plain(value);
}

/**
 * Every input's placeholder written as an example (« Ex. : Durand »): a bare « Durand » in grey is
 * easily taken for a value already filled in, and the field left empty.
 */
export function placeholdersAsExamples(card: AdaptiveCard, asExample: (example: string) => string): AdaptiveCard {
  const walk = (items: CardElement[]): CardElement[] =>
    items.map((item) => {
      if (item.type === 'Container') return { ...item, items: walk(item.items) };
      if ('placeholder' in item && item.placeholder) return { ...item, placeholder: asExample(item.placeholder) };
      return item;
    });
  return { ...card, body: walk(card.body) };
}
