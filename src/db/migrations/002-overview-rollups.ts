/**
 * Hourly and daily roll-ups for the Overview, and indexes for "top authors by reach".
 *
 * `mention_counts` (5-minute buckets × brand × sentiment × language × source) has nearly one row per mention
 * at volume — 1,000,000 mentions over 30 days fill about as many rows — so summing it over a month takes
 * over a second. `mention_rollups` keeps, per brand and hour (grain 'h') and per brand and UTC day (grain
 * 'd'), one row for the brand's volume (dim 'all', value ''), and one per sentiment, language and source
 * (dim 'sentiment' | 'lang' | 'source', value as text, '' = none). A month of one brand is at most
 * 30 × (1 + 3 + languages + sources) daily rows, whatever the volume; the hourly rows serve the chart and the
 * partial days at the ends of a range.
 *
 * The roll-up is kept in step with `mention_counts` by triggers (insert, the upsert's update, delete), so
 * whatever writes the counts (the pipeline, a backfill, a repair job) keeps the roll-up exact without
 * knowing about it, in the same transaction. Existing counts are rolled up here once.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../connection.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const GRAINS = [
  { grain: 'h', ms: 3_600_000 },
  { grain: 'd', ms: 86_400_000 },
] as const;
/** The roll-up dimensions and how each one's value is read from a mention_counts row (`row` = new/old or a table). */
const DIMS = [
  { dim: 'all', sqlite: () => `''`, pg: () => `''` },
  { dim: 'sentiment', sqlite: (row: string) => `${row}sentiment`, pg: (row: string) => `${row}sentiment` },
  { dim: 'lang', sqlite: (row: string) => `${row}lang`, pg: (row: string) => `${row}lang` },
  { dim: 'source', sqlite: (row: string) => `CAST(${row}source_id AS TEXT)`, pg: (row: string) => `${row}source_id::text` },
] as const;

export async function up(db: AnyDb, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('mention_rollups')
    .addColumn('brand_id', 'integer', (c) => c.notNull().references('brands.id').onDelete('cascade'))
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('mention_rollups_pk', ['brand_id', 'grain', 'dim', 'bucket', 'value'])
    .execute();
  // Top authors by reach: walk authors by followers, probe each one's mentions in the range. The mention
  // index covers what is summed per author (duplicates left out, engagement), so counting a prolific author's
  // month reads index pages only instead of thousands of scattered rows (1 s → 20–70 ms at 1M mentions).
  await db.schema.createIndex('authors_ws_followers_idx').on('authors').columns(['workspace_id', 'followers']).execute();
  await db.schema.createIndex('mentions_author_published_idx').on('mentions').columns(['author_id', 'published_at', 'duplicate_of', 'likes', 'shares', 'replies']).execute();
  if (dialect === 'sqlite') await sqliteTriggers(db);
  else await postgresTriggers(db);
  await backfill(db, dialect);
}

/** Rolls up the counts stored before this migration (nothing to do on a new database). */
async function backfill(db: AnyDb, dialect: DialectName): Promise<void> {
  if (!(await db.selectFrom('mention_counts').select('brand_id').limit(1).executeTakeFirst())) return;
  // Parallel workers are no help inside a migration transaction; keep the one-off aggregate in this backend.
  if (dialect === 'postgres') await sql`SET LOCAL max_parallel_workers_per_gather = 0`.execute(db);
  for (const g of GRAINS) {
    for (const d of DIMS) {
      const value = dialect === 'sqlite' ? d.sqlite('') : d.pg('');
      const bucket = sql`(bucket / ${sql.lit(g.ms)}) * ${sql.lit(g.ms)}`;
      // PostgreSQL refuses a constant in GROUP BY, and the 'all' value is one.
      const groupValue = d.dim === 'all' ? sql`` : sql`, ${sql.raw(value)}`;
      await sql`INSERT INTO mention_rollups (brand_id, grain, bucket, dim, value, n)
        SELECT brand_id, ${sql.lit(g.grain)}, ${bucket}, ${sql.lit(d.dim)}, ${sql.raw(value)}, sum(n)
        FROM mention_counts GROUP BY brand_id, ${bucket}${groupValue}`.execute(db);
    }
  }
}

/** Upserts adding `delta` to every roll-up row of the counts row `row` ('new' or 'old'). */
function upserts(dialect: DialectName, row: 'new' | 'old', delta: string): string {
  return GRAINS.flatMap((g) => DIMS.map((d) => `INSERT INTO mention_rollups (brand_id, grain, bucket, dim, value, n)
      VALUES (${row}.brand_id, '${g.grain}', (${row}.bucket / ${g.ms}) * ${g.ms}, '${d.dim}', ${dialect === 'sqlite' ? d.sqlite(`${row}.`) : d.pg(`${row}.`)}, ${delta})
      ON CONFLICT (brand_id, grain, dim, bucket, value) DO UPDATE SET n = mention_rollups.n + excluded.n;`)).join('\n');
}

async function sqliteTriggers(db: AnyDb): Promise<void> {
  await sql.raw(`CREATE TRIGGER mention_counts_rollup_ai AFTER INSERT ON mention_counts BEGIN
    ${upserts('sqlite', 'new', 'new.n')} END`).execute(db);
  await sql.raw(`CREATE TRIGGER mention_counts_rollup_au AFTER UPDATE OF n ON mention_counts BEGIN
    ${upserts('sqlite', 'new', 'new.n - old.n')} END`).execute(db);
  // A brand's deletion cascades to both tables; its roll-up rows are already gone then.
  await sql.raw(`CREATE TRIGGER mention_counts_rollup_ad AFTER DELETE ON mention_counts
    WHEN EXISTS (SELECT 1 FROM brands WHERE id = old.brand_id) BEGIN
    ${upserts('sqlite', 'old', '-old.n')} END`).execute(db);
}

async function postgresTriggers(db: AnyDb): Promise<void> {
  await sql.raw(`CREATE FUNCTION mention_counts_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN ${upserts('postgres', 'new', 'NEW.n')}
      ELSIF TG_OP = 'UPDATE' THEN ${upserts('postgres', 'new', 'NEW.n - OLD.n')}
      -- A brand's deletion cascades to both tables; its roll-up rows are already gone then.
      ELSIF EXISTS (SELECT 1 FROM brands WHERE id = OLD.brand_id) THEN ${upserts('postgres', 'old', '-OLD.n')}
      END IF;
      RETURN NULL;
    END $$`).execute(db);
  await sql`CREATE TRIGGER mention_counts_rollup AFTER INSERT OR UPDATE OF n OR DELETE ON mention_counts
    FOR EACH ROW EXECUTE FUNCTION mention_counts_rollup()`.execute(db);
}
