/**
 * The brand boolean query language: which mentions belong to a brand.
 *
 * Precedence, loosest first: `OR`, then `AND` (explicit, or implicit between adjacent items:
 * `delay refund` = `delay AND refund`), then negation (`NOT x`, `-x`). Parentheses group;
 * `"quoted phrases"` (straight or curly quotes) match consecutive words; `refund*` matches words starting with "refund".
 * Only the upper-case words AND, OR, NOT are operators. `@handles` and `#hashtags` are terms.
 *
 * ### Examples
 * `(@united OR "united airlines") AND NOT (stock OR shares)`, `delay* -refund`, `#fail OR outage`
 */
import { lex, QuerySyntaxError } from './query.lexer.ts';
import type { Token } from './query.lexer.ts';

export { QuerySyntaxError } from './query.lexer.ts';

export type QueryNode =
  | { type: 'term'; value: string; prefix: boolean }
  | { type: 'phrase'; words: string[] }
  | { type: 'and' | 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode };

/** Longest accepted query, in characters (UTF-16 code units, as JavaScript counts them). */
export const MAX_QUERY_LENGTH = 4000;
/** Deepest accepted nesting of parentheses. */
export const MAX_NESTING = 32;

const LABELS: Record<Token['kind'], string> = {
  and: 'AND', or: 'OR', not: 'NOT', minus: '-', lparen: '(', rparen: ')', term: 'term', phrase: 'phrase',
};

function startsOperand(token: Token | undefined): boolean {
  return token !== undefined && token.kind !== 'and' && token.kind !== 'or' && token.kind !== 'rparen';
}

/** Recursive descent over the tokens; remembers where each node starts to place later errors. */
class Parser {
  private i = 0;
  private depth = 0;
  readonly positions = new WeakMap<QueryNode, number>();

  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  parseOr(): QueryNode {
    const children = [this.parseAnd()];
    for (let t = this.peek(); t?.kind === 'or'; t = this.peek()) {
      this.i++;
      this.expectOperand(t);
      children.push(this.parseAnd());
    }
    return this.group('or', children);
  }

  private parseAnd(): QueryNode {
    const children = [this.parseUnary()];
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'and') {
        this.i++;
        this.expectOperand(t);
      } else if (!startsOperand(t)) break;
      children.push(this.parseUnary());
    }
    return this.group('and', children);
  }

  private parseUnary(): QueryNode {
    const t = this.peek();
    if (t?.kind !== 'not' && t?.kind !== 'minus') return this.parsePrimary();
    this.i++;
    const next = this.peek();
    if (next?.kind === 'not' || next?.kind === 'minus') {
      const message = `Double negation at position ${next.pos}: "${LABELS[next.kind]}" right after "${LABELS[t.kind]}" cancels it out; remove one`;
      throw new QuerySyntaxError(message, next.pos);
    }
    this.expectOperand(t);
    return this.at(t.pos, { type: 'not', child: this.parsePrimary() });
  }

  private parsePrimary(): QueryNode {
    const t = this.tokens[this.i++];
    if (t === undefined) throw new Error('parsePrimary called past the end'); // callers check first
    switch (t.kind) {
      case 'term':
        return this.at(t.pos, { type: 'term', value: t.value, prefix: t.prefix });
      case 'phrase':
        return this.at(t.pos, { type: 'phrase', words: t.words });
      case 'lparen':
        return this.parseGroup(t.pos);
      case 'rparen':
        throw unmatchedClose(t.pos);
      default:
        throw new QuerySyntaxError(`"${LABELS[t.kind]}" at position ${t.pos} needs a term before it`, t.pos);
    }
  }

  private parseGroup(open: number): QueryNode {
    if (++this.depth > MAX_NESTING) {
      throw new QuerySyntaxError(`Too many nested parentheses at position ${open} (at most ${MAX_NESTING} levels)`, open);
    }
    const next = this.peek();
    if (next === undefined) throw unclosed(open);
    if (next.kind === 'rparen') throw new QuerySyntaxError(`Empty parentheses at position ${open}: put terms between them`, open);
    const inner = this.parseOr();
    // parseOr stops only at ")" or at the end of the query.
    if (this.tokens[this.i++] === undefined) throw unclosed(open);
    this.depth--;
    return inner;
  }

  private expectOperand(op: Token): void {
    if (!startsOperand(this.peek())) {
      throw new QuerySyntaxError(`"${LABELS[op.kind]}" at position ${op.pos} needs a term after it`, op.pos);
    }
  }

  /** Builds an and/or node, flattening `a AND (b AND c)` and unwrapping single children. */
  private group(type: 'and' | 'or', children: QueryNode[]): QueryNode {
    const first = children[0];
    if (children.length === 1 && first) return first;
    const flat = children.flatMap((c) => (c.type === type ? c.children : [c]));
    return this.at(first ? (this.positions.get(first) ?? 0) : 0, { type, children: flat });
  }

  private at<T extends QueryNode>(pos: number, node: T): T {
    this.positions.set(node, pos);
    return node;
  }
}

function unclosed(open: number): QuerySyntaxError {
  return new QuerySyntaxError(`Missing closing parenthesis for "(" at position ${open}`, open);
}

function unmatchedClose(pos: number): QuerySyntaxError {
  return new QuerySyntaxError(`Unexpected ")" at position ${pos}: there is no "(" before it to close`, pos);
}

/**
 * The first sub-query that can only exclude where something must be searched for, or null. An AND
 * needs one positive child; every OR alternative needs one, since `delay OR -spam` matches nearly all.
 */
function onlyExcluding(node: QueryNode): QueryNode | null {
  switch (node.type) {
    case 'term':
    case 'phrase':
      return null;
    case 'not':
      return node;
    case 'and': {
      return node.children.some((c) => onlyExcluding(c) === null) ? null : node;
    }
    case 'or':
      return node.children.map(onlyExcluding).find((n) => n !== null) ?? null;
  }
}

function checkSearchesSomething(root: QueryNode, positions: WeakMap<QueryNode, number>): void {
  const bad = onlyExcluding(root);
  if (!bad) return;
  const pos = positions.get(bad) ?? 0;
  if (bad === root) {
    throw new QuerySyntaxError('A query needs at least one term that is not negated: this one can only exclude, so it would match everything', pos);
  }
  throw new QuerySyntaxError(
    `The part at position ${pos} can only exclude: each side of "OR" needs at least one term that is not negated`,
    pos,
  );
}

/**
 * Parses a brand query into its syntax tree.
 * Throws QuerySyntaxError, whose `position` is the 0-based offset of the problem in `input`, for an
 * empty or over-long query, unbalanced parentheses or quotes, misplaced operators or wildcards,
 * nesting deeper than MAX_NESTING, and queries that only exclude (`NOT spam`).
 */
export function parseQuery(input: string): QueryNode {
  if (input.length > MAX_QUERY_LENGTH) {
    throw new QuerySyntaxError(`The query is too long: ${input.length} characters, at most ${MAX_QUERY_LENGTH} are allowed`, MAX_QUERY_LENGTH);
  }
  const tokens = lex(input);
  if (!tokens.length) throw new QuerySyntaxError('The query is empty', 0);
  const parser = new Parser(tokens);
  const root = parser.parseOr();
  const rest = parser.peek();
  if (rest) throw unmatchedClose(rest.pos); // parseOr stops only at ")" or at the end
  checkSearchesSomething(root, parser.positions);
  return root;
}

/** Checks a query for the API: never throws for a malformed query, reports the first problem. */
export function validateQuery(input: string): { ok: true } | { ok: false; message: string; position: number } {
  try {
    parseQuery(input);
    return { ok: true };
  } catch (err) {
    if (err instanceof QuerySyntaxError) return { ok: false, message: err.message, position: err.position };
    throw err;
  }
}

type Style = { and: string; not: string };
const READABLE: Style = { and: ' AND ', not: 'NOT ' };
// Implicit AND and "-": no longer than the query as typed, unless it was typed as tightly as `"a"OR"b"`.
const COMPACT: Style = { and: ' ', not: '-' };

function format(node: QueryNode, style: Style): string {
  const wrap = (child: QueryNode, when: boolean) => (when ? `(${format(child, style)})` : format(child, style));
  switch (node.type) {
    case 'term':
      return node.prefix ? `${node.value}*` : node.value;
    case 'phrase':
      return `"${node.words.join(' ')}"`;
    case 'not':
      return style.not + wrap(node.child, node.child.type !== 'term' && node.child.type !== 'phrase');
    case 'and':
      return node.children.map((c) => wrap(c, c.type === 'and' || c.type === 'or')).join(style.and);
    case 'or':
      return node.children.map((c) => wrap(c, c.type === 'or')).join(' OR ');
  }
}

/**
 * The canonical text of a query: explicit `AND` and `NOT`, single spaces, only the parentheses
 * precedence needs. For any tree returned by parseQuery, `parseQuery(formatQuery(t))` deep-equals `t`.
 * When the readable form would exceed MAX_QUERY_LENGTH, the compact form (`a b -c`) is returned instead.
 */
export function formatQuery(node: QueryNode): string {
  const readable = format(node, READABLE);
  return readable.length <= MAX_QUERY_LENGTH ? readable : format(node, COMPACT);
}
