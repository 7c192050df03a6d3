import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRecordMapper, parseFieldMap } from './record-mapper.ts';

describe('record mapper', () => {
  it('guesses the twcs and airline columns', () => {
    const twcs = createRecordMapper({}, ['tweet_id', 'author_id', 'inbound', 'created_at', 'text', 'response_tweet_id', 'in_response_to_tweet_id']);
    const item = twcs.map({ tweet_id: '2', author_id: '115712', created_at: 'Tue Oct 31 22:11:45 +0000 2017', text: '@sprintcare and how do you propose we do that', in_response_to_tweet_id: '1.0' });
    assert.deepEqual([item.externalId, item.author?.handle, item.parentExternalId], ['2', '115712', '1']);
    const airline = createRecordMapper({}, ['tweet_id', 'airline_sentiment', 'name', 'retweet_count', 'text', 'tweet_created']);
    const a = airline.map({ tweet_id: '5', name: 'chaddock38', retweet_count: '3', text: '@united what would it cost', tweet_created: '2015-02-23 06:16:49 -0800' });
    assert.deepEqual([a.author?.handle, a.metrics?.shares, a.publishedAt], ['chaddock38', 3, '2015-02-23 06:16:49 -0800']);
  });

  it('follows an explicit map with dot paths into nested JSON', () => {
    const m = createRecordMapper(parseFieldMap('text=eventData.text,externalId=eventData.id,author=eventData.consumer.name'));
    const item = m.map({ eventData: { id: 'r9', text: 'slow refund', consumer: { name: 'Ann' } } });
    assert.deepEqual([item.externalId, item.text, item.author?.handle], ['r9', 'slow refund', 'Ann']);
  });

  it('derives a stable id from the content when there is no id column, and refuses records without text', () => {
    const m = createRecordMapper({}, ['body']);
    assert.equal(m.map({ body: 'same' }).externalId, m.map({ body: 'same' }).externalId);
    assert.throws(() => createRecordMapper({}, ['x']).map({ x: '1' }), /no text/);
    assert.throws(() => parseFieldMap('txt=body'), /unknown field "txt"/);
    assert.throws(() => parseFieldMap('text'), /FIELD=COLUMN/);
  });
});
