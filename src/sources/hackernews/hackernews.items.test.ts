import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { hitsToBatch, type AlgoliaHit } from './hackernews.items.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/hackernews');
const hits = (name: string) => (JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as { hits: AlgoliaHit[] }).hits;

describe('Hacker News hits', () => {
  it('turns a comment into plain text with its parent and story', () => {
    const { items, rejects } = hitsToBatch(hits('algolia_search_by_date_comment_apple.json'));
    assert.equal(rejects.length, 0);
    const c = items[0]!;
    assert.equal(c.externalId, '7919418');
    assert.match(c.text, /^Yeah the article seems stupid, while technically they aren't contributing to the scholarship they do pay/);
    assert.match(c.text, /years\.\nI'm not the biggest fan of starbucks/);
    assert.match(c.text, /Starbucks\/Wal-Mart/);
    assert.doesNotMatch(c.text, /<|&#x/);
    assert.equal(c.parentExternalId, '7919290');
    assert.equal(c.publishedAt, 1403235154 * 1000);
    assert.deepEqual(c.extra, { kind: 'comment', storyId: '7918547', storyTitle: "Starbucks admits it's not contributing to scholarship fund" });
    assert.deepEqual(c.author, { handle: 'fleitz', url: 'https://news.ycombinator.com/user?id=fleitz' });
  });

  it('uses a link story title as its text and keeps the link', () => {
    const s = hitsToBatch(hits('algolia_search_by_date_story_apple.json')).items[0]!;
    assert.equal(s.text, 'Judge says concerned about Apple, Google hiring settlement');
    assert.equal(s.url, 'https://news.ycombinator.com/item?id=7919424');
    assert.equal(s.extra?.link, 'http://in.reuters.com/article/2014/06/19/apple-google-settlement-idINL2N0P01ZI20140619');
    assert.deepEqual(s.metrics, { likes: 1, replies: 0 });
  });

  it('rejects hits without id, time or text instead of dropping them', () => {
    const { items, rejects } = hitsToBatch([{ title: 'x' }, { objectID: '1', created_at_i: 5, story_text: '', title: '' }] as AlgoliaHit[]);
    assert.equal(items.length, 0);
    assert.deepEqual(rejects.map((r) => r.error), ['Hacker News hit without objectID or created_at_i', 'Hacker News hit with neither a title nor any text']);
  });
});
