import { ConversationState, MemoryStorage } from 'botbuilder';
import { AccreditationDialog, type AccreditationConversation } from '../../src/dialogs/accreditationDialog';
import { MainDialog } from '../../src/dialogs/mainDialog';
import { SecureLinks } from '../../src/services/identity/secureLinks';
import { tempDatabase } from './db';
import { registryWithMail } from './registry';

/** The real accreditation dialog on a real database and SMTP server, for dialog-level tests. */
export async function accreditationWorld() {
  const database = await tempDatabase();
  const mail = await registryWithMail(database.db);
  const conversationState = new ConversationState(new MemoryStorage());
  const links = new SecureLinks(database.db);
  const accreditation = new AccreditationDialog(
    mail.registry,
    links,
    conversationState.createProperty<AccreditationConversation>('accreditation'),
    () => 'http://sesame.test',
  );
  return {
    ...database,
    ...mail,
    links,
    conversationState,
    main: new MainDialog({ accreditation }),
    async close() {
      await mail.close();
      await database.cleanup();
    },
  };
}
