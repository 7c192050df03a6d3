/**
 * Matches brand queries against mention texts. A text is prepared (normalized and tokenized) once and
 * then matched against every brand's compiled query, so the per-brand cost is a few Set lookups.
 * Query terms are tokenized exactly like texts: `@United` is the token "united", and `t-mobile` is
 * the two tokens "t", "mobile", matched like the phrase "t mobile".
 */
import { tokenize } from './query.normalize.ts';
import type { QueryNode } from './query.parser.ts';

/** A mention text tokenized for matching; build it with prepareText. */
export interface PreparedText {
  /** Normalized tokens in text order (see tokenize in query.normalize.ts). */
  readonly tokens: readonly string[];
  /** The same tokens, plus the parts of those with apostrophes ("united's" → "united", "s"), for O(1) lookups. */
  readonly tokenSet: ReadonlySet<string>;
}

/** A compiled query: true when the prepared text belongs to the brand. Pure, safe to share. */
export type CompiledQuery = (text: PreparedText) => boolean;

interface Compiled {
  test: CompiledQuery;
  /** Rough relative cost, so that AND/OR try cheap children first (they have no side effects). */
  cost: number;
}

/**
 * Normalizes and tokenizes `text` once (case- and accent-insensitive; links, `@`, `#`, punctuation
 * and emoji dropped) so that it can be matched against many compiled queries. A single-word term also
 * matches a word with an apostrophe on either side of it: `united` matches "United's".
 */
export function prepareText(text: string): PreparedText {
  const tokens = tokenize(text);
  const tokenSet = new Set(tokens);
  for (const token of tokens) {
    // So that `united` matches "United's" and `iberia` matches "d'Iberia"; phrases still need "united's".
    if (token.includes("'")) for (const part of token.split("'")) tokenSet.add(part);
  }
  return { tokens, tokenSet };
}

/**
 * Compiles a parsed query into a predicate over prepared texts. Terms match whole tokens, prefix
 * terms any token starting with the prefix, phrases and multi-token terms consecutive tokens.
 * A term or phrase with nothing to search for (only possible in a hand-built tree) never matches.
 */
export function compileQuery(node: QueryNode): CompiledQuery {
  return compile(node).test;
}

function compile(node: QueryNode): Compiled {
  switch (node.type) {
    case 'term':
      return sequence(tokenize(node.value), node.prefix);
    case 'phrase':
      return sequence(tokenize(node.words.join(' ')), false);
    case 'not': {
      const child = compile(node.child);
      return { test: (t) => !child.test(t), cost: child.cost };
    }
    case 'and':
    case 'or':
      return combine(node.type, node.children.map(compile));
  }
}

function combine(type: 'and' | 'or', children: Compiled[]): Compiled {
  const tests = children.sort((a, b) => a.cost - b.cost).map((c) => c.test);
  const cost = children.reduce((sum, c) => sum + c.cost, 0);
  const test: CompiledQuery =
    type === 'and'
      ? (t) => {
          for (const f of tests) if (!f(t)) return false;
          return true;
        }
      : (t) => {
          for (const f of tests) if (f(t)) return true;
          return false;
        };
  return { test, cost };
}

/** Matches `words` as consecutive tokens; with `prefixLast`, the last word only has to start a token. */
function sequence(words: readonly string[], prefixLast: boolean): Compiled {
  const first = words[0];
  if (first === undefined) return { test: () => false, cost: 0 };
  if (words.length === 1 && !prefixLast) return { test: (t) => t.tokenSet.has(first), cost: 1 };
  if (words.length === 1) return { test: (t) => startsAnyToken(t.tokenSet, first), cost: 4 };
  const required = prefixLast ? words.slice(0, -1) : words;
  return {
    test: (t) => required.every((w) => t.tokenSet.has(w)) && findSequence(t.tokens, words, prefixLast),
    cost: 2,
  };
}

function startsAnyToken(tokens: ReadonlySet<string>, prefix: string): boolean {
  for (const token of tokens) if (token.startsWith(prefix)) return true;
  return false;
}

function findSequence(tokens: readonly string[], words: readonly string[], prefixLast: boolean): boolean {
  const last = words.length - 1;
  outer: for (let i = 0; i + last < tokens.length; i++) {
    for (let j = 0; j <= last; j++) {
      const token = tokens[i + j] ?? '';
      const word = words[j] ?? '';
      if (j === last && prefixLast ? !token.startsWith(word) : token !== word) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * The terms and phrases a matching text can contain, for highlighting: everything not under a
 * negation, deduplicated, in query order. Each is its normalized tokens joined by single spaces, with
 * a trailing `*` for prefix terms: `@United` → "united", `"Große Verspätung"` → "grosse verspatung".
 */
export function queryTerms(node: QueryNode): string[] {
  const found = new Set<string>();
  collectTerms(node, false, found);
  return [...found];
}

function collectTerms(node: QueryNode, negated: boolean, found: Set<string>): void {
  switch (node.type) {
    case 'term':
    case 'phrase': {
      const text = tokenize(node.type === 'term' ? node.value : node.words.join(' ')).join(' ');
      const prefix = node.type === 'term' && node.prefix ? '*' : '';
      if (!negated && text) found.add(text + prefix);
      return;
    }
    case 'not':
      return collectTerms(node.child, !negated, found);
    case 'and':
    case 'or':
      for (const child of node.children) collectTerms(child, negated, found);
  }
}
