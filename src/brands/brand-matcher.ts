/**
 * Decides which brands a mention belongs to. Queries are compiled once per workspace and cached; the
 * cache is invalidated when brands change in this process and expires after a few seconds, so that other
 * processes sharing a PostgreSQL database pick up edits too.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { listBrands, type Brand } from './brand.repository.ts';
import { parseQuery } from './query/query.parser.ts';
import { compileQuery, prepareText } from './query/query.matcher.ts';

export interface CompiledBrand {
  brand: Brand;
  matches: ReturnType<typeof compileQuery>;
}

export interface BrandMatcher {
  readonly brands: readonly CompiledBrand[];
  /** Brands whose query matches the title + text (language filters are applied by the caller). */
  match(text: string, title?: string | null): CompiledBrand[];
}

export function createBrandMatcher(brands: Brand[]): BrandMatcher {
  const compiled: CompiledBrand[] = [];
  for (const brand of brands) {
    try {
      compiled.push({ brand, matches: compileQuery(parseQuery(brand.query)) });
    } catch {
      // Queries are validated on save; one that no longer parses (older rules) matches nothing.
    }
  }
  return {
    brands: compiled,
    match(text, title) {
      if (!compiled.length) return [];
      const prepared = prepareText(title ? `${title}\n${text}` : text);
      return compiled.filter((c) => c.matches(prepared));
    },
  };
}

/** True when the brand accepts mentions in `lang` (no language list = every language). */
export function acceptsLanguage(brand: Brand, lang: string | null): boolean {
  return brand.languages.length === 0 || (lang !== null && brand.languages.includes(lang));
}

export class BrandMatcherCache {
  private readonly entries = new Map<number, { at: number; matcher: BrandMatcher }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
  ) {}

  async get(workspaceId: number): Promise<BrandMatcher> {
    const hit = this.entries.get(workspaceId);
    if (hit && this.clock.now() - hit.at < this.ttlMs) return hit.matcher;
    const matcher = createBrandMatcher(await listBrands(this.db, workspaceId));
    this.entries.set(workspaceId, { at: this.clock.now(), matcher });
    return matcher;
  }

  invalidate(workspaceId: number): void {
    this.entries.delete(workspaceId);
  }
}
