import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reachScore } from './reach.ts';

test('reach is 0 without signals, bounded by 1, and grows with every signal', () => {
  assert.equal(reachScore({}), 0);
  assert.equal(reachScore({ followers: 1e9, likes: 1e9, shares: 1e9, replies: 1e9, views: 1e9 }), 1);
  const base = { followers: 1000, likes: 10, shares: 2, replies: 1, views: 5000 };
  for (const key of Object.keys(base) as (keyof typeof base)[]) {
    assert.ok(reachScore({ ...base, [key]: base[key] * 10 }) > reachScore(base), key);
  }
});

test('bad numbers count as zero', () => {
  assert.equal(reachScore({ followers: -5, likes: Number.NaN, views: null }), 0);
});
