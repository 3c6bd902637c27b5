import type { Translator } from '../../i18n';
import { escapeHtml, page, scriptJson } from './html';
import { LOCALES, type Locale } from '../../i18n';
import { LOCALE_EVENT } from '../../services/identity/linkPurposes';

/** Web Chat's own strings (send box, timestamps, "Send failed") for each of our languages. */
const WEBCHAT_LOCALE: Record<Locale, string> = { fr: 'fr-FR', en: 'en-US' };

/**
 * The chat page: Web Chat from the botframework-webchat bundle served by Sésame itself (no CDN),
 * talking to the local Direct Line channel. The page keeps a user id and a resume key in
 * localStorage, so a reload or a return days later continues the same conversation. No inline
 * script: the Content-Security-Policy allows scripts from this server only, so the settings travel
 * as a JSON data block read by /webchat/start.js.
 */
export function webchatPage(i18n: { getFixedT(lng: string): Translator }, locale: Locale): string {
  const t = i18n.getFixedT(locale);
  // Both languages travel with the page: after « english » in the chat (or a language chosen on an
  // earlier visit) the page and Web Chat's own strings switch without a reload.
  const strings = Object.fromEntries(
    LOCALES.map((lng) => {
      const tl = i18n.getFixedT(lng);
      return [
        lng,
        {
          webchatLocale: WEBCHAT_LOCALE[lng],
          title: tl('pages:webchat.title'),
          heading: tl('pages:webchat.heading'),
          tagline: tl('pages:webchat.tagline'),
          placeholder: tl('pages:webchat.placeholder'),
          connectionError: tl('pages:webchat.connectionError'),
          sendFailed: tl('pages:webchat.sendFailed'),
          signedOut: tl('pages:webchat.signedOut'),
        },
      ];
    }),
  );
  const settings = { locale, strings, localeEvent: LOCALE_EVENT };
  const body = `<header><h1 id="heading">${escapeHtml(t('pages:webchat.heading'))}</h1><p id="tagline">${escapeHtml(t('pages:webchat.tagline'))}</p></header>
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
      let sentence = strings.sendFailed;
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
  // The language: the one chosen in the chat on this browser, else the page's (the browser's language).
  let locale = settings.strings[saved.locale] ? saved.locale : settings.locale;
  let strings = settings.strings[locale];
  const showLanguage = () => {
    document.documentElement.lang = locale;
    document.title = strings.title;
    document.getElementById('heading').textContent = strings.heading;
    document.getElementById('tagline').textContent = strings.tagline;
  };
  showLanguage();
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
      session = await post('webchat/token', { userId, locale: strings.webchatLocale, conversationId: saved.conversationId, resumeKey: saved.resumeKey }).catch((error) => {
        if (error.reason) throw error;
        return undefined;
      });
    }
    const resumed = Boolean(session);
    if (!session) session = await post('webchat/token', { userId, locale: strings.webchatLocale });
    const remember = () => localStorage.setItem(KEY, JSON.stringify({ userId, locale: saved.locale, conversationId: session.conversationId, resumeKey: session.resumeKey || saved.resumeKey }));
    remember();
    const directLine = window.WebChat.createDirectLine({
      token: session.token,
      conversationId: resumed ? session.conversationId : undefined,
      domain: new URL('v3/directline', location.href).href,
      webSocket: true,
    });
    window.sesameDirectLine = directLine;
    let switchTo = () => {};
    // A message the channel refused (too many at once, connection lost) is said in words, not only "Send failed".
    const store = window.WebChat.createStore({}, () => (next) => (action) => {
      // IMPEDED: Web Chat still retries; REJECTED: it gave up. Either way, say why in words.
      if ((action.type === 'DIRECT_LINE/POST_ACTIVITY_IMPEDED' || action.type === 'DIRECT_LINE/POST_ACTIVITY_REJECTED') && !refusal) say(strings.sendFailed);
      // Signed out: this browser forgets the conversation and starts afresh (a shared computer's next user sees nothing of it).
      const incoming = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' ? action.payload.activity : undefined;
      if (incoming && incoming.type === 'event' && incoming.name === 'sesame.forgetConversation') {
        localStorage.removeItem(KEY);
        say(strings.signedOut);
        setTimeout(() => location.reload(), 2500);
      }
      // The user chose a language in the chat: the page and Web Chat's own strings follow.
      else if (incoming && incoming.type === 'event' && incoming.name === settings.localeEvent) setTimeout(() => switchTo(incoming.value));
      // A message sent well after the refusal clears it (earlier ones still arriving do not).
      else if (action.type === 'DIRECT_LINE/POST_ACTIVITY_FULFILLED' && (!refusal || Date.now() - refusedAt > 3000)) say('');
      return next(action);
    });
    const render = () => window.WebChat.renderWebChat({
      directLine,
      store,
      userID: userId,
      locale: strings.webchatLocale,
      styleOptions: { hideUploadButton: true, botAvatarInitials: 'S', userAvatarInitials: '', rootHeight: 'calc(100vh - 4.5rem)', sendBoxTextWrap: true },
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: strings.placeholder },
    }, document.getElementById('webchat'));
    switchTo = (chosen) => {
      if (!settings.strings[chosen] || chosen === locale) return;
      locale = chosen;
      strings = settings.strings[chosen];
      saved.locale = chosen;
      remember();
      showLanguage();
      render();
    };
    render();
  } catch (error) {
    say((error && error.reason) || strings.connectionError);
  }
})();
`;
