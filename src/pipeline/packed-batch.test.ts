import { it } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { packBatch, unpackBatch } from './packed-batch.ts';
import type { PreparedBatch } from './prepare.ts';
import type { MentionDraft } from '../mentions/mention-store.repository.ts';

const row = (i: number): MentionDraft['row'] => ({
  workspace_id: 1, source_id: 2, external_id: `x${i}`, channel: i % 2 ? 'import' : 'twitter', url: i % 3 ? null : `https://example.com/${i}`,
  title: null, text: `text ${i} <script>alert(1)</script> 😡`, published_at: 1_424_000_000_000 + i, ingested_at: 1_700_000_000_000, lang: i % 2 ? 'en' : null,
  lang_confidence: i % 2 ? 0.5 + i / 100 : null, sentiment: i % 2 ? 'negative' : null, sentiment_score: i % 2 ? 0.75 : null, likes: i, shares: null,
  replies: 0, views: null, parent_external_id: i === 2 ? 'x1' : null, near_hash: i % 4 ? `k${i}` : null, extra: i % 2 ? '{"topics":["delays"]}' : null,
});

it('a prepared batch survives packing, a copy between threads and unpacking unchanged', () => {
  const batch: PreparedBatch = {
    drafts: [0, 1, 2, 3, 4].map((i) => ({
      row: row(i),
      author: i === 3 ? null : { channel: 'import', handle: `@h${i}`, name: i ? `Name ${i}` : null, url: null, followers: i ? i * 10 : null },
      brandIds: i === 1 ? [7, 8] : [7],
      topics: i % 2 ? ['delays', 'customer_service'].slice(0, i) : [],
    })),
    deadLetters: [{ sourceId: 2, externalId: null, stage: 'source', error: 'CSV line 4: bad', payload: { line: 4, raw: 'a,b' } }],
    filtered: 1,
    duplicatesInBatch: 2,
    cursor: '{"records":9}',
  };
  const copied = v8.deserialize(v8.serialize(packBatch(batch))) as ReturnType<typeof packBatch>;
  assert.deepEqual(unpackBatch(copied), batch);
  assert.deepEqual(unpackBatch(packBatch({ ...batch, drafts: [], cursor: undefined })), { ...batch, drafts: [], cursor: undefined });
});
