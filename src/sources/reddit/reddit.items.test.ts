import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SourceRetryError } from '../../pipeline/source.ts';
import { checkRedditBudget } from './reddit.client.ts';
import { listingToBatch } from './reddit.items.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/reddit');
const body = (name: string, i: number) => (JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as { interactions: { response: { body: unknown } }[] }).interactions[i]!.response.body;

describe('Reddit listings', () => {
  it('maps a submission with its permalink, score and self text', () => {
    const { items, rejects } = listingToBatch(body('praw_cassette_TestSubreddit.test_search.json', 1));
    assert.equal(rejects.length, 0);
    const s = items[0]!;
    assert.equal(s.externalId, 't3_3gpbiu');
    assert.equal(s.title, '[PRAW][OAuth2Util] Problem using get_banned() : raise Forbidden(_raw=response)');
    assert.match(s.text, /^# solved/);
    assert.equal(s.url, 'https://www.reddit.com/r/redditdev/comments/3gpbiu/prawoauth2util_problem_using_get_banned_raise/');
    assert.equal(s.publishedAt, 1439370514000);
    assert.deepEqual(s.metrics, { likes: 0, replies: 21 });
  });

  it('maps comments of a thread with their parent and a link even without permalink', () => {
    const [post, comments] = body('praw_cassette_TestSubmission.test_comments.json', 1) as unknown[];
    assert.equal(listingToBatch(post).items[0]!.externalId, 't3_2gmzqe');
    const c = listingToBatch(comments).items[0]!;
    assert.equal(c.externalId, 't1_cklfmye');
    assert.equal(c.parentExternalId, 't3_2gmzqe');
    assert.match(c.text, /^Quick question: I remember reading about an issue where the proxy settings/);
    const stream = listingToBatch(body('praw_cassette_TestSubredditStreams.test_comments.json', 1)).items[0]!;
    assert.equal(stream.url, 'https://www.reddit.com/r/coins/comments/5jffj1/_/dbhn11d');
    assert.equal(stream.title, "What's this?");
  });

  it('skips "more" stubs, rejects things without a time, and refuses a body without children', () => {
    const r = listingToBatch({ data: { children: [{ kind: 'more', data: { count: 3 } }, { kind: 't1', data: { name: 't1_x', body: 'b' } }] } });
    assert.deepEqual([r.items.length, r.rejects.length, r.names], [0, 1, ['t1_x']]);
    assert.throws(() => listingToBatch({ error: 403 }), /no data\.children/);
  });

  it('waits for X-Ratelimit-Reset when the budget is spent', () => {
    checkRedditBudget(new Headers({ 'x-ratelimit-remaining': '599.0', 'x-ratelimit-reset': '369' }));
    checkRedditBudget(new Headers());
    assert.throws(() => checkRedditBudget(new Headers({ 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': '369' })), (e) => e instanceof SourceRetryError && e.retryAfterMs === 369_000);
  });
});
