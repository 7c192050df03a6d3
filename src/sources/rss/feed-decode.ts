/**
 * Bytes → text for a fetched feed. We decode ourselves, before the XML parser sees anything, because the
 * parser works on JS strings and would otherwise read an ISO-8859-1 feed as broken UTF-8.
 *
 * Order (as XML-over-HTTP prescribes): byte-order mark, then the Content-Type charset, then the XML
 * declaration's `encoding=`, else UTF-8. Decoding never fails: invalid bytes become U+FFFD so that one
 * bad byte does not stop a whole feed.
 */
import { TextDecoder } from 'node:util';

/** Byte-order marks and the encoding each one announces. */
const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xfe, 0xff], 'utf-16be'],
  [[0xff, 0xfe], 'utf-16le'],
];

/** Decode a feed body. `contentType` is the response's Content-Type header, if any. */
export function decodeFeedBytes(body: Uint8Array, contentType: string | null | undefined): string {
  const candidates = [bomEncoding(body), charsetOf(contentType), xmlDeclEncoding(body), 'utf-8'];
  for (const label of candidates) {
    const decoder = decoderFor(label);
    if (!decoder) continue;
    if (decoder.encoding === 'windows-1252') return decodeWindows1252(body);
    // The decoder drops a BOM that matches its encoding, so the text starts at the first character.
    return decoder.decode(body);
  }
  return new TextDecoder('utf-8').decode(body);
}

/** Windows-1252 characters for bytes 0x80–0x9F (the five unassigned bytes map to the C1 controls). */
const CP1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ';

/** The Windows-1252 character for a byte (or `&#NNN;`) in 0x80–0x9F. */
export function cp1252Char(code: number): string {
  return CP1252_HIGH[code - 0x80] ?? String.fromCharCode(code);
}

/**
 * Windows-1252, which is also what the WHATWG Encoding standard (and every browser) uses for labels like
 * iso-8859-1, latin1 and us-ascii. Done by hand because Node 20's TextDecoder('windows-1252') silently
 * drops bytes 0x80–0x9F (curly quotes, €, … in real feeds).
 */
function decodeWindows1252(body: Uint8Array): string {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => cp1252Char(c.charCodeAt(0)));
}

function bomEncoding(body: Uint8Array): string | null {
  for (const [bytes, label] of BOMS) {
    if (bytes.every((b, i) => body[i] === b)) return label;
  }
  return null;
}

/** The `charset=` parameter of a Content-Type header. */
export function charsetOf(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1] ?? null;
}

/** The `encoding="..."` of a leading `<?xml ...?>` declaration, read as ASCII. */
function xmlDeclEncoding(body: Uint8Array): string | null {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 512)).toString('latin1');
  const match = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1] ?? null;
}

/** A non-fatal decoder for `label`, or null when the label is unknown (then the next candidate is tried). */
function decoderFor(label: string | null): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.toLowerCase(), { fatal: false });
  } catch {
    return null;
  }
}
