const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for HTML text and attribute values (quoted). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ENTITIES[character]);
}

/** A minimal HTML email: a greeting, paragraphs, one button-like link and the token on its own line. */
export function htmlEmail(parts: {
  title: string;
  greeting: string;
  lines: string[];
  link: string;
  action: string;
  token: string;
}): string {
  const paragraphs = parts.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(parts.title)}</title></head>
<body>
<p>${escapeHtml(parts.greeting)}</p>
${paragraphs}
<p><a href="${escapeHtml(parts.link)}">${escapeHtml(parts.action)}</a></p>
<p>Or enter this code: <code>${escapeHtml(parts.token)}</code></p>
</body></html>
`;
}
