import { ConversationState, MemoryStorage } from 'botbuilder';
import { buildDialogs } from '../../src/app';
import { createServices } from '../../src/services';
import { createI18n } from '../../src/i18n';
import { tempDatabase } from './db';
import { registryWithMail } from './registry';
import { Nlu } from '../../src/services/nlu';

let nlu: Promise<Nlu> | undefined;
const sharedNlu = () => (nlu ??= Nlu.train());

/** The real dialogs on a real database and SMTP server, for dialog-level tests. */
export async function accreditationWorld() {
  const database = await tempDatabase();
  const mail = await registryWithMail(database.db);
  const services = createServices(database.db, mail.outbox, await createI18n('fr'), () => 'http://sesame.test');
  const conversationState = new ConversationState(new MemoryStorage());
  const main = buildDialogs(services, conversationState, await sharedNlu(), {
    i18n: await createI18n('fr'),
    publicUrl: () => 'http://sesame.test',
    medimailRegions: ['76'],
    medimailSender: 'Medimail <cerbere@mipih.fr>',
    notify: async () => {},
  });
  return {
    ...database,
    ...mail,
    services,
    conversationState,
    main,
    async close() {
      await mail.close();
      await database.cleanup();
    },
  };
}
