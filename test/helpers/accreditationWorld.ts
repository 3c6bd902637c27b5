import { ConversationState, MemoryStorage } from 'botbuilder';
import { AccreditationDialog, type AccreditationConversation } from '../../src/dialogs/accreditationDialog';
import { DeskDialog, type DeskConversation } from '../../src/dialogs/deskDialog';
import { MainDialog } from '../../src/dialogs/mainDialog';
import { createServices } from '../../src/services';
import { createI18n } from '../../src/i18n';
import { tempDatabase } from './db';
import { registryWithMail } from './registry';

/** The real dialogs on a real database and SMTP server, for dialog-level tests. */
export async function accreditationWorld() {
  const database = await tempDatabase();
  const mail = await registryWithMail(database.db);
  const services = createServices(database.db, mail.outbox, await createI18n('fr'), () => 'http://sesame.test');
  const conversationState = new ConversationState(new MemoryStorage());
  const accreditation = new AccreditationDialog(
    services.registry,
    services.engagements,
    services.eprs,
    services.links,
    conversationState.createProperty<AccreditationConversation>('accreditation'),
    () => 'http://sesame.test',
  );
  const desk = new DeskDialog(
    services.desk,
    services.engagements,
    services.eprs,
    services.links,
    conversationState.createProperty<DeskConversation>('desk'),
    () => 'http://sesame.test',
    async () => {},
  );
  return {
    ...database,
    ...mail,
    services,
    conversationState,
    main: new MainDialog({ accreditation, desk }),
    async close() {
      await mail.close();
      await database.cleanup();
    },
  };
}
