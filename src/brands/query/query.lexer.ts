/**
 * Splits a brand query into tokens with their character offsets, so that every syntax error can
 * point at the place in the query the user typed. Word-level checks (wildcards, terms with nothing
 * to search for) happen here; structure (operators, parentheses) is checked by the parser.
 */
import { ValidationError } from '../../lib/errors.ts';
import { tokenize } from './query.normalize.ts';

/** A brand query is malformed; `position` is the 0-based offset of the problem in the query. */
export class QuerySyntaxError extends ValidationError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message, { query: message });
    this.name = 'QuerySyntaxError';
  }
}

export type Token =
  | { kind: 'term'; pos: number; value: string; prefix: boolean }
  | { kind: 'phrase'; pos: number; words: string[] }
  | { kind: 'and' | 'or' | 'not' | 'minus' | 'lparen' | 'rparen'; pos: number };

/** The operators, by the exact (upper-case) word; "and", "or", "not" are ordinary terms. */
export const OPERATORS: Readonly<Record<string, 'and' | 'or' | 'not'>> = { AND: 'and', OR: 'or', NOT: 'not' };

const SPACE = /\s/;
// Curly quotes count as quotes: queries are often pasted from documents and chat apps.
const QUOTES = '"\u201c\u201d\u201e';
const WORD_END = /[\s()"\u201c\u201d\u201e]/;

/** Tokenizes `input`; throws QuerySyntaxError for unterminated quotes and malformed words. */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (SPACE.test(c)) i++;
    else if (c === '(' || c === ')') tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', pos: i++ });
    else if (QUOTES.includes(c)) i = lexPhrase(input, i, tokens);
    else if (c === '-') i = lexMinus(input, i, tokens);
    else i = lexWord(input, i, tokens);
  }
  return tokens;
}

function lexPhrase(input: string, start: number, tokens: Token[]): number {
  let end = start + 1;
  while (end < input.length && !QUOTES.includes(input.charAt(end))) end++;
  if (end === input.length) throw new QuerySyntaxError(`Unterminated quote starting at position ${start}: add the closing "`, start);
  const words = input.slice(start + 1, end).split(/\s+/).filter(Boolean);
  if (!words.length) throw new QuerySyntaxError(`Empty quotes at position ${start}: put words between them`, start);
  if (!tokenize(words.join(' ')).length) {
    throw new QuerySyntaxError(`The quoted phrase at position ${start} has no letters or digits to search for`, start);
  }
  tokens.push({ kind: 'phrase', pos: start, words });
  return end + 1;
}

function lexMinus(input: string, start: number, tokens: Token[]): number {
  const next = input.charAt(start + 1);
  if (next === '' || next === ')' || SPACE.test(next)) {
    throw new QuerySyntaxError(`"-" at position ${start} needs a term right after it, with no space, like -spam`, start);
  }
  tokens.push({ kind: 'minus', pos: start });
  return start + 1;
}

function lexWord(input: string, start: number, tokens: Token[]): number {
  let end = start;
  while (end < input.length && !WORD_END.test(input.charAt(end))) end++;
  const word = input.slice(start, end);
  const operator = OPERATORS[word];
  if (operator) tokens.push({ kind: operator, pos: start });
  else tokens.push(termToken(word, start));
  return end;
}

function termToken(word: string, pos: number): Token {
  const prefix = word.endsWith('*');
  const value = prefix ? word.slice(0, -1) : word;
  const star = value.indexOf('*');
  if (star >= 0) {
    throw new QuerySyntaxError(`"*" at position ${pos + star} can only end a word, like refund*`, pos + star);
  }
  const words = tokenize(value);
  if (prefix) checkPrefix(word, words, pos);
  else if (!words.length) {
    throw new QuerySyntaxError(`"${word}" at position ${pos} has no letters or digits to search for`, pos);
  }
  return { kind: 'term', pos, value, prefix };
}

function checkPrefix(word: string, words: string[], pos: number): void {
  if (word === '*') {
    throw new QuerySyntaxError(`A lone "*" at position ${pos}: a wildcard goes at the end of a word, like refund*`, pos);
  }
  const last = words[words.length - 1] ?? '';
  // In `delay-*` the * would silently apply to another word: it must follow a letter or digit.
  if (last.length < 2 || !/[\p{L}\p{N}\p{M}]$/u.test(word.slice(0, -1))) {
    throw new QuerySyntaxError(`"${word}" at position ${pos}: a wildcard needs at least 2 letters before the *, like refund*`, pos);
  }
}
