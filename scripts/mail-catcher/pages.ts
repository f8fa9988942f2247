import type { MailDetail, MailSummary } from './mailbox';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const page = (title: string, body: string, refresh = false) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
${refresh ? '<meta http-equiv="refresh" content="5">' : ''}
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd; }
  .tag { font-size: 12px; background: #e8f0fe; border-radius: 3px; padding: 0 .3rem; }
  pre { background: #f6f6f6; padding: 1rem; overflow: auto; }
  iframe { width: 100%; height: 30rem; border: 1px solid #ddd; }
</style></head><body>${body}</body></html>`;

/** Every mail, newest first; reloads itself so new invitations show up. */
export function listPage(mails: readonly MailSummary[]): string {
  const rows = mails
    .map(
      (m) => `<tr><td>${escape(m.receivedAt)}</td><td>${escape(m.to)}</td>
        <td><a href="/messages/${escape(m.id)}">${escape(m.subject || '(no subject)')}</a>
        ${m.calendarMethod ? `<span class="tag">${escape(m.calendarMethod)} .ics</span>` : ''}</td></tr>`,
    )
    .join('');
  return page(
    'Mail catcher',
    `<h1>Mail catcher</h1><p>${mails.length} messages · JSON at <a href="/api/messages">/api/messages</a></p>
     <table><tr><th>received</th><th>to</th><th>subject</th></tr>${rows}</table>`,
    true,
  );
}

/** One mail: its headers, the HTML part in a sandbox, the text part and the invitation. */
export function messagePage(mail: MailDetail): string {
  const section = (title: string, content: string | null) =>
    content === null ? '' : `<h2>${title}</h2>${content}`;
  return page(
    mail.subject,
    `<p><a href="/">all messages</a> · <a href="/api/messages/${escape(mail.id)}/raw">raw</a></p>
     <h1>${escape(mail.subject || '(no subject)')}</h1>
     <table>
       <tr><th>from</th><td>${escape(mail.from)}</td></tr>
       <tr><th>to</th><td>${escape(mail.to)}</td></tr>
       <tr><th>received</th><td>${escape(mail.receivedAt)}</td></tr>
       <tr><th>Message-ID</th><td>${escape(mail.messageId ?? '')}</td></tr>
     </table>
     ${section('HTML', mail.html === null ? null : `<iframe sandbox srcdoc="${escape(mail.html)}"></iframe>`)}
     ${section('Text', mail.text === null ? null : `<pre>${escape(mail.text)}</pre>`)}
     ${section(`Invitation (${escape(mail.calendarMethod ?? '')})`, mail.calendar === null ? null : `<pre>${escape(mail.calendar)}</pre>`)}`,
  );
}
