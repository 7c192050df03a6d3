import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { atprotoKey, emailKey, handleKey } from './identity-keys.ts';

describe('identity keys', () => {
  it('keys e-mail addresses case-insensitively and ignores other handles', () => {
    assert.equal(emailKey(' Jon@Customer.test'), 'email:jon@customer.test');
    assert.equal(emailKey('mailto:jon@customer.test'), 'email:jon@customer.test');
    assert.equal(emailKey('lena@social'), null);
    assert.equal(emailKey('grumpy_cook'), null);
  });

  it('normalizes handles the way connectors store them', () => {
    assert.equal(handleKey('mastodon', '@Lena@Social.example'), 'handle:mastodon:lena@social.example');
    assert.equal(handleKey('reddit', '/u/Grumpy_Cook'), 'handle:reddit:grumpy_cook');
    assert.equal(handleKey('bluesky', '@kim.bsky.social'), 'handle:bluesky:kim.bsky.social');
  });

  it('takes the Bluesky DID from the post (search) or the author (Jetstream), on Bluesky only', () => {
    assert.equal(atprotoKey('bluesky', 'kim.bsky.social', { did: 'did:plc:abc' }), 'atproto:did:plc:abc');
    assert.equal(atprotoKey('bluesky', 'did:plc:abc', {}), 'atproto:did:plc:abc');
    assert.equal(atprotoKey('bluesky', 'kim.bsky.social', {}), null);
    assert.equal(atprotoKey('mastodon', 'did:plc:abc', {}), null);
  });
});
