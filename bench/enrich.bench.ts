/**
 * Full enrichment throughput on one core: language + sentiment + topics + intent + relevance over
 * tweet-length texts (UMSAB val, 8 languages, and Spanish airline tweets), after a warm-up pass.
 * Prints texts/s; BENCHMARKS.md records the figure with the machine and date.
 */
import { loadAirlineEs, loadUmsab } from '../src/enrich/data/datasets.ts';
import { runEnrichers } from '../src/enrich/enricher.ts';
import { loadModelBundle } from '../src/enrich/model-store.ts';
import { createEnrichers } from '../src/enrich/understanding.ts';

const texts = [...loadUmsab('datasets', 'val'), ...loadAirlineEs('datasets')].map((r) => r.text);
const loadStarted = performance.now();
const enrichers = createEnrichers(loadModelBundle());
const loadMs = performance.now() - loadStarted;
const meanChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;

/** One pass over all texts: texts per wall-clock second and per second of this process's CPU time. */
function pass(): { wall: number; cpu: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const text of texts) runEnrichers(enrichers, { text });
  const used = process.cpuUsage(cpu);
  return { wall: (texts.length / (performance.now() - started)) * 1000, cpu: texts.length / ((used.user + used.system) / 1e6) };
}

pass();
const passes = [pass(), pass(), pass(), pass(), pass()];
const median = (xs: number[]): number => Math.round(xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number);
console.log(`models loaded in ${loadMs.toFixed(0)} ms; ${texts.length} texts, mean ${meanChars.toFixed(0)} chars, single thread`);
// CPU-time rate is the figure to quote on a shared machine: wall-clock rate drops when other processes run.
console.log(`full enrichment: ${median(passes.map((p) => p.cpu))} texts per CPU-second, ${median(passes.map((p) => p.wall))} texts/s wall clock (median of 5 passes)`);
