/** Parsing of the date formats sources hand us, into epoch milliseconds. */

const TWITTER = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{4}) (\d{4})$/;
const SPACED_OFFSET = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) ?([+-]\d{2}):?(\d{2})$/;

/**
 * Accepts epoch ms or seconds (number or digit string), ISO 8601, RFC 2822, the Twitter format
 * (`Tue Nov 14 11:53:06 +0000 2017`) and `2015-02-23 06:16:49 -0800`.
 * @returns epoch ms, or null when the value is not a date we understand.
 */
export function parseTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? normalizeEpoch(value) : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (!s) return null;
  if (/^\d{9,13}(\.\d+)?$/.test(s)) return normalizeEpoch(Number(s));
  const tw = TWITTER.exec(s);
  if (tw) return valid(Date.parse(`${tw[2]} ${tw[1]} ${tw[5]} ${tw[3]} ${tw[4]}`));
  const sp = SPACED_OFFSET.exec(s);
  if (sp) return valid(Date.parse(`${sp[1]}T${sp[2]}${sp[3]}:${sp[4]}`));
  return valid(Date.parse(s));
}

/** Seconds below year 2286 in ms are ambiguous; anything under 1e11 is taken as seconds. */
function normalizeEpoch(n: number): number {
  return Math.round(n < 1e11 ? n * 1000 : n);
}

function valid(ms: number): number | null {
  return Number.isFinite(ms) ? ms : null;
}
