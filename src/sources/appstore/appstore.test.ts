import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { entryToItem } from './appstore.source.ts';
import { parseServiceAccount, signAssertion } from './googleplay.auth.ts';
import { reviewToItem } from './googleplay.source.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures');
const read = (p: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, p), 'utf8')) as unknown;

describe('app store reviews', () => {
  it('maps an Apple feed entry with rating, version and country', () => {
    const feed = read('appstore/apple_customerreviews_jp_app1404176564.json') as { feed: { entry: Parameters<typeof entryToItem>[0][] } };
    const item = entryToItem(feed.feed.entry[1]!, '6285559638', 'jp', '1404176564')!;
    assert.equal(item.title, 'ストーキング機能を消して…');
    assert.match(item.text, /^とても楽しく配信させていただいております。\nですが、/);
    assert.deepEqual(item.author, { handle: 'たはわかなやみかやあちな', url: 'https://itunes.apple.com/jp/reviews/id383116962' });
    assert.deepEqual(item.extra, { rating: 2, version: '3.4.3', country: 'jp', appId: '1404176564' });
  });

  it('maps a Google Play review with its developer reply', () => {
    const list = read('googleplay/androidpublisher_v3_reviews_list_response_officialdoc.json') as { reviews: Parameters<typeof reviewToItem>[0][] };
    const item = reviewToItem(list.reviews[1]!, 'com.example.app')!;
    assert.equal(item.externalId, '11223344');
    assert.equal(item.text, 'I love using this app!');
    assert.equal(item.lang, 'en');
    assert.deepEqual(item.metrics, { likes: 10 });
    assert.deepEqual(item.extra, { rating: 5, appVersion: '1.2.3', device: 'trltecan', developerReply: "That's great to hear!" });
    const translated = reviewToItem(read('googleplay/androidpublisher_v3_reviews_get_translated_officialdoc.json') as Parameters<typeof reviewToItem>[0], 'p')!;
    assert.equal(translated.extra?.originalText, 'Dies ist die beste App überhaupt!');
  });

  it('signs a service-account assertion Google can verify', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    const key = parseServiceAccount(JSON.stringify({ client_email: 'a@b.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) }));
    const [h, c, s] = signAssertion(key, 1_700_000_000).split('.');
    assert.deepEqual(JSON.parse(Buffer.from(c!, 'base64url').toString()), { iss: 'a@b.iam.gserviceaccount.com', scope: 'https://www.googleapis.com/auth/androidpublisher', aud: 'https://oauth2.googleapis.com/token', iat: 1_700_000_000, exp: 1_700_003_600 });
    assert.ok(crypto.createVerify('RSA-SHA256').update(`${h}.${c}`).verify(publicKey, Buffer.from(s!, 'base64url')));
    assert.throws(() => parseServiceAccount('{"client_email":"a@b.c"}'), /private_key/);
    assert.throws(() => parseServiceAccount('nope'), /not JSON/);
  });
});
