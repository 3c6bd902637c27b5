// What a one-time secure link is for, and the events that continue a conversation once a
// secure page is done. Shared by the pages (src/http) and the dialogs waiting for them.
export const SIGN_IN_PURPOSE = 'accreditation.signIn';
export const SIGNED_IN_EVENT = 'sesame.signedIn';
export const ATTESTATION_PURPOSE = 'accreditation.attestation';
export const DESK_SIGN_IN_PURPOSE = 'desk.signIn';
export const DESK_SIGNED_IN_EVENT = 'sesame.deskSignedIn';
/** A message for the user from outside the conversation (a decision was taken...). */
export const NOTICE_EVENT = 'sesame.notice';
export const MEDIMAIL_PASSWORD = 'medimail.password';
export const MEDIMAIL_CONFIRM = 'medimail.confirm';
export const MEDIMAIL_SIGN_IN = 'medimail.signIn';
export const MEDIMAIL_PASSWORD_EVENT = 'sesame.medimailPassword';
export const MEDIMAIL_CONFIRMED_EVENT = 'sesame.medimailConfirmed';
export const MEDIMAIL_ACTIVE_EVENT = 'sesame.medimailActive';
/** The service centre decided on the account: the Medimail hub on screen comes back as the account now is. */
export const MEDIMAIL_NOTICE_EVENT = 'sesame.medimailNotice';

/** The event that continues a conversation once a page of each purpose is done. */
export const EVENT_OF_PURPOSE: Record<string, string> = {
  [SIGN_IN_PURPOSE]: SIGNED_IN_EVENT,
  [DESK_SIGN_IN_PURPOSE]: DESK_SIGNED_IN_EVENT,
  [MEDIMAIL_PASSWORD]: MEDIMAIL_PASSWORD_EVENT,
  [MEDIMAIL_CONFIRM]: MEDIMAIL_CONFIRMED_EVENT,
  [MEDIMAIL_SIGN_IN]: MEDIMAIL_ACTIVE_EVENT,
};

/** From the bot to the chat page: the user signed out; the page forgets this conversation and starts a new one. */
export const FORGET_CONVERSATION_EVENT = 'sesame.forgetConversation';

/** From the bot to the chat page: the user chose a language ("english"); the page's and Web Chat's own strings follow. */
export const LOCALE_EVENT = 'sesame.locale';

/** A copy of the user's data, as a file, from a one-time link sent in the chat (RGPD art. 15). */
export const DATA_EXPORT_PURPOSE = 'privacy.export';

/** A supporting document, for the expert who asked from the desk (one link per document, once). */
export const DOCUMENT_PURPOSE = 'desk.document';
