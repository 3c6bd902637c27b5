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
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; background: #f4f6f9; color: #1b1f24; }
  header { background: #00437a; color: #fff; padding: 0.75rem 1rem; }
  header h1 { margin: 0; font-size: 1.25rem; }
  header p { margin: 0.15rem 0 0; font-size: 0.9rem; opacity: 0.9; }
  main { max-width: 56rem; margin: 0 auto; padding: 1rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 0.5rem; border-bottom: 1px solid #dde3ea; vertical-align: top; }
  a { color: #00437a; }
  iframe { width: 100%; min-height: 28rem; border: 1px solid #dde3ea; background: #fff; }
  pre { white-space: pre-wrap; background: #fff; padding: 0.75rem; border: 1px solid #dde3ea; }
</style>
${head}
</head>
<body>
${body}
</body>
</html>`;
}
