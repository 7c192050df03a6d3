import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveAudience, influenceScore, influentialComplaintScore } from './influence.signal.ts';
import { engagementVelocity, viralityScore } from './virality.signal.ts';

const HOUR = 3_600_000;

describe('virality', () => {
  it('measures weighted engagement gained per hour between snapshots', () => {
    const v = engagementVelocity([
      { at: 0, shares: 10 },
      { at: 2 * HOUR, shares: 210 },
    ]);
    assert.equal(v, 100);
  });

  it('scores more engagement in the same time, or the same engagement in less time, at least as high', () => {
    const slow = viralityScore([{ at: 0, shares: 0, views: 0 }, { at: HOUR, shares: 50, views: 1000 }]);
    const more = viralityScore([{ at: 0, shares: 0, views: 0 }, { at: HOUR, shares: 500, views: 10_000 }]);
    const faster = viralityScore([{ at: 0, shares: 0, views: 0 }, { at: HOUR / 4, shares: 50, views: 1000 }]);
    assert.ok(more > slow && faster > slow);
    assert.ok(slow > 0 && more < 1);
  });

  it('is 0.5 at the configured half-score velocity and 0 without a measurable rate', () => {
    assert.ok(Math.abs(viralityScore([{ at: 0 }, { at: HOUR, shares: 100 }]) - 0.5) < 1e-12);
    assert.equal(viralityScore([{ at: 0, shares: 5 }]), 0);
    assert.equal(viralityScore([]), 0);
  });

  it('uses the posting time when only one snapshot exists, and ignores counters going down', () => {
    assert.ok(viralityScore([{ at: HOUR, shares: 300 }], undefined, 0) > 0.8);
    assert.equal(engagementVelocity([{ at: 0, likes: 100 }, { at: HOUR, likes: 60 }]), 0);
  });

  it('prefers a snapshot pair at least minSpan apart over two readings seconds apart', () => {
    const v = engagementVelocity([{ at: 0, shares: 0 }, { at: HOUR, shares: 100 }, { at: HOUR + 10_000, shares: 101 }]);
    assert.ok(Math.abs(v - 101 / ((HOUR + 10_000) / HOUR)) < 1e-9);
  });
});

describe('influence', () => {
  it('grows with the audience, on a log scale, and is 0.5 at the half-score audience', () => {
    const scores = [0, 10, 1_000, 10_000, 1_000_000].map((followers) => influenceScore({ followers }));
    for (let i = 1; i < scores.length; i++) assert.ok(scores[i]! > scores[i - 1]!);
    assert.equal(scores[0], 0);
    assert.ok(Math.abs(scores[3]! - 0.5) < 1e-12);
    assert.ok(scores[4]! < 1);
  });

  it('counts typical engagement and verification towards the audience', () => {
    assert.ok(effectiveAudience({ followers: 100, avgEngagement: 40 }) > effectiveAudience({ followers: 100 }));
    assert.ok(influenceScore({ followers: 5_000, verified: true }) > influenceScore({ followers: 5_000 }));
  });

  it('weights influence by how sure we are that the mention is a complaint', () => {
    const author = { followers: 50_000 };
    assert.equal(influentialComplaintScore(author, 0), 0);
    assert.ok(influentialComplaintScore(author, 0.9) > influentialComplaintScore(author, 0.3));
    assert.equal(influentialComplaintScore(author, 1), influenceScore(author));
    assert.equal(influentialComplaintScore(author, Number.NaN), 0);
  });
});
