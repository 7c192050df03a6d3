/**
 * How eagerly V8 collects garbage. By default the old generation may grow to several times its live size
 * before a full collection; a bulk import promotes each batch's objects (they live across a worker round trip
 * and a commit), so the heap of a 1M-row import swelled to ~350 MB for ~110 MB of live data. Growing by at
 * most half before collecting keeps the peak resident memory about 120 MB lower for a few percent more GC time
 * (BENCHMARKS.md, ingest). A process-wide setting, applied by the `earshot` CLI at start (and by the ingest
 * benchmark, which stands in for `earshot import`); V8 reads this flag at each collection, so it takes effect
 * even after start-up.
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
