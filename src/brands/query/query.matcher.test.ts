import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery, prepareText, queryTerms } from './query.matcher.ts';
import { parseQuery } from './query.parser.ts';

function matches(query: string, text: string): boolean {
  return compileQuery(parseQuery(query))(prepareText(text));
}

function assertMatches(query: string, yes: string[], no: string[]): void {
  for (const text of yes) assert.ok(matches(query, text), `${query} should match ${JSON.stringify(text)}`);
  for (const text of no) assert.ok(!matches(query, text), `${query} should not match ${JSON.stringify(text)}`);
}

describe('prepareText', () => {
  it('keeps normalized words and drops handles signs, links, punctuation and emoji', () => {
    const { tokens } = prepareText('@United Don’t lose my bag AGAIN 😡😡 https://t.co/FIEIekCbDB #Fail!!');
    assert.deepEqual(tokens, ['united', "don't", 'lose', 'my', 'bag', 'again', 'fail']);
  });

  it('folds accents, ß and compatibility characters', () => {
    assert.deepEqual(prepareText('Große Verspätung, Cancelación del ﬂight').tokens, ['grosse', 'verspatung', 'cancelacion', 'del', 'flight']);
    assert.deepEqual(prepareText('cancelacio\u0301n').tokens, ['cancelacion']);
  });

  it('adds the parts of words with apostrophes to the lookup set only', () => {
    const prepared = prepareText("United's crew, l'avion");
    assert.deepEqual(prepared.tokens, ["united's", 'crew', "l'avion"]);
    assert.ok(prepared.tokenSet.has('united') && prepared.tokenSet.has('avion'));
  });

  it('returns no tokens for text without words', () => {
    assert.deepEqual(prepareText('😂😂😂 https://t.co/x !!!').tokens, []);
  });
});

describe('compileQuery', () => {
  it('matches a brand query with an exclusion', () => {
    assertMatches(
      '(@united OR "united airlines") AND NOT (stock OR shares)',
      ['@united what would it cost', 'Flying UNITED Airlines tomorrow ✈️', "United's crew was great"],
      ['United Airlines stock drops 3% after earnings', '@united shares fall', '@Delta what would it cost', 'American Airlines lost my bag'],
    );
  });

  it('applies precedence: OR looser than implicit AND', () => {
    assertMatches('@SouthwestAir delay OR lost bag', ['@SouthwestAir another delay', 'they lost my bag'], ['@SouthwestAir lost my luggage', 'delay']);
  });

  it('handles nested groups and negation', () => {
    assertMatches(
      '(@JetBlue OR jetblue) (delay* OR (cancel* -refund*)) -giveaway',
      ['@JetBlue flight delayed 3 hours', 'jetblue cancelled my flight', 'JetBlue cancelled and refunded, delayed too'],
      ['@JetBlue cancelled, refund issued', '@JetBlue delayed #giveaway', '@JetBlue great crew'],
    );
  });

  it('is case- and accent-insensitive', () => {
    assertMatches('"Große Verspätung"', ['GROSSE VERSPATUNG in Hamburg', 'große verspätung heute'], ['Verspätung, große Sorgen']);
    assertMatches('"grosse verspatung"', ['Große Verspätung am Hauptbahnhof'], []);
    assertMatches('cancelación', ['Cancelacion de mi vuelo', 'CANCELACIÓN de mi vuelo'], ['cancelaciones']);
    assertMatches('cancelacion', ['@Iberia ¿Cancelación sin aviso?'], []);
    assertMatches('@UNITED', ['@united what would it cost'], []);
  });

  it('ignores @ and # on both sides', () => {
    assertMatches('@united', ['@United thanks', 'flew united today', '#united'], ['@unitedairlines thanks']);
    assertMatches('#fail', ['epic fail', '#Fail', '@united #EpicFail #fail'], ['#EpicFail', 'failure']);
  });

  it('matches phrases as consecutive words only', () => {
    assertMatches(
      '"flight attendant"',
      ['The flight attendant was rude', 'Flight-attendant strike!', '@united flight attendant 😡'],
      ['attendant on the flight', 'flight, the attendant'],
    );
  });

  it('matches prefix wildcards at the start of words', () => {
    assertMatches('refund*', ['Still waiting for my REFUND', 'refunds please', 'they refunded me'], ['nonrefundable ticket', 'fund']);
    assertMatches('retras*', ['@Iberia se retrasó otro vuelo'], ['retra']);
    assertMatches('iber*', ["vuelo d'Iberia"], []);
  });

  it('treats a term with inner punctuation like a phrase', () => {
    assertMatches('t-mobile', ['T-Mobile coverage is bad', 'switching to t mobile', '@TMobile t-mobile'], ['@TMobile help', 'mobile t']);
    assertMatches('at&t', ['AT&T outage again', 'at&t'], ['at the gate', '@ATT help']);
    assertMatches('t-mob*', ['T-Mobile outage'], ['T Mbank']);
  });

  it('matches apostrophes, typographic or not', () => {
    assertMatches("don't", ['I don’t know', "DON'T fly", 'DON’T'], ['dont', 'do not']);
    assertMatches('united', ["United's app crashed again"], []);
  });

  it('finds terms next to emoji and ignores links', () => {
    assertMatches('@united bag #fail', ['@united lost my bag😡😡 #fail'], []);
    assertMatches('cost', ['@united what would it cost http://t.co/abc'], ['see https://united.com/cost']);
  });

  it('matches one prepared text against many brand queries', () => {
    const text = prepareText('@AmericanAir and @united both cancelled my flights ✈️');
    const brands = ['@AmericanAir OR "american airlines"', '@united -stock', '@Delta', 'cancel* -refund'];
    assert.deepEqual(
      brands.map((q) => compileQuery(parseQuery(q))(text)),
      [true, true, false, true],
    );
  });

  it('never matches a hand-built term with nothing to search for', () => {
    assert.equal(compileQuery({ type: 'term', value: '!!', prefix: false })(prepareText('!! wow')), false);
    assert.equal(compileQuery({ type: 'phrase', words: [] })(prepareText('anything')), false);
  });
});

describe('queryTerms', () => {
  it('lists positive terms and phrases, normalized', () => {
    assert.deepEqual(queryTerms(parseQuery('(@united OR "united airlines") AND NOT (stock OR shares)')), ['united', 'united airlines']);
    assert.deepEqual(
      queryTerms(parseQuery('refund* -spam "Große Verspätung" T-Mobile #United')),
      ['refund*', 'grosse verspatung', 't mobile', 'united'],
    );
  });

  it('counts double negation as positive', () => {
    assert.deepEqual(queryTerms(parseQuery('delay -(NOT late)')), ['delay', 'late']);
  });
});
