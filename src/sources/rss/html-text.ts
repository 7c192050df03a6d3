/**
 * HTML → plain text for feed fields. Feeds put HTML (sometimes escaped twice) in titles, summaries and
 * content; Earshot stores plain text and the UI renders it inert, so the goal here is readable text, not
 * sanitised HTML: tags go, script/style bodies go, entities are decoded, whitespace is tidied.
 */
import { cp1252Char } from './feed-decode.ts';

/** Elements whose content is never readable text. */
const DROPPED = /<(script|style|noscript|template|iframe|object|svg|math|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const UNCLOSED_DROPPED = /<(script|style|noscript|template|iframe|object|svg|math)\b[\s\S]*$/i;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
/** Tags that end a line of text when rendered. */
const BREAKS = /<\/?(?:br|p|div|li|ul|ol|tr|table|h[1-6]|blockquote|section|article|header|footer|pre|hr|dt|dd)\b(?:"[^"]*"|'[^']*'|[^'">])*>/gi;
/** Any other tag, quoted attribute values may contain `>`; also `<!DOCTYPE>` and `<?...?>`. */
const TAG = /<\/?[a-zA-Z](?:"[^"]*"|'[^']*'|[^'">])*>|<[!?][^>]*>/g;
/** A tag cut off by truncation at the end of the string. */
const TRAILING_TAG = /<\/?[a-zA-Z][^<>]*$/;
const TAG_LIKE = /<\/?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?\/?>/;

/** Escaping layers unwrapped at most (feeds that escape three times exist; code samples in posts too). */
const MAX_PASSES = 3;

/**
 * Convert an HTML fragment to plain text. Double-escaped HTML (`&lt;p&gt;` after XML decoding, common in
 * feeds) is unwrapped again while tags remain, so that no tag soup reaches the stored text; the price is
 * that an HTML code sample quoted in a post loses its tags too.
 */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return '';
  let text = stripOnce(html);
  for (let pass = 1; pass < MAX_PASSES && TAG_LIKE.test(text); pass++) text = stripOnce(text);
  return tidyWhitespace(text);
}

function stripOnce(html: string): string {
  const stripped = html
    .replace(CDATA, '$1')
    .replace(COMMENT, '')
    .replace(DROPPED, '')
    .replace(UNCLOSED_DROPPED, '')
    .replace(BREAKS, '\n')
    .replace(TAG, '')
    .replace(TRAILING_TAG, '');
  return decodeEntities(stripped);
}

function tidyWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// HTML 4 Latin-1 entities, in code point order from U+00A0: one list instead of a 96-line table.
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 ' +
  'acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml ' +
  'Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde ' +
  'Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ' +
  'ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide ' +
  'oslash ugrave uacute ucirc uuml yacute thorn yuml';

const NAMED: Record<string, number> = {
  amp: 0x26, lt: 0x3c, gt: 0x3e, quot: 0x22, apos: 0x27,
  OElig: 0x152, oelig: 0x153, Scaron: 0x160, scaron: 0x161, Yuml: 0x178, fnof: 0x192, circ: 0x2c6, tilde: 0x2dc,
  ensp: 0x2002, emsp: 0x2003, thinsp: 0x2009, zwnj: 0x200c, zwj: 0x200d, lrm: 0x200e, rlm: 0x200f,
  ndash: 0x2013, mdash: 0x2014, lsquo: 0x2018, rsquo: 0x2019, sbquo: 0x201a, ldquo: 0x201c, rdquo: 0x201d,
  bdquo: 0x201e, dagger: 0x2020, Dagger: 0x2021, bull: 0x2022, hellip: 0x2026, permil: 0x2030, prime: 0x2032,
  Prime: 0x2033, lsaquo: 0x2039, rsaquo: 0x203a, oline: 0x203e, euro: 0x20ac, trade: 0x2122, larr: 0x2190,
  uarr: 0x2191, rarr: 0x2192, darr: 0x2193, harr: 0x2194, minus: 0x2212, infin: 0x221e, ne: 0x2260,
  le: 0x2264, ge: 0x2265, hearts: 0x2665, check: 0x2713, star: 0x2606, starf: 0x2605,
};
LATIN1.split(' ').forEach((name, i) => (NAMED[name] = 0xa0 + i));

const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g;

/** Decode numeric and the common named HTML entities; unknown names are left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name] === undefined ? whole : String.fromCodePoint(NAMED[name]);
    return fromCodePoint(parseInt(hex ?? dec ?? '', hex ? 16 : 10));
  });
}

function fromCodePoint(code: number): string {
  // HTML maps &#128;–&#159; to Windows-1252 (feeds write &#146; for ’), as browsers do.
  if (code >= 0x80 && code <= 0x9f) return cp1252Char(code);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(code);
}
