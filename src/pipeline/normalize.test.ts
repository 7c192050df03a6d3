import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeItem, safeUrl } from './normalize.ts';

const now = Date.parse('2026-11-23T10:00:00Z');

describe('normalizeItem', () => {
  it('keeps text verbatim apart from Unicode hygiene and fills defaults', () => {
    const n = normalizeItem({ externalId: ' 7 ', text: ' <b>hi</b>\r\nthere\u0007 ', author: { handle: 'x', followers: -3 } }, 'rss', now);
    assert.deepEqual([n.externalId, n.text, n.publishedAt, n.channel, n.author?.followers], ['7', '<b>hi</b>\nthere', now, 'rss', null]);
  });

  it('uses the title when there is no text and refuses items with neither', () => {
    assert.equal(normalizeItem({ externalId: '1', text: '', title: 'Only a title' }, 'rss', now).text, 'Only a title');
    assert.throws(() => normalizeItem({ externalId: '1', text: ' ' }, 'rss', now), /no text/);
    assert.throws(() => normalizeItem({ externalId: '', text: 'x' }, 'rss', now), /no id/);
    assert.throws(() => normalizeItem({ externalId: '1', text: 'x'.repeat(100_001) }, 'rss', now), /limit is 100000/);
  });

  it('keeps only http(s) links', () => {
    assert.equal(safeUrl('javascript:alert(1)'), null);
    assert.equal(safeUrl('/relative'), null);
    assert.equal(safeUrl('https://example.com/a b'), 'https://example.com/a%20b');
  });
});
