import type { Translator } from '../../i18n';
import { escapeHtml, page, scriptJson } from './html';

/**
 * The chat page: Web Chat from the botframework-webchat bundle served by Sésame itself (no CDN),
 * talking to the local Direct Line channel. The page keeps a user id and a resume key in
 * localStorage, so a reload or a return days later continues the same conversation. No inline
 * script: the Content-Security-Policy allows scripts from this server only, so the settings travel
 * as a JSON data block read by /webchat/start.js.
 */
export function webchatPage(t: Translator, locale: string): string {
  const settings = {
    locale: locale === 'en' ? 'en-US' : 'fr-FR',
    placeholder: t('pages:webchat.placeholder'),
    connectionError: t('pages:webchat.connectionError'),
    sendFailed: t('pages:webchat.sendFailed'),
    signedOut: t('pages:webchat.signedOut'),
  };
  const body = `<header><h1>${escapeHtml(t('pages:webchat.heading'))}</h1><p>${escapeHtml(t('pages:webchat.tagline'))}</p></header>
<noscript><p>${escapeHtml(t('pages:webchat.noscript'))}</p></noscript>
<div id="status" role="status" hidden></div>
<div id="webchat" role="main"></div>
<script type="application/json" id="sesame-settings">${scriptJson(settings)}</script>
<script src="webchat/webchat.js"></script>
<script src="webchat/start.js"></script>`;
  // The status line lies over the top of the chat: shown or not, the send box stays on the screen.
  return page(
    locale,
    t('pages:webchat.title'),
    body,
    '<style>#webchat{max-width:56rem;margin:0 auto;background:#fff}#status{position:fixed;top:0;left:0;right:0;z-index:10;padding:0.75rem 1rem;color:#a4262c;background:#fde7e9;border-bottom:1px solid #a4262c;font-weight:600}</style>',
  );
}

/** What starts Web Chat on the chat page (served as /webchat/start.js). */
export const WEBCHAT_START = `(async function () {
  const settings = JSON.parse(document.getElementById('sesame-settings').textContent);
  const status = document.getElementById('status');
  // What the status line says, and whether it is the server's own refusal (kept over the general sentence).
  let refusal = false;
  let refusedAt = 0;
  const say = (text, fromServer = false) => {
    status.textContent = text;
    status.hidden = !text;
    refusal = fromServer && Boolean(text);
    if (refusal) refusedAt = Date.now();
  };
  // A message refused for going too fast (429) is explained at once, with the server's own sentence
  // (when to try again) — Web Chat alone would retry silently for about twenty seconds.
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.addEventListener('load', () => {
      if (this.status !== 429) return;
      let sentence = settings.sendFailed;
      // Web Chat asks for JSON (responseType 'json'): the body is then in response, and responseText throws.
      try {
        const body = this.responseType === 'json' ? this.response : JSON.parse(this.responseText);
        sentence = (body && body.error && body.error.message) || sentence;
      } catch (_) { /* not JSON: the general sentence */ }
      say(sentence, true);
    });
    return open.call(this, method, url, ...rest);
  };
  const KEY = 'sesame.webchat.v1';
  const saved = JSON.parse(localStorage.getItem(KEY) || '{}');
  const userId = saved.userId || ('u-' + crypto.randomUUID());
  const post = (url, body) => fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then(async (r) => {
      if (r.ok) return r.json();
      // A refusal says why in a sentence for people (too many conversations from this connection...).
      const reason = await r.json().then((b) => b && b.error && b.error.message, () => undefined);
      throw Object.assign(new Error(url + ' ' + r.status), { reason: r.status === 429 ? reason : undefined });
    });
  let session;
  try {
    if (saved.conversationId && saved.resumeKey) {
      session = await post('webchat/token', { userId, locale: settings.locale, conversationId: saved.conversationId, resumeKey: saved.resumeKey }).catch((error) => {
        if (error.reason) throw error;
        return undefined;
      });
    }
    const resumed = Boolean(session);
    if (!session) session = await post('webchat/token', { userId, locale: settings.locale });
    localStorage.setItem(KEY, JSON.stringify({ userId, conversationId: session.conversationId, resumeKey: session.resumeKey || saved.resumeKey }));
    const directLine = window.WebChat.createDirectLine({
      token: session.token,
      conversationId: resumed ? session.conversationId : undefined,
      domain: new URL('v3/directline', location.href).href,
      webSocket: true,
    });
    window.sesameDirectLine = directLine;
    // A message the channel refused (too many at once, connection lost) is said in words, not only "Send failed".
    const store = window.WebChat.createStore({}, () => (next) => (action) => {
      // IMPEDED: Web Chat still retries; REJECTED: it gave up. Either way, say why in words.
      if ((action.type === 'DIRECT_LINE/POST_ACTIVITY_IMPEDED' || action.type === 'DIRECT_LINE/POST_ACTIVITY_REJECTED') && !refusal) say(settings.sendFailed);
      // Signed out: this browser forgets the conversation and starts afresh (a shared computer's next user sees nothing of it).
      const incoming = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' ? action.payload.activity : undefined;
      if (incoming && incoming.type === 'event' && incoming.name === 'sesame.forgetConversation') {
        localStorage.removeItem(KEY);
        say(settings.signedOut);
        setTimeout(() => location.reload(), 2500);
      }
      // A message sent well after the refusal clears it (earlier ones still arriving do not).
      else if (action.type === 'DIRECT_LINE/POST_ACTIVITY_FULFILLED' && (!refusal || Date.now() - refusedAt > 3000)) say('');
      return next(action);
    });
    window.WebChat.renderWebChat({
      directLine,
      store,
      userID: userId,
      locale: settings.locale,
      styleOptions: { hideUploadButton: true, botAvatarInitials: 'S', userAvatarInitials: '', rootHeight: 'calc(100vh - 4.5rem)', sendBoxTextWrap: true },
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: settings.placeholder },
    }, document.getElementById('webchat'));
  } catch (error) {
    say((error && error.reason) || settings.connectionError);
  }
})();
`;
