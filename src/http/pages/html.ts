/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A JSON value safe to embed inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function page(lang: string, title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  :root {
    color-scheme: light dark;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    --bg: #f4f6f9; --surface: #fff; --text: #1b1f24; --muted: #4a5560; --border: #dde3ea;
    --brand: #00437a; --on-brand: #fff; --link: #00437a; --error: #a4262c; --error-bg: #fde7e9;
  }
  @media (prefers-color-scheme: dark) {
    :root {
      --bg: #121417; --surface: #1c2026; --text: #e6e8eb; --muted: #b4bcc4; --border: #3a4149;
      --brand: #1d5c9c; --on-brand: #fff; --link: #9ccbff; --error: #ffb3b8; --error-bg: #3d1518;
    }
  }
  body { margin: 0; background: var(--bg); color: var(--text); }
  header { background: var(--brand); color: var(--on-brand); padding: 0.75rem 1rem; }
  header h1 { margin: 0; font-size: 1.25rem; }
  header p { margin: 0.15rem 0 0; font-size: 0.9rem; }
  main { max-width: 56rem; margin: 0 auto; padding: 1rem; }
  table { border-collapse: collapse; width: 100%; background: var(--surface); }
  th, td { text-align: left; padding: 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
  a { color: var(--link); }
  iframe { width: 100%; min-height: 28rem; border: 1px solid var(--border); background: #fff; }
  pre { white-space: pre-wrap; background: var(--surface); padding: 0.75rem; border: 1px solid var(--border); }
  footer { max-width: 56rem; margin: 0 auto; padding: 0.5rem 1rem 1rem; font-size: 0.85rem; }
</style>
${head}
</head>
<body>
${body}
</body>
</html>`;
}
