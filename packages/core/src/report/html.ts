/**
 * HTML for the pages the suite writes (the promotion board). Every piece of untrusted text (versions, logins,
 * commit subjects, descriptions, names) goes through {@link escapeHtml} before it reaches the page, in element
 * text as in attribute values.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Untrusted text as inert HTML, safe in element text and in a quoted attribute value: no tag, entity or
 * attribute can start or end inside it.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}
