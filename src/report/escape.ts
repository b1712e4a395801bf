// Escaping for the text formats. Every string in a report may come from a hostile endpoint, so every
// formatter passes every string through one of these before it reaches markup.

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value for HTML (and SVG inside HTML). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

// XML 1.0 allows only tab, LF, CR and these ranges; anything else would make the document ill-formed.
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text or attribute value for XML: markup escaped, characters XML cannot carry replaced with U+FFFD. */
export function escapeXml(value: unknown): string {
  return escapeHtml(String(value).replace(XML_FORBIDDEN, '\uFFFD'));
}

/**
 * Inline Markdown text: one line, no table breaks, no links, images, emphasis or raw HTML
 * (a PR comment renders Markdown, and a message must read as plain words).
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|!#~])/g, '\\$1');
}

/** Terminal text: control characters (escape sequences a hostile server could send) made visible. */
export function plainText(value: unknown): string {
  return String(value).replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
