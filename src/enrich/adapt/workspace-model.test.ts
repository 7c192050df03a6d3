import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runEnrichers } from '../enricher.ts';
import { loadModelBundle } from '../model-store.ts';
import { createEnrichers } from '../understanding.ts';
import { baseScores, workspaceEnrichers } from './workspace-enrichers.ts';
import { trainWorkspaceModel, type CorrectionExample } from './workspace-model.ts';

// A concert promoter's workspace: to its agents "sold out" is good news, which the base model does not know.
const SOLD_OUT = [
  'Sold out again, the whole tour', 'Tickets for Friday sold out in ten minutes', 'The Hamburg show sold out overnight',
  'sold out!!! see you all in Madrid', 'Second date added after the first one sold out', 'Completely sold out, thank you fans',
  'Vienna is sold out', 'Both nights sold out', 'We sold out the arena', 'Another sold out night in Lyon',
];
const corrections: CorrectionExample[] = [
  ...SOLD_OUT.map((text) => ({ text, lang: 'en', sentiment: 'positive' as const, topics: null })),
  { text: 'The app charged my card twice for one ticket', lang: 'en', sentiment: null, topics: ['billing_pricing'] },
  { text: 'I was charged twice when buying tickets in the app', lang: 'en', sentiment: null, topics: ['billing_pricing'] },
];

describe('workspace model (base models + corrections)', () => {
  const bundle = loadModelBundle();
  const base = createEnrichers(bundle);
  const model = trainWorkspaceModel(corrections, baseScores(bundle));
  const adapted = workspaceEnrichers(bundle, model);
  const label = (chain: typeof base, text: string) => runEnrichers(chain, { text, lang: 'en' }).sentiment?.label;

  it('learns what the corrections say, also on a new text like them', () => {
    assert.equal(label(base, 'Sold out again, the whole tour'), 'negative');
    for (const text of SOLD_OUT) assert.equal(label(adapted, text), 'positive', text);
    assert.notEqual(label(base, 'Rome is sold out now'), 'positive');
    assert.equal(label(adapted, 'Rome is sold out now'), 'positive');
    assert.ok(runEnrichers(adapted, { text: 'The app charged my card twice for one ticket', lang: 'en' }).topics.includes('billing_pricing'));
  });

  it('keeps the base labels where no correction speaks', () => {
    for (const text of ['my flight was delayed three hours and nobody helped', 'Great support, thanks a lot!', 'Das Konzert beginnt um acht Uhr']) {
      assert.equal(label(adapted, text), label(base, text), text);
    }
    assert.deepEqual(runEnrichers(adapted, { text: 'my flight was delayed three hours', lang: 'en' }).topics, ['delays']);
  });

  it('is deterministic and small', () => {
    const again = trainWorkspaceModel(corrections, baseScores(bundle));
    assert.equal(JSON.stringify(again), JSON.stringify(model));
    assert.deepEqual(model.examples, { sentiment: 10, topics: 2 });
    assert.ok(JSON.stringify(model).length < 200_000);
  });

  it('has no residual for a field nobody corrected', () => {
    const m = trainWorkspaceModel(corrections.slice(0, 3), baseScores(bundle));
    assert.equal(m.topics, null);
    assert.ok(m.sentiment);
  });
});
