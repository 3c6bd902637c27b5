import type { Translator } from '../../i18n';
import type { CaughtMailDetail, CaughtMailSummary } from '../../services/mail/smtpCatcher';
import { escapeHtml, page } from './html';
import { dateTime } from '../../dates';


export function mailListPage(t: Translator, locale: string, mails: CaughtMailSummary[]): string {
  const rows = mails
    .map(
      (m) =>
        `<tr><td>${escapeHtml(dateTime(t, m.receivedAt))}</td><td>${escapeHtml(m.to)}</td><td><a href="/dev/mail/${m.id}">${escapeHtml(m.subject || '—')}</a></td></tr>`,
    )
    .join('\n');
  const table = mails.length
    ? `<table><thead><tr><th>${escapeHtml(t('pages:mail.received'))}</th><th>${escapeHtml(t('pages:mail.to'))}</th><th>${escapeHtml(t('pages:mail.subject'))}</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p>${escapeHtml(t('pages:mail.empty'))}</p>`;
  return page(locale, t('pages:mail.title'), `<header><h1>${escapeHtml(t('pages:mail.title'))}</h1><p>${escapeHtml(t('pages:mail.intro'))}</p></header><main>${table}</main>`);
}

export function mailPage(t: Translator, locale: string, mail: CaughtMailDetail): string {
  // The HTML part is shown in a sandboxed frame (no scripts); its links open in a new tab.
  const html = mail.html ? `<iframe title="${escapeHtml(mail.subject)}" sandbox="allow-popups allow-popups-to-escape-sandbox" src="/dev/mail/${mail.id}/html"></iframe>` : '';
  const body = `<header><h1>${escapeHtml(mail.subject || '—')}</h1></header><main>
<p><a href="/dev/mail">${escapeHtml(t('pages:mail.back'))}</a></p>
<table>
<tr><th>${escapeHtml(t('pages:mail.from'))}</th><td>${escapeHtml(mail.from)}</td></tr>
<tr><th>${escapeHtml(t('pages:mail.to'))}</th><td>${escapeHtml(mail.to)}</td></tr>
${mail.replyTo ? `<tr><th>${escapeHtml(t('pages:mail.replyTo'))}</th><td>${escapeHtml(mail.replyTo)}</td></tr>` : ''}
<tr><th>${escapeHtml(t('pages:mail.received'))}</th><td>${escapeHtml(dateTime(t, mail.receivedAt))}</td></tr>
</table>
${html}
<h2>${escapeHtml(t('pages:mail.textVersion'))}</h2>
<pre>${linkify(escapeHtml(mail.text))}</pre>
${mail.attachments.map((a) => `<h2>${escapeHtml(t('pages:mail.attachment', { name: a.filename }))}</h2>\n<pre>${escapeHtml(a.content)}</pre>`).join('\n')}
</main>`;
  return page(locale, mail.subject, body);
}

/** The HTML part itself, with links made to open outside the frame. */
export function mailHtml(mail: CaughtMailDetail): string {
  return `<base target="_blank">${mail.html ?? ''}`;
}

function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}" target="_blank" rel="noopener">${url}</a>`);
}
