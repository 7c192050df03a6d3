/**
 * The "why" of an alert, from the mentions behind it (pure): the terms and topics that drive it (compared
 * with the day before), representative mentions (reach first, one per near-duplicate group) and the top
 * authors by reach, plus the one-sentence summary a manager reads in the notification.
 */
import type { AlertExplanation, AuthorReachSummary, RepresentativeMention, TermCount } from './alert.ts';
import type { WindowMention } from './alert-window.repository.ts';

const STOPWORDS = new Set(
  ('the and for you your are was were but not with this that have has had just they them their what when from will can cant '
    + 'all our out get got one would there about been who its it\'s i\'m don\'t how why any more now too very than then also http https '
    + 'der die das und ist nicht ein eine mit von den für auf sich des dem ich sie wir auch noch nur wie bei')
    .split(' '),
);

/** Lower-cased words of 3+ letters (hashtags keep their word, handles and links are dropped). */
export function terms(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/@\w+/g, ' ')
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
}

function documentFrequency(ms: readonly WindowMention[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const m of ms) for (const t of new Set(terms(`${m.title ?? ''} ${m.text}`))) df.set(t, (df.get(t) ?? 0) + 1);
  return df;
}

/** Terms over-represented in `window` relative to `baseline`, ranked by count × log-lift. */
export function topTerms(window: readonly WindowMention[], baseline: readonly WindowMention[], k = 8): TermCount[] {
  const w = documentFrequency(window);
  const b = documentFrequency(baseline);
  const minCount = window.length >= 10 ? 2 : 1;
  const scored: (TermCount & { rank: number })[] = [];
  for (const [term, count] of w) {
    if (count < minCount) continue;
    const lift = (count / Math.max(window.length, 1)) / (((b.get(term) ?? 0) + 0.5) / (baseline.length + 1));
    if (lift <= 1.2 && baseline.length > 0) continue;
    scored.push({ term, count, lift: Math.round(lift * 10) / 10, rank: count * Math.log1p(lift) });
  }
  return scored.sort((x, y) => y.rank - x.rank || x.term.localeCompare(y.term)).slice(0, k).map(({ term, count, lift }) => ({ term, count, lift }));
}

export function topTopics(window: readonly WindowMention[], k = 5): { topic: string; count: number }[] {
  const c = new Map<string, number>();
  for (const m of window) for (const t of m.topics) c.set(t, (c.get(t) ?? 0) + 1);
  return [...c].map(([topic, count]) => ({ topic, count })).sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic)).slice(0, k);
}

const reach = (m: WindowMention): number => (m.followers ?? 0) + 10 * m.shares + 2 * m.likes;

/** Up to k mentions, widest reach first, skipping near-duplicates of one already chosen. */
export function representativeMentions(window: readonly WindowMention[], k = 5): RepresentativeMention[] {
  const seen = new Set<string>();
  const out: RepresentativeMention[] = [];
  for (const m of [...window].sort((a, b) => reach(b) - reach(a) || b.publishedAt - a.publishedAt)) {
    if (m.duplicateOf !== null) continue;
    const key = m.nearHash ?? `id:${m.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: m.id, text: m.text.slice(0, 280), url: m.url, publishedAt: m.publishedAt, author: m.handle, followers: m.followers, sentiment: m.sentiment });
    if (out.length >= k) break;
  }
  return out;
}

export function topAuthors(window: readonly WindowMention[], k = 5): AuthorReachSummary[] {
  const by = new Map<number, AuthorReachSummary>();
  for (const m of window) {
    if (m.authorId === null || !m.handle) continue;
    const a = by.get(m.authorId) ?? { handle: m.handle, name: m.authorName, followers: m.followers ?? 0, mentions: 0 };
    a.mentions++;
    by.set(m.authorId, a);
  }
  return [...by.values()].sort((a, b) => b.followers - a.followers || b.mentions - a.mentions).slice(0, k);
}

const RULE_WORDS: Record<string, string> = {
  volume: 'Mentions of', negative: 'Negative mentions of', topic: 'Mentions of',
};

const fmtTime = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
const fmtNum = (x: number): string => (x >= 100 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 10) / 10));

/** The sentence for people: observed vs expected, since when, what drives it and who is loudest. */
export function summarize(e: Omit<AlertExplanation, 'summary'>, subject: string): string {
  const parts: string[] = [];
  if (e.stream) {
    const what = `${RULE_WORDS[e.stream.kind]} ${subject}${e.stream.kind === 'topic' ? ` about ${e.stream.topic}` : ''}`;
    const ratio = e.expected && e.expected > 0 ? ` (${fmtNum(e.observed / e.expected)}× normal)` : '';
    parts.push(`${what}: ${fmtNum(e.observed)} in 5 minutes at ${fmtTime(e.peakAt)}, ${e.expected === null ? 'no baseline yet' : `about ${fmtNum(e.expected)} expected`}${ratio}; unusual since ${fmtTime(e.since)}.`);
  } else parts.push(`${subject}.`);
  if (e.topTerms.length) parts.push(`Driven by ${e.topTerms.slice(0, 3).map((t) => `"${t.term}"`).join(', ')}${e.topTopics.length ? ` (topic ${e.topTopics[0]!.topic})` : ''}.`);
  const a = e.topAuthors[0];
  if (a && a.followers > 0) parts.push(`Widest reach: @${a.handle} (${fmtNum(a.followers)} followers).`);
  return parts.join(' ');
}
