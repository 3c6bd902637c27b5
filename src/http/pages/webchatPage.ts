import type { Translator } from '../../i18n';
import { escapeHtml, page, scriptJson } from './html';

/**
 * The chat page: Web Chat from the botframework-webchat bundle served by Sésame itself (no CDN),
 * talking to the local Direct Line channel. The page keeps a user id and a resume key in
 * localStorage, so a reload or a return days later continues the same conversation.
 */
export function webchatPage(t: Translator, locale: string): string {
  const settings = {
    locale: locale === 'en' ? 'en-US' : 'fr-FR',
    placeholder: t('pages:webchat.placeholder'),
    connectionError: t('pages:webchat.connectionError'),
  };
  const body = `<header><h1>${escapeHtml(t('pages:webchat.heading'))}</h1><p>${escapeHtml(t('pages:webchat.tagline'))}</p></header>
<noscript><p>${escapeHtml(t('pages:webchat.noscript'))}</p></noscript>
<div id="status" role="status" hidden></div>
<div id="webchat" role="main"></div>
<script src="webchat/webchat.js"></script>
<script>
(async function () {
  const settings = ${scriptJson(settings)};
  const KEY = 'sesame.webchat.v1';
  const saved = JSON.parse(localStorage.getItem(KEY) || '{}');
  const userId = saved.userId || ('u-' + crypto.randomUUID());
  const post = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then((r) => { if (!r.ok) throw new Error(url + ' ' + r.status); return r.json(); });
  let session;
  try {
    if (saved.conversationId && saved.resumeKey) {
      session = await post('webchat/token', { userId, locale: settings.locale, conversationId: saved.conversationId, resumeKey: saved.resumeKey }).catch(() => undefined);
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
    window.WebChat.renderWebChat({
      directLine,
      userID: userId,
      locale: settings.locale,
      styleOptions: { hideUploadButton: true, botAvatarInitials: 'S', userAvatarInitials: '', rootHeight: 'calc(100vh - 4.5rem)', sendBoxTextWrap: true },
      overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: settings.placeholder },
    }, document.getElementById('webchat'));
  } catch (error) {
    const status = document.getElementById('status');
    status.textContent = settings.connectionError;
    status.hidden = false;
  }
})();
</script>`;
  return page(locale, t('pages:webchat.title'), body, '<style>#webchat{max-width:56rem;margin:0 auto;background:#fff}#status{padding:1rem;color:#a4262c}</style>');
}
