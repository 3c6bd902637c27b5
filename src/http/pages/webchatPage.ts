import type { Translator } from '../../i18n';
import { escapeHtml, page, scriptJson } from './html';
import { LOCALES, type Locale } from '../../i18n';
import { LOCALE_EVENT } from '../../services/identity/linkPurposes';
import { UNSENT_CARD } from '../../cards/form';

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
          erased: tl('pages:webchat.erased'),
          newConversation: tl('pages:webchat.newConversation'),
          accessibility: tl('pages:accessibility.link'),
          accessibilityHref: `accessibilite?lang=${lng}`,
        },
      ];
    }),
  );
  const settings = { locale, strings, localeEvent: LOCALE_EVENT };
  const body = `<header><h1 id="heading">${escapeHtml(t('pages:webchat.heading'))}</h1><p id="tagline">${escapeHtml(t('pages:webchat.tagline'))}</p><a id="accessibility" href="accessibilite?lang=${locale}">${escapeHtml(t('pages:accessibility.link'))}</a></header>
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
    WEBCHAT_STYLE,
  );
}

/**
 * The chat page's own styles. Web Chat and its Adaptive Cards get their colours from the start
 * script (light or dark, as the system asks); here: the layout, the status line over the chat, and
 * two fixes axe-core asked for — the forms' main button at 4.5:1 or more (Web Chat's #0078d7 gives
 * 4.49:1) and radio buttons and check boxes of at least 24 × 24 pixels (13 × 13 by default).
 */
const WEBCHAT_STYLE = `<style>
  header { position: relative; }
  #accessibility { position: absolute; top: 0.6rem; right: 1rem; color: var(--on-brand); font-size: 0.8rem; }
  #webchat { max-width: 56rem; margin: 0 auto; background: var(--surface); }
  #status { position: fixed; top: 0; left: 0; right: 0; z-index: 10; padding: 0.75rem 1rem; color: var(--error); background: var(--error-bg); border-bottom: 1px solid var(--error); font-weight: 600; }
  #erased { max-width: 40rem; margin: 1rem auto; padding: 1rem; background: var(--surface); border: 1px solid var(--border); }
  #erased button { min-height: 44px; padding: 0.6rem 1rem; font-size: 1rem; background: var(--brand); color: var(--on-brand); border: 0; }
  #webchat .ac-input.ac-textInput, #webchat .ac-input.ac-numberInput, #webchat .ac-input.ac-dateInput { min-height: 2.25rem; }
  #webchat .ac-pushButton.style-positive, #webchat .ac-pushButton.primary { background-color: #005a9e !important; border-color: #005a9e !important; color: #fff !important; }
  #webchat .ac-input input[type=radio], #webchat .ac-input input[type=checkbox], #webchat input.ac-input[type=checkbox] { width: 24px; height: 24px; }
  @media (prefers-color-scheme: dark) {
    #webchat .ac-pushButton:not(.style-positive):not(.primary) { background-color: #1c2026 !important; color: #9ccbff !important; border-color: #9ccbff !important; }
    #webchat .ac-input, #webchat .ac-input input, #webchat .ac-input select, #webchat .ac-input textarea, #webchat input.ac-input, #webchat textarea.ac-input, #webchat select.ac-input { background-color: #1c2026 !important; color: #e6e8eb !important; border-color: #8b949e !important; }
  }
</style>`;

/** What starts Web Chat on the chat page (served as /webchat/start.js). */
export const WEBCHAT_START = `(async function () {
  const settings = JSON.parse(document.getElementById('sesame-settings').textContent);
  // Web Chat's colours in the dark theme (its Adaptive Cards take theirs from these), all at 4.5:1 or more.
  const DARK = {
    backgroundColor: '#121417',
    bubbleBackground: '#1c2026', bubbleBorderColor: '#3a4149', bubbleTextColor: '#e6e8eb',
    bubbleFromUserBackground: '#0b3a66', bubbleFromUserBorderColor: '#3a4149', bubbleFromUserTextColor: '#ffffff',
    accent: '#9ccbff', subtle: '#b4bcc4', timestampColor: '#b4bcc4', botAvatarBackgroundColor: '#0b3a66',
    cardEmphasisBackgroundColor: '#262b32',
    sendBoxBackground: '#1c2026', sendBoxTextColor: '#e6e8eb', sendBoxButtonColor: '#c8cdd3', sendBoxPlaceholderColor: '#b4bcc4', sendBoxBorderTop: 'solid 1px #3a4149',
    suggestedActionBackgroundColor: '#1c2026', suggestedActionBorderColor: '#9ccbff', suggestedActionTextColor: '#9ccbff',
    transcriptOverlayButtonBackground: '#3a4149', transcriptOverlayButtonColor: '#ffffff',
    notificationText: '#e6e8eb',
  };
  // Web Chat builds its Adaptive Cards host config from its style options, but keeps dark text on
  // emphasis containers and its attention/warning/good colours made for white: in the dark theme
  // the whole host config is ours, the same as Web Chat's but for the colours.
  const colours = (text, subtle) => ({
    default: { default: text, subtle },
    accent: { default: '#9ccbff', subtle: '#9ccbff' },
    attention: { default: '#ffb3b8', subtle: '#ffb3b8' },
    dark: { default: '#e6e8eb', subtle: '#b4bcc4' },
    good: { default: '#9be39b', subtle: '#9be39b' },
    light: { default: '#ffffff', subtle: '#e6e8eb' },
    warning: { default: '#ffd08a', subtle: '#ffd08a' },
  });
  const DARK_CARDS = {
    containerStyles: {
      default: { foregroundColors: colours('#e6e8eb', '#b4bcc4') },
      emphasis: { backgroundColor: '#262b32', foregroundColors: colours('#e6e8eb', '#b4bcc4') },
      accent: { backgroundColor: '#0b3a66', foregroundColors: colours('#ffffff', '#e6e8eb') },
      good: { backgroundColor: '#163d16', foregroundColors: colours('#ffffff', '#e6e8eb') },
      attention: { backgroundColor: '#4d1a1d', foregroundColors: colours('#ffffff', '#e6e8eb') },
      warning: { backgroundColor: '#4a3410', foregroundColors: colours('#ffffff', '#e6e8eb') },
    },
    supportsInteractivity: true,
    fontFamily: "Calibri, 'Helvetica Neue', Arial, 'sans-serif'",
    fontSizes: { small: 12, default: 14, medium: 17, large: 21, extraLarge: 26 },
    imageSizes: { small: 40, medium: 80, large: 160 },
    actions: { actionAlignment: 'stretch', actionsOrientation: 'vertical', buttonSpacing: 8, maxActions: 100, showCard: { actionMode: 'inline', inlineTopMargin: 8 }, spacing: 'default' },
    adaptiveCard: { allowCustomStyle: false },
    imageSet: { imageSize: 'medium', maxImageHeight: 100 },
    factSet: { title: { color: 'default', size: 'default', isSubtle: false, weight: 'bolder', wrap: true, maxWidth: 150 }, value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true }, spacing: 8 },
    textBlock: { headingLevel: 2 },
  };
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
    const statement = document.getElementById('accessibility');
    statement.textContent = strings.accessibility;
    statement.setAttribute('href', strings.accessibilityHref);
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
    let lastAnswer = '';
    const erased = (answer) => {
      directLine.end();
      const chat = document.getElementById('webchat');
      chat.hidden = true;
      chat.replaceChildren();
      const panel = document.createElement('main');
      panel.id = 'erased';
      const title = document.createElement('h2');
      title.textContent = strings.erased;
      panel.append(title);
      for (const paragraph of answer.split(/\\n\\n+/).filter(Boolean)) {
        const p = document.createElement('p');
        p.textContent = paragraph;
        panel.append(p);
      }
      const again = document.createElement('button');
      again.type = 'button';
      again.textContent = strings.newConversation;
      again.addEventListener('click', () => location.reload());
      panel.append(again);
      chat.after(panel);
      again.focus();
    };
    // A message typed while a card is being filled (« c'est quoi l'URML ? ») carries what the card holds, unsent:
    // Sésame shows the card again after its answer with the user's entries (Teams and other clients cannot).
    const unsentCard = (getState) => {
      const isCard = (x) => x.contentType === 'application/vnd.microsoft.card.adaptive';
      const last = [...(getState().activities || [])].reverse().find((a) => a.from && a.from.role === 'bot' && (a.attachments || []).some(isCard));
      const card = last && last.attachments.find(isCard).content;
      const promptId = card && (card.actions || []).map((a) => a.data && a.data.promptId).find(Boolean);
      const rendered = [...document.querySelectorAll('#webchat .ac-adaptiveCard')].pop();
      if (!promptId || !rendered) return undefined;
      const values = {};
      for (const input of rendered.querySelectorAll('[id]')) {
        const controls = [...input.querySelectorAll('input, textarea, select')];
        // Only the input's wrapper, which carries the card's id (the renderer's own ids are left out by Sésame).
        if (!controls.length) continue;
        const boxes = controls.filter((c) => c.type === 'checkbox' || c.type === 'radio');
        // A lone checkbox is an Input.Toggle, whose on/off values the page cannot know: left as it was.
        if (boxes.length === 1 && boxes[0].type === 'checkbox') continue;
        values[input.id] = boxes.length ? boxes.filter((c) => c.checked).map((c) => c.value).join(',') : controls[0].value;
      }
      return Object.keys(values).length ? { promptId, values } : undefined;
    };
    // A message the channel refused (too many at once, connection lost) is said in words, not only "Send failed".
    const store = window.WebChat.createStore({}, ({ getState }) => (next) => (action) => {
      const posted = action.type === 'DIRECT_LINE/POST_ACTIVITY' ? action.payload.activity : undefined;
      if (posted && posted.type === 'message' && posted.text && posted.value === undefined) {
        const card = unsentCard(getState);
        if (card) action = { ...action, payload: { ...action.payload, activity: { ...posted, channelData: { ...posted.channelData, ${JSON.stringify(UNSENT_CARD)}: card } } } };
      }
      // IMPEDED: Web Chat still retries; REJECTED: it gave up. Either way, say why in words.
      if ((action.type === 'DIRECT_LINE/POST_ACTIVITY_IMPEDED' || action.type === 'DIRECT_LINE/POST_ACTIVITY_REJECTED') && !refusal) say(strings.sendFailed);
      // Signed out: this browser forgets the conversation and starts afresh (a shared computer's next user sees nothing of it).
      const incoming = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' ? action.payload.activity : undefined;
      if (incoming && incoming.type === 'message' && incoming.from && incoming.from.role === 'bot' && incoming.text) lastAnswer = incoming.text;
      if (incoming && incoming.type === 'event' && incoming.name === 'sesame.forgetConversation') {
        localStorage.removeItem(KEY);
        // Data erased: the conversation leaves the screen too; the bot's last answer (what was kept, and
        // why) stays, with a way to start afresh.
        if (incoming.value === 'erased') setTimeout(() => erased(lastAnswer));
        else {
          say(strings.signedOut);
          setTimeout(() => location.reload(), 2500);
        }
      }
      // The user chose a language in the chat: the page and Web Chat's own strings follow.
      else if (incoming && incoming.type === 'event' && incoming.name === settings.localeEvent) setTimeout(() => switchTo(incoming.value));
      // A message sent well after the refusal clears it (earlier ones still arriving do not).
      else if (action.type === 'DIRECT_LINE/POST_ACTIVITY_FULFILLED' && (!refusal || Date.now() - refusedAt > 3000)) say('');
      return next(action);
    });
    // Light or dark, as the system asks, and again whenever it changes.
    const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');
    const render = () => window.WebChat.renderWebChat({
      directLine,
      store,
      userID: userId,
      locale: strings.webchatLocale,
      styleOptions: { hideUploadButton: false, uploadAccept: 'application/pdf,image/jpeg,image/png', uploadMultiple: true, botAvatarInitials: 'S', userAvatarInitials: '', rootHeight: 'calc(100vh - 4.5rem)', sendBoxTextWrap: true, ...(darkScheme.matches ? DARK : {}) },
      adaptiveCardsHostConfig: darkScheme.matches ? DARK_CARDS : undefined,
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
    darkScheme.addEventListener('change', render);
    render();
  } catch (error) {
    say((error && error.reason) || strings.connectionError);
  }
})();
`;
