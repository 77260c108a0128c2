// The only way HTML enters storage: co-ops write Markdown, remote nodes send
// HTML, and both are reduced to a small safe subset here.
import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel", "target"] },
  allowedSchemes: ["http", "https", "mailto"],
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener noreferrer", target: "_blank" }),
  },
  disallowedTagsMode: "discard",
};

export function sanitizeHtmlContent(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

export function markdownToSafeHtml(markdown: string): string {
  // marked passes raw HTML through; sanitising its output removes it.
  return sanitizeHtmlContent(marked.parse(markdown, { async: false, gfm: true, breaks: false }) as string);
}

/**
 * Plain text (not HTML) from remote HTML: tags go, and the entities
 * sanitize-html writes back are decoded, so "Dye &amp; lots" is stored as
 * "Dye & lots" and every page escapes it once, where it is shown.
 */
export function htmlToText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe to put inside HTML or XML, in content or in a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}
