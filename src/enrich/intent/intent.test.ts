import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cueIntents } from './cues.ts';
import { normalizeText, tokenize } from '../text/normalize.ts';
import { detectIntents as detectWithTokens } from './intent.ts';

const detectIntents = (text: string, sentiment: Parameters<typeof detectWithTokens>[2]) =>
  detectWithTokens(tokenize(normalizeText(text)), text, sentiment);

const cases: [string, string[]][] = [
  ['Ich kündige meine BahnCard, nie wieder!', ['churn_threat']],
  ['Das geht an meinen Anwalt und die Verbraucherzentrale.', ['escalation_threat']],
  ['Wann fährt der nächste ICE nach Köln?', ['question']],
  ['Ihr solltet mehr Steckdosen in die Züge einbauen.', ['suggestion']],
  ['Me cambio de compañía, nunca más vuelo con vosotros', ['churn_threat']],
  ['Mi abogado presentará una denuncia ante FACUA', ['escalation_threat']],
  ['¿Cuándo sale el vuelo de Madrid?', ['question']],
  ['Deberían poner wifi gratis en todos los vuelos', ['suggestion']],
  ["I'm switching to Delta, done with you", ['churn_threat']],
  ['My lawyer will be in touch, and so will the press', ['escalation_threat']],
  ['You should add more legroom', ['suggestion']],
];

for (const [text, expected] of cases) {
  test(`cues: ${text}`, () => {
    const found = cueIntents(text);
    for (const intent of expected) assert.ok(found.has(intent as never), `${intent} in ${[...found]}`);
  });
}

test('a confident negative sentiment is a complaint without any cue word; threats imply a complaint', () => {
  assert.deepEqual(detectIntents('flight 22 still on the ground', { label: 'negative', score: 0.9 }), ['complaint']);
  assert.ok(detectIntents('Ich kündige!', { label: 'neutral', score: 0.5 }).includes('complaint'));
});

test('sarcastic thanks on a negative mention is no praise', () => {
  const intents = detectIntents('Thanks for nothing, great service as always', { label: 'negative', score: 0.8 });
  assert.ok(!intents.includes('praise'));
  assert.ok(intents.includes('complaint'));
});
