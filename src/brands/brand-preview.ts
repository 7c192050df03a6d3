/**
 * "Would have matched": runs a brand query (not yet saved) over the most recent stored mentions, with the
 * same parser, matcher and language rule as the pipeline, so the person editing a query sees what it catches
 * before saving it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ValidationError } from '../lib/errors.ts';
import { toMention, type Mention } from '../mentions/mention.ts';
import { validateQuery, parseQuery } from './query/query.parser.ts';
import { compileQuery, prepareText } from './query/query.matcher.ts';
import { findAuthorsAndBrands, listRecentMentionRows } from './brand-preview.repository.ts';

export interface BrandPreviewInput {
  query: string;
  /** ISO 639-1 codes the brand would be limited to; empty = every language. */
  languages: string[];
  /** How many of the newest stored mentions to scan. */
  window: number;
  /** How many matching mentions to return. */
  limit: number;
}

export interface BrandPreview {
  /** Mentions scanned (at most `window`; fewer when the workspace has fewer). */
  scanned: number;
  /** Of those, how many the query would have matched. */
  matched: number;
  /** The newest matching mentions, newest first. */
  items: Mention[];
}

/**
 * @throws ValidationError with `fields.query` and `position` when the query has a syntax error
 * (the same error the brand endpoints give).
 */
export async function previewBrandQuery(db: Kysely<Database>, workspaceId: number, input: BrandPreviewInput): Promise<BrandPreview> {
  const v = validateQuery(input.query);
  if (!v.ok) throw Object.assign(new ValidationError(`The query has a syntax error: ${v.message}`, { query: v.message }), { position: v.position });
  const matches = compileQuery(parseQuery(input.query));
  const rows = await listRecentMentionRows(db, workspaceId, input.window);
  const hits = rows.filter((r) => {
    if (input.languages.length && (r.lang === null || !input.languages.includes(r.lang))) return false;
    return matches(prepareText(r.title ? `${r.title}\n${r.text}` : r.text));
  });
  const shown = hits.slice(0, input.limit);
  const { authors, brands } = await findAuthorsAndBrands(db, shown);
  const items = shown.map((r) => toMention(r, r.author_id !== null ? (authors.get(r.author_id) ?? null) : null, brands.get(r.id) ?? []));
  return { scanned: rows.length, matched: hits.length, items };
}
