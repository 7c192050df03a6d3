/**
 * Business-time arithmetic in a time zone: how many working milliseconds lie between two instants, and
 * which instant lies a number of working milliseconds after another. Pure; DST-correct through Intl.
 */

export interface BusinessHours {
  /** IANA zone, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Working days, 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** Local "HH:MM" start and end of the working day (end after start). */
  start: string;
  end: string;
}

/** null = the clock runs around the clock. */
export type Schedule = BusinessHours | null;

const DAY_MS = 86_400_000;
/** Longest span walked day by day (ten years); beyond it the answer is capped. */
const MAX_DAYS = 3660;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local calendar fields of instant `t` in `timeZone`. */
export function localParts(t: number, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, mi: p.minute!, s: p.second! };
}

/** The zone's offset from UTC at instant `t`, in ms. */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(Math.floor(t / 1000) * 1000, timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(t / 1000) * 1000;
}

/** The instant of local wall time y-m-d h:mi in `timeZone` (a time skipped by DST maps forward). */
export function zonedTime(y: number, m: number, d: number, h: number, mi: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d, h, mi);
  let t = wall - offsetAt(wall, timeZone);
  t = wall - offsetAt(t, timeZone);
  return t;
}

const hm = (s: string) => s.split(':').map(Number) as [number, number];

/** The working windows [from, to) of each local day, starting with the local day of `t`. */
function* windows(t: number, b: BusinessHours): Generator<[number, number]> {
  const first = localParts(t, b.timeZone);
  const [sh, sm] = hm(b.start);
  const [eh, em] = hm(b.end);
  for (let i = 0; i < MAX_DAYS; i++) {
    const day = new Date(Date.UTC(first.y, first.m - 1, first.d + i));
    if (!b.days.includes(day.getUTCDay())) continue;
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    yield [zonedTime(y, m, d, sh, sm, b.timeZone), zonedTime(y, m, d, eh, em, b.timeZone)];
  }
}

/** Working milliseconds in [from, to); 0 when `to` ≤ `from`. */
export function businessMsBetween(from: number, to: number, schedule: Schedule): number {
  if (to <= from) return 0;
  if (!schedule) return to - from;
  let total = 0;
  for (const [a, b] of windows(from - DAY_MS, schedule)) {
    if (a >= to) break;
    total += Math.max(0, Math.min(b, to) - Math.max(a, from));
  }
  return total;
}

/** The instant when `ms` working milliseconds have passed after `from`. */
export function addBusinessMs(from: number, ms: number, schedule: Schedule): number {
  if (!schedule) return from + ms;
  let left = ms;
  let last = from;
  for (const [a, b] of windows(from - DAY_MS, schedule)) {
    if (b <= from) continue;
    const start = Math.max(a, from);
    if (start + left <= b) return start + left;
    left -= b - start;
    last = b;
  }
  return last;
}
