import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseLinkHeader, statusToItem, type MastodonStatus } from './mastodon.status.ts';
import { onFrame } from './mastodon.stream.ts';
import { replyText } from './mastodon.reply.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/mastodon');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('Mastodon statuses', () => {
  it('maps the documented Status entity', () => {
    const r = statusToItem(JSON.parse(read('status_entity.json')) as MastodonStatus, 'https://mastodon.social');
    assert.ok(r && 'item' in r);
    const i = r.item;
    assert.equal(i.externalId, '103270115826048975');
    assert.equal(i.text, '"I lost my inheritance with one wrong digit on my sort code"\n\nhttps://www.theguardian.com/money/2019/dec/07/i-lost-my-193000-inheritance-with-one-wrong-digit-on-my-sort-code');
    assert.deepEqual(i.author, { handle: 'Gargron', name: 'Eugen', url: 'https://mastodon.social/@Gargron', followers: 322930 });
    assert.deepEqual(i.metrics, { likes: 11, shares: 6, replies: 5 });
    assert.equal(i.lang, 'en');
    assert.equal(i.extra?.link, 'https://www.theguardian.com/money/2019/dec/07/i-lost-my-193000-inheritance-with-one-wrong-digit-on-my-sort-code');
  });

  it('skips boosts and rejects statuses without account', () => {
    assert.equal(statusToItem({ id: '1', reblog: { id: '2' }, content: '<p>x</p>', account: { acct: 'a' } }, 'x'), null);
    const r = statusToItem({ id: '1', content: '<p>x</p>' }, 'x');
    assert.ok(r && 'reject' in r);
  });

  it('reads the Link header of the recorded hashtag timeline', () => {
    const cassette = JSON.parse(read('cassette_test_hashtag_tl.json')) as { interactions: { response: { headers: Record<string, string> } }[] };
    assert.deepEqual(parseLinkHeader(cassette.interactions[2]!.response.headers.link!), {
      next: 'http://localhost:3000/api/v1/timelines/tag/hoot?max_id=117020593741189701',
      prev: 'http://localhost:3000/api/v1/timelines/tag/hoot?min_id=117020593741189701',
    });
  });

  it('parses WebSocket frames twice, ignores deletes and stops on an error frame', () => {
    const [update, del, filters] = read('streaming_websocket_events.jsonl').split('\n');
    const cursor: Record<string, string> = {};
    const r = onFrame(update!, 'https://mstdn.jp', cursor);
    assert.equal(r?.items?.[0]?.externalId, '108913983692647032');
    assert.equal(r?.items?.[0]?.parentExternalId, '108913981098896721');
    assert.equal(onFrame(del!, 'x', cursor), null);
    assert.equal(onFrame(filters!, 'x', cursor), null);
    assert.match(onFrame('{oops', 'x', cursor)?.rejects?.[0]?.error ?? '', /not JSON/);
    assert.throws(() => onFrame('{"error":"Missing access token"}', 'x', cursor), /Missing access token/);
  });

  it('starts a reply with the @mention unless it is already there', () => {
    assert.equal(replyText('ann@example.social', 'Sorry!'), '@ann@example.social Sorry!');
    assert.equal(replyText('ann', 'Hi @Ann, sorry!'), 'Hi @Ann, sorry!');
    assert.equal(replyText('ann', 'cc @ann.social'), '@ann cc @ann.social');
  });
});
