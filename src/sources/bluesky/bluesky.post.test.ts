import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jetstreamEventToItem, postViewToItem, type PostView } from './bluesky.post.ts';
import { onEvent, subscribeUrl } from './jetstream.source.ts';
import { buildReplyRecord } from './bluesky.reply.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/bluesky');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('Bluesky posts', () => {
  it('maps the golden Jetstream events: one post, everything else moves only the cursor', () => {
    const events = read('jetstream_v1_golden_10events.jsonl').split('\n').filter(Boolean);
    const results = events.map((e) => onEvent(e, new Set()));
    const items = results.flatMap((r) => r?.items ?? []);
    assert.equal(items.length, 1);
    assert.deepEqual(items[0], {
      externalId: 'at://did:plc:q235v55g5unth4zjjdpacfdr/app.bsky.feed.post/3mmoojp4cd223',
      title: null,
      text: 'Try RSV for a good time !!',
      url: 'https://bsky.app/profile/did:plc:q235v55g5unth4zjjdpacfdr/post/3mmoojp4cd223',
      publishedAt: '2026-05-25T14:23:28.757Z',
      lang: 'en',
      parentExternalId: 'at://did:plc:j76trmiofvaxxpvx2vnb2vwf/app.bsky.feed.post/3mmojbrjwbs26',
      channel: 'bluesky',
      extra: { cid: 'bafyreicl7rzkxdrm4zz2ehbx52kuk3mvfow6p3gzfys72r5grvskxoswy4', rootUri: 'at://did:plc:j76trmiofvaxxpvx2vnb2vwf/app.bsky.feed.post/3mmojbrjwbs26', rootCid: 'bafyreiainko5un5pbcdosvxpbisjnjzemojnry6nsgtdftdgslbu37kxai' },
      author: { handle: 'did:plc:q235v55g5unth4zjjdpacfdr', url: 'https://bsky.app/profile/did:plc:q235v55g5unth4zjjdpacfdr' },
    });
    assert.ok(results.every((r) => r?.cursor), 'every event (identity and account too) moves the cursor');
    assert.equal(onEvent(events[1]!, new Set(['ja']))?.items, undefined, 'language filter');
  });

  it('skips text-less posts and rejects broken post events', () => {
    assert.equal(jetstreamEventToItem({ kind: 'commit', did: 'd', commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: 'r', cid: 'c', record: { text: '' } } }), null);
    const r = jetstreamEventToItem({ kind: 'commit', did: 'd', commit: { operation: 'create', collection: 'app.bsky.feed.post', cid: 'c', record: { text: 'x' } } });
    assert.ok(r && 'reject' in r);
  });

  it('maps a searchPosts postView with handle and counts', () => {
    const posts = (JSON.parse(read('searchPosts_response_ASSEMBLED.json')) as { posts: PostView[] }).posts;
    assert.equal(postViewToItem(posts[0]!), null, 'an image-only post has no text');
    const r = postViewToItem(posts[1]!);
    assert.ok(r && 'item' in r);
    assert.equal(r.item.text, 'test');
    assert.equal(r.item.author?.handle, 'test.marshal.dev');
    assert.equal(r.item.url, 'https://bsky.app/profile/test.marshal.dev/post/3kahesw26il2z');
  });

  it('rewinds the cursor on reconnect', () => {
    const s = { url: 'wss://jetstream2.us-east.bsky.network/subscribe', rewindSeconds: 5, languages: [], connectTimeoutSeconds: 15 };
    assert.equal(subscribeUrl(s, null), 'wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post');
    assert.equal(new URL(subscribeUrl(s, '1783175888390226')).searchParams.get('cursor'), '1783175883390226');
  });

  it('builds facets with the UTF-8 byte offsets of the documented example', async () => {
    const example = JSON.parse(read('record_post_facets_example.json')) as { text: string; facets: unknown[] };
    const parent = JSON.parse(read('record_post_reply_example.json')) as { reply: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } } };
    const record = await buildReplyRecord({ parent: parent.reply.parent, text: example.text }, async (h) => (h === 'atproto.com' ? 'did:plc:ewvi7nxzyoun6zhxrhs64oiz' : null));
    assert.deepEqual(JSON.parse(JSON.stringify(record.facets)).map((f: { index: unknown; features: unknown }) => ({ index: f.index, features: f.features })), example.facets);
    assert.deepEqual(record.reply, { root: parent.reply.parent, parent: parent.reply.parent }, 'a reply to a thread starter uses it as the root');
  });
});
