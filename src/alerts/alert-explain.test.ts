import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { representativeMentions, summarize, terms, topAuthors, topTerms } from './alert-explain.ts';
import type { WindowMention } from './alert-window.repository.ts';

const m = (id: number, text: string, o: Partial<WindowMention> = {}): WindowMention => ({
  id, text, title: null, url: null, publishedAt: id, sentiment: 'negative', topics: [], nearHash: `h${id}`, duplicateOf: null, likes: 0, shares: 0,
  authorId: id, handle: `u${id}`, authorName: null, followers: id, ...o,
});

describe('alert explanation', () => {
  it('finds the terms that drive an incident, not the ones that are always there', () => {
    const window = Array.from({ length: 12 }, (_, i) => m(i, `@united flight cancelled again, refund please ${i}`));
    const baseline = Array.from({ length: 40 }, (_, i) => m(100 + i, `@united flight was fine ${i}`));
    const top = topTerms(window, baseline).map((t) => t.term);
    assert.deepEqual(top.slice(0, 4).sort(), ['again', 'cancelled', 'please', 'refund']);
    assert.ok(!top.includes('flight') && !top.includes('united'));
    assert.deepEqual(terms('Check https://x.co/a @Delta #Refund the 2 bags'), ['check', 'refund', 'bags']);
  });

  it('picks representative mentions by reach, one per near-duplicate group, and ranks authors by reach', () => {
    const ms = [m(1, 'a', { followers: 10 }), m(2, 'b', { followers: 5000, nearHash: 'x' }), m(3, 'b again', { followers: 4000, nearHash: 'x' }), m(4, 'c', { duplicateOf: 1, followers: 9e6 })];
    assert.deepEqual(representativeMentions(ms).map((r) => r.id), [2, 1]);
    assert.deepEqual(topAuthors(ms).map((a) => a.handle), ['u4', 'u2', 'u3', 'u1']);
  });

  it('says it in one sentence: observed vs expected, since when, what drives it, who is loudest', () => {
    const s = summarize({
      unit: 'mentions per 5 minutes', brand: { id: 1, name: 'United' }, stream: { id: 1, kind: 'negative', topic: '' }, observed: 42, expected: 6, upper: 12,
      since: Date.UTC(2026, 0, 5, 13, 50), peakAt: Date.UTC(2026, 0, 5, 14, 5), window: { from: 0, to: 0 }, mentions: 80,
      topTerms: [{ term: 'cancelled', count: 30, lift: 9 }], topTopics: [{ topic: 'cancellations', count: 28 }], representative: [],
      topAuthors: [{ handle: 'dave', name: null, followers: 120_000, mentions: 2 }], detector: null,
    }, 'United');
    assert.equal(s, 'Negative mentions of United: 42 in 5 minutes at 2026-01-05 14:05 UTC, about 6 expected (7× normal); unusual since 2026-01-05 13:50 UTC. Driven by "cancelled" (topic cancellations). Widest reach: @dave (120,000 followers).');
  });
});
