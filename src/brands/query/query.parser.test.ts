import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatQuery, MAX_NESTING, MAX_QUERY_LENGTH, parseQuery, QuerySyntaxError, validateQuery } from './query.parser.ts';
import type { QueryNode } from './query.parser.ts';

const term = (value: string, prefix = false): QueryNode => ({ type: 'term', value, prefix });
const phrase = (...words: string[]): QueryNode => ({ type: 'phrase', words });
const and = (...children: QueryNode[]): QueryNode => ({ type: 'and', children });
const or = (...children: QueryNode[]): QueryNode => ({ type: 'or', children });
const not = (child: QueryNode): QueryNode => ({ type: 'not', child });

describe('parseQuery', () => {
  it('parses a real brand query', () => {
    assert.deepEqual(
      parseQuery('(@united OR "united airlines") AND NOT (stock OR shares)'),
      and(or(term('@united'), phrase('united', 'airlines')), not(or(term('stock'), term('shares')))),
    );
  });

  it('binds OR looser than AND, explicit or implicit', () => {
    assert.deepEqual(parseQuery('delay OR lost bag'), or(term('delay'), and(term('lost'), term('bag'))));
    assert.deepEqual(parseQuery('lost bag OR delay'), or(and(term('lost'), term('bag')), term('delay')));
    assert.deepEqual(parseQuery('lost AND bag OR delay'), parseQuery('lost bag OR delay'));
    assert.deepEqual(parseQuery('delay refund'), and(term('delay'), term('refund')));
  });

  it('binds negation tighter than AND, with NOT or a leading -', () => {
    assert.deepEqual(parseQuery('NOT spam delay'), and(not(term('spam')), term('delay')));
    assert.deepEqual(parseQuery('delay -spam -"free tickets"'), and(term('delay'), not(term('spam')), not(phrase('free', 'tickets'))));
    assert.deepEqual(parseQuery('@united -(stock OR shares)'), and(term('@united'), not(or(term('stock'), term('shares')))));
    assert.deepEqual(parseQuery('delay NOT(spam)'), and(term('delay'), not(term('spam'))));
  });

  it('keeps hyphens inside words as part of the term', () => {
    assert.deepEqual(parseQuery('t-mobile -at&t'), and(term('t-mobile'), not(term('at&t'))));
  });

  it('groups with parentheses, flattening redundant ones', () => {
    assert.deepEqual(parseQuery('(delay OR late) (refund OR voucher)'), and(or(term('delay'), term('late')), or(term('refund'), term('voucher'))));
    assert.deepEqual(parseQuery('a AND (b AND (c))'), and(term('a'), term('b'), term('c')));
    assert.deepEqual(parseQuery('((((@delta))))'), term('@delta'));
    assert.deepEqual(parseQuery('a OR (b OR c)'), or(term('a'), term('b'), term('c')));
  });

  it('reads upper-case operators only; lower-case and/or/not are terms', () => {
    assert.deepEqual(parseQuery('rock and roll'), and(term('rock'), term('and'), term('roll')));
    assert.deepEqual(parseQuery('not happy OR Or'), or(and(term('not'), term('happy')), term('Or')));
  });

  it('reads phrases, wildcards, handles and hashtags', () => {
    assert.deepEqual(parseQuery('"Große   Verspätung"'), phrase('Große', 'Verspätung'));
    assert.deepEqual(parseQuery('refund* cancelación'), and(term('refund', true), term('cancelación')));
    assert.deepEqual(parseQuery('#UnitedFail OR @United'), or(term('#UnitedFail'), term('@United')));
    assert.deepEqual(parseQuery('de*'), term('de', true));
  });

  it('accepts curly quotes pasted from documents', () => {
    assert.deepEqual(parseQuery('“united airlines” -„stock price“'), and(phrase('united', 'airlines'), not(phrase('stock', 'price'))));
  });

  it('accepts negation when something positive remains', () => {
    assert.deepEqual(parseQuery('delay (NOT a NOT b)'), and(term('delay'), not(term('a')), not(term('b'))));
    assert.deepEqual(parseQuery('(NOT spam OR delay) @united'), and(or(not(term('spam')), term('delay')), term('@united')));
  });

  it(`accepts ${MAX_QUERY_LENGTH} characters and ${MAX_NESTING} levels of parentheses`, () => {
    const long = 'delay OR '.repeat(443) + 'refund';
    assert.ok(long.length <= MAX_QUERY_LENGTH);
    assert.equal(parseQuery(long.padEnd(MAX_QUERY_LENGTH)).type, 'or');
    assert.deepEqual(parseQuery('('.repeat(MAX_NESTING) + 'delay' + ')'.repeat(MAX_NESTING)), term('delay'));
  });
});

describe('parseQuery errors', () => {
  const cases: Array<[query: string, position: number, message: string]> = [
    ['', 0, 'The query is empty'],
    ['   ', 0, 'The query is empty'],
    ['delay (refund', 6, 'Missing closing parenthesis for "(" at position 6'],
    ['@united (delay OR late', 8, 'Missing closing parenthesis for "(" at position 8'],
    ['((delay)', 0, 'Missing closing parenthesis for "(" at position 0'],
    ['delay (', 6, 'Missing closing parenthesis for "(" at position 6'],
    ['delay)', 5, 'Unexpected ")" at position 5: there is no "(" before it to close'],
    [') delay', 0, 'Unexpected ")" at position 0: there is no "(" before it to close'],
    ['(a) b)', 5, 'Unexpected ")" at position 5: there is no "(" before it to close'],
    ['delay OR', 6, '"OR" at position 6 needs a term after it'],
    ['@united OR )', 8, '"OR" at position 8 needs a term after it'],
    ['delay AND', 6, '"AND" at position 6 needs a term after it'],
    ['delay AND OR refund', 6, '"AND" at position 6 needs a term after it'],
    ['delay OR OR refund', 6, '"OR" at position 6 needs a term after it'],
    ['AND OR', 0, '"AND" at position 0 needs a term before it'],
    ['OR delay', 0, '"OR" at position 0 needs a term before it'],
    ['delay (OR late)', 7, '"OR" at position 7 needs a term before it'],
    ['delay NOT', 6, '"NOT" at position 6 needs a term after it'],
    ['delay NOT AND late', 6, '"NOT" at position 6 needs a term after it'],
    ['delay -AND late', 6, '"-" at position 6 needs a term after it'],
    ['delay ()', 6, 'Empty parentheses at position 6: put terms between them'],
    ['delay (  ) late', 6, 'Empty parentheses at position 6: put terms between them'],
    ['ref "united airlines', 4, 'Unterminated quote starting at position 4: add the closing "'],
    ['delay "" late', 6, 'Empty quotes at position 6: put words between them'],
    ['delay "!!" late', 6, 'The quoted phrase at position 6 has no letters or digits to search for'],
    ['*', 0, 'A lone "*" at position 0: a wildcard goes at the end of a word, like refund*'],
    ['delay *', 6, 'A lone "*" at position 6: a wildcard goes at the end of a word, like refund*'],
    ['r*', 0, '"r*" at position 0: a wildcard needs at least 2 letters before the *, like refund*'],
    ['@r*', 0, '"@r*" at position 0: a wildcard needs at least 2 letters before the *, like refund*'],
    ['delay-* late', 0, '"delay-*" at position 0: a wildcard needs at least 2 letters before the *, like refund*'],
    ['late re*fund', 7, '"*" at position 7 can only end a word, like refund*'],
    ['late refund**', 11, '"*" at position 11 can only end a word, like refund*'],
    ['late *fund', 5, '"*" at position 5 can only end a word, like refund*'],
    ['-', 0, '"-" at position 0 needs a term right after it, with no space, like -spam'],
    ['delay - spam', 6, '"-" at position 6 needs a term right after it, with no space, like -spam'],
    ['(delay -)', 7, '"-" at position 7 needs a term right after it, with no space, like -spam'],
    ['delay --spam', 7, 'Double negation at position 7: "-" right after "-" cancels it out; remove one'],
    ['delay NOT NOT spam', 10, 'Double negation at position 10: "NOT" right after "NOT" cancels it out; remove one'],
    ['delay NOT -spam', 10, 'Double negation at position 10: "-" right after "NOT" cancels it out; remove one'],
    ['delay && late', 6, '"&&" at position 6 has no letters or digits to search for'],
    ['@ OR #', 0, '"@" at position 0 has no letters or digits to search for'],
    ['delay 😡', 6, '"😡" at position 6 has no letters or digits to search for'],
    ['NOT spam', 0, 'A query needs at least one term that is not negated: this one can only exclude, so it would match everything'],
    ['-spam -"free tickets"', 0, 'A query needs at least one term that is not negated: this one can only exclude, so it would match everything'],
    ['delay OR -spam', 9, 'The part at position 9 can only exclude: each side of "OR" needs at least one term that is not negated'],
    ['delay OR (NOT a NOT b)', 10, 'The part at position 10 can only exclude: each side of "OR" needs at least one term that is not negated'],
  ];
  for (const [query, position, message] of cases) {
    it(`rejects ${JSON.stringify(query)} at ${position}`, () => {
      assert.throws(
        () => parseQuery(query),
        (err: unknown) => err instanceof QuerySyntaxError && err.position === position && err.message === message,
      );
      assert.deepEqual(validateQuery(query), { ok: false, message, position });
    });
  }

  it(`rejects queries longer than ${MAX_QUERY_LENGTH} characters`, () => {
    const query = 'delay '.repeat(700);
    assert.deepEqual(validateQuery(query), {
      ok: false,
      position: MAX_QUERY_LENGTH,
      message: `The query is too long: ${query.length} characters, at most ${MAX_QUERY_LENGTH} are allowed`,
    });
  });

  it(`rejects more than ${MAX_NESTING} levels of parentheses at the first one too many`, () => {
    const query = 'delay ' + '('.repeat(MAX_NESTING + 1) + 'late' + ')'.repeat(MAX_NESTING + 1);
    assert.deepEqual(validateQuery(query), {
      ok: false,
      position: 6 + MAX_NESTING,
      message: `Too many nested parentheses at position ${6 + MAX_NESTING} (at most ${MAX_NESTING} levels)`,
    });
  });

  it('reports errors as validation errors with the query field', () => {
    const err = (() => {
      try {
        parseQuery('(delay');
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof Error && err instanceof QuerySyntaxError);
    assert.equal(err.code, 'validation');
    assert.deepEqual(err.fields, { query: 'Missing closing parenthesis for "(" at position 0' });
  });
});

describe('validateQuery', () => {
  it('accepts a valid query', () => {
    assert.deepEqual(validateQuery('@SouthwestAir (delay* OR "flight attendant") -giveaway'), { ok: true });
  });
});

describe('formatQuery', () => {
  const canonical: Array<[query: string, formatted: string]> = [
    ['(@united OR "united airlines") AND NOT (stock OR shares)', '(@united OR "united airlines") AND NOT (stock OR shares)'],
    ['(@united  OR  "united    airlines")  -(stock OR shares)', '(@united OR "united airlines") AND NOT (stock OR shares)'],
    ['delay refund* -spam', 'delay AND refund* AND NOT spam'],
    ['lost bag OR delay', 'lost AND bag OR delay'],
    ['((a OR b)) c', '(a OR b) AND c'],
    ['a OR (b OR (c d))', 'a OR b OR c AND d'],
    ['delay NOT (NOT spam)', 'delay AND NOT (NOT spam)'],
    ['delay -(a b)', 'delay AND NOT (a AND b)'],
    ['t-mobile at&t #fail', 't-mobile AND at&t AND #fail'],
    ['rock and roll', 'rock AND and AND roll'],
    ['"Große Verspätung" cancelación', '"Große Verspätung" AND cancelación'],
  ];
  for (const [query, formatted] of canonical) {
    it(`formats ${JSON.stringify(query)} and parses it back`, () => {
      const tree = parseQuery(query);
      assert.equal(formatQuery(tree), formatted);
      assert.deepEqual(parseQuery(formatQuery(tree)), tree);
    });
  }

  it('round-trips every query it accepts and throws only QuerySyntaxError otherwise', () => {
    const pieces = ['delay', '@united', 'refund*', '"united airlines"', '"', '(', ')', ' ', ' AND ', ' OR ', 'NOT ', '-', 'r*', 'é', '😡'];
    let seed = 7;
    const pick = () => pieces[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length] ?? '';
    for (let n = 0; n < 3000; n++) {
      const query = Array.from({ length: 1 + (n % 10) }, pick).join('');
      try {
        const tree = parseQuery(query);
        assert.deepEqual(parseQuery(formatQuery(tree)), tree, query);
      } catch (err) {
        assert.ok(err instanceof QuerySyntaxError && err.position >= 0 && err.position <= query.length, query);
      }
    }
  });

  it('falls back to the compact form when the readable one would be too long', () => {
    const query = Array.from({ length: 570 }, (_, i) => `w${i}`).join(' ') + ' -spam';
    assert.ok(query.length <= MAX_QUERY_LENGTH);
    const tree = parseQuery(query);
    const formatted = formatQuery(tree);
    assert.ok(formatted.length <= MAX_QUERY_LENGTH);
    assert.ok(formatted.endsWith(' -spam'));
    assert.deepEqual(parseQuery(formatted), tree);
  });
});
