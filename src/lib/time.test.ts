import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTime } from './time.ts';

describe('parseTime', () => {
  it('reads the formats of the bundled datasets and feeds', () => {
    assert.equal(parseTime('Tue Nov 14 11:53:06 +0000 2017'), Date.parse('2017-11-14T11:53:06Z'));
    assert.equal(parseTime('2015-02-23 06:16:49 -0800'), Date.parse('2015-02-23T14:16:49Z'));
    assert.equal(parseTime('Mon, 06 Sep 2010 00:01:00 +0000'), Date.parse('2010-09-06T00:01:00Z'));
    assert.equal(parseTime('2017-05-20T09:34:44.000Z'), Date.parse('2017-05-20T09:34:44Z'));
  });

  it('takes epoch seconds and milliseconds', () => {
    assert.equal(parseTime(1614265330), 1614265330000);
    assert.equal(parseTime('1614265330000'), 1614265330000);
  });

  it('returns null for what is not a date', () => {
    for (const v of ['', 'yesterday-ish', null, undefined, {}, Number.NaN]) assert.equal(parseTime(v), null);
  });
});
