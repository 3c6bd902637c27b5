// The framework's own floor, for `npm run bench` (issue #17): the smallest bot on Sésame's stack —
// restify 11, botbuilder's CloudAdapter (anonymous: no app id), MemoryStorage, ConversationState and
// UserState, and a DialogSet with one WaterfallDialog of text and choice prompts as in Microsoft's
// BotBuilder-Samples `05.multi-turn-prompt` (transport, name, age, confirmation, summary). It loops
// forever: every message gets an answer. Listens on PORT: POST /api/messages, GET /healthz.
//
//   node --import tsx scripts/floor-bot.ts
import restify, { type Request, type Response } from 'restify';
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
  UserState,
  type StatePropertyAccessor,
  type TurnContext,
} from 'botbuilder';
import {
  ChoiceFactory,
  ChoicePrompt,
  DialogSet,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogState,
  type FoundChoice,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';

const CHOICE_PROMPT = 'CHOICE_PROMPT';
const NAME_PROMPT = 'NAME_PROMPT';
const AGE_PROMPT = 'AGE_PROMPT';
const WATERFALL_DIALOG = 'WATERFALL_DIALOG';

interface UserProfile {
  transport?: string;
  name?: string;
  age?: number;
}

/**
 * The sample's steps — transport, name, age, confirmation, summary — with text and choice prompts only
 * (the sample's NumberPrompt and ConfirmPrompt run Recognizers-Text's models on every answer: a floor
 * that heavy would flatter Sésame), and without its attachment step (the bench sends text only).
 */
function profileDialog(userProfile: StatePropertyAccessor<UserProfile>): WaterfallDialog {
  return new WaterfallDialog(WATERFALL_DIALOG, [
    async (step: WaterfallStepContext) =>
      step.prompt(CHOICE_PROMPT, { prompt: 'Please enter your mode of transport.', choices: ChoiceFactory.toChoices(['Car', 'Bus', 'Bicycle']) }),
    async (step: WaterfallStepContext) => {
      (step.values as UserProfile).transport = (step.result as FoundChoice).value;
      return step.prompt(NAME_PROMPT, 'Please enter your name.');
    },
    async (step: WaterfallStepContext) => {
      (step.values as UserProfile).name = step.result as string;
      await step.context.sendActivity(`Thanks ${String(step.result)}.`);
      return step.prompt(AGE_PROMPT, { prompt: 'Please enter your age.', retryPrompt: 'The value entered must be greater than 0 and less than 150.' });
    },
    async (step: WaterfallStepContext) => {
      const values = step.values as UserProfile;
      values.age = Number(step.result);
      await step.context.sendActivity(`I have your age as ${values.age}.`);
      return step.prompt(CHOICE_PROMPT, { prompt: 'Is this okay?', choices: ChoiceFactory.toChoices(['Yes', 'No']) });
    },
    async (step: WaterfallStepContext) => {
      if ((step.result as FoundChoice).value === 'Yes') {
        const profile = await userProfile.get(step.context, {});
        Object.assign(profile, step.values as UserProfile);
        await step.context.sendActivity(`I have your mode of transport as ${profile.transport} and your name as ${profile.name}. And age as ${profile.age}.`);
      } else {
        await step.context.sendActivity('Thanks. Your profile will not be kept.');
      }
      // The sample ends here; the floor starts again so that the next message is answered too.
      return step.replaceDialog(WATERFALL_DIALOG);
    },
  ]);
}

/** The sample's age check (0 < age < 150), on a text answer. */
async function ageValidator(prompt: PromptValidatorContext<string>): Promise<boolean> {
  const age = Number(prompt.recognized.value);
  return prompt.recognized.succeeded && Number.isInteger(age) && age > 0 && age < 150;
}

/** The sample's DialogBot: runs the dialog on every message, saves both states at the end of the turn. */
class DialogBot extends ActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
  ) {
    super();
    this.dialogs = new DialogSet(conversationState.createProperty<DialogState>('DialogState'));
    this.dialogs.add(new ChoicePrompt(CHOICE_PROMPT));
    this.dialogs.add(new TextPrompt(NAME_PROMPT));
    this.dialogs.add(new TextPrompt(AGE_PROMPT, ageValidator));
    this.dialogs.add(profileDialog(userState.createProperty<UserProfile>('UserProfile')));
    this.onMessage(async (context, next) => {
      const dialogContext = await this.dialogs.createContext(context);
      const results = await dialogContext.continueDialog();
      if (results.status === DialogTurnStatus.empty) await dialogContext.beginDialog(WATERFALL_DIALOG);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }
}

const memoryStorage = new MemoryStorage();
const conversationState = new ConversationState(memoryStorage);
const userState = new UserState(memoryStorage);
const bot = new DialogBot(conversationState, userState);

// No MicrosoftAppId: anonymous, as Sésame without credentials.
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.onTurnError = async (context, error) => {
  process.stderr.write(`floor-bot: turn failed: ${error.stack ?? error.message}\n`);
  await context.sendActivity('The bot encountered an error or bug.');
  await conversationState.delete(context);
};

const server = restify.createServer({ name: 'floor-bot' });
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req: Request, res: Response) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.get('/healthz', (_req: Request, res: Response, next: () => void) => {
  res.send(200, { status: 'ok' });
  next();
});

const port = Number(process.env.PORT ?? 3979);
server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`floor-bot listening on ${server.url}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
