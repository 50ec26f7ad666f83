/**
 * XML text for documents that other tools parse (XCCDF, ARF, JUnit). Evidence and host values
 * come from the hosts themselves, so every string may hold markup, `]]>`, or characters that
 * XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF).
 */

// Everything outside XML 1.0's Char production; with the u flag a lone surrogate is one match.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\t': '&#9;',
  '\n': '&#10;',
};

/**
 * A character XML cannot hold is written as the visible text `\uXXXX`, so the document stays
 * well-formed and the reader still sees that something was there. `\r` is kept as a character
 * reference (parsers would fold it into `\n`); in attributes so are tab and newline, which
 * attribute normalisation would turn into spaces.
 */
export function xmlEscape(value: unknown, attribute = false): string {
  const s = String(value ?? '').replace(NOT_XML_CHAR, (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`);
  return s.replace(attribute ? /[&<>"'\r\t\n]/g : /[&<>\r]/g, (c) => ENTITIES[c] as string);
}

export const xmlAttr = (value: unknown) => xmlEscape(value, true);

/** `<name attrs>text</name>`, or nothing for an absent value. */
export function el(name: string, text: unknown, attrs: Record<string, unknown> = {}): string {
  if (text === undefined || text === null) return '';
  return `<${name}${attrsOf(attrs)}>${xmlEscape(text)}</${name}>`;
}

export function attrsOf(attrs: Record<string, unknown>): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => ` ${k}="${xmlAttr(v)}"`)
    .join('');
}

/** An NCName-safe token from any string: letters, digits, `.`, `-`, `_`; anything else becomes `_`. */
export function ncToken(s: string): string {
  const t = s.replace(/[^A-Za-z0-9._-]/g, '_');
  return t.length ? t : '_';
}
