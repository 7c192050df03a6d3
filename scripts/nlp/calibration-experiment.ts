/**
 * Offline analysis of the probabilities experts-experiment.ts dumped (CV rows of airline-en, airline-es,
 * GermEval; UMSAB val rows): soft vs hard gate, and per-expert class offsets (added to an expert's logits,
 * i.e. to its bias) chosen by coordinate search. Offsets are estimated honestly by 2-fold cross-fitting:
 * tuned on one half of the rows (by position), scored on the other, and vice versa.
 * Usage: node --import tsx scripts/nlp/calibration-experiment.ts tmp/dump.json
 */
import fs from 'node:fs';
import { SENTIMENTS } from '../../src/enrich/data/datasets.ts';
import { accuracy, macroF1 } from '../../src/enrich/eval/metrics.ts';
import { argmax } from '../../src/enrich/linear/model.ts';

interface Row { dataset: string; gold: string; gate: number[]; experts: number[][] }
const { experts, rows } = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as { experts: string[]; rows: Row[] };
/**
 * Offsets per language, added to the logits of expert 0 (the feedback expert) of every row in that language —
 * what shifting the weights of the language × handle-kind features of that expert does at enrichment.
 */
const LANGS = ['en', 'es', 'de'];
type Offsets = number[][];
const zero = (): Offsets => LANGS.map(() => [0, 0, 0]);
const langOf = (d: string): string => (d.startsWith('umsab-') ? d.slice(6) : d === 'airline-en' ? 'en' : d === 'airline-es' ? 'es' : 'de');

function predict(r: Row, off: Offsets, hard = false): string {
  const p = [0, 0, 0];
  const ks = hard ? [argmax(r.gate)] : experts.map((_, k) => k);
  for (const k of ks) {
    const e = r.experts[k] as number[];
    const li = LANGS.indexOf(langOf(r.dataset));
    const z = e.map((v, c) => Math.log(Math.max(1e-9, v)) + (k === 0 && li >= 0 ? ((off[li] as number[])[c] as number) : 0));
    const m = Math.max(...z);
    const ex = z.map((v) => Math.exp(v - m));
    const s = ex.reduce((a, b) => a + b, 0);
    const g = hard ? 1 : (r.gate[k] as number);
    ex.forEach((v, c) => (p[c] = (p[c] as number) + (g * v) / s));
  }
  return SENTIMENTS[argmax(p)] as string;
}

const umsab = (d: string): boolean => d.startsWith('umsab-');
function report(sel: Row[], off: Offsets, hard = false): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of [...new Set(sel.map((r) => r.dataset))].sort()) {
    const rs = sel.filter((r) => r.dataset === d);
    const gold = rs.map((r) => r.gold);
    const pred = rs.map((r) => predict(r, off, hard));
    out[d] = umsab(d) ? macroF1(gold, pred, SENTIMENTS) : accuracy(gold, pred);
  }
  const u = Object.entries(out).filter(([d]) => umsab(d)).map(([, v]) => v);
  if (u.length) out['umsab-mean'] = u.reduce((a, b) => a + b, 0) / u.length;
  return out;
}

/** Objective: mean over the non-UMSAB datasets' accuracy (+ UMSAB mean macro-F1 when `withUmsab`). */
function objective(sel: Row[], off: Offsets, withUmsab: boolean): number {
  const r = report(withUmsab ? sel : sel.filter((x) => !umsab(x.dataset)), off);
  return Object.entries(r).filter(([d]) => !umsab(d) || (withUmsab && d === 'umsab-mean')).reduce((a, [, v]) => a + v, 0);
}

function tune(sel: Row[], experts2tune: number[], withUmsab: boolean): Offsets {
  const off = zero();
  let best = objective(sel, off, withUmsab);
  for (let round = 0; round < 3; round++) {
    for (const k of experts2tune) {
      for (const c of [0, 2]) {
        for (const step of [-0.6, -0.4, -0.2, -0.1, 0.1, 0.2, 0.4, 0.6]) {
          const trial = off.map((o) => [...o]);
          (trial[k] as number[])[c] = ((off[k] as number[])[c] as number) + step;
          const v = objective(sel, trial, withUmsab);
          if (v > best + 1e-9) { best = v; off.splice(0, off.length, ...trial); }
        }
      }
    }
  }
  return off;
}

const fmt = (r: Record<string, number>): string => Object.entries(r).map(([d, v]) => `${d} ${v.toFixed(3)}`).join(' ');
console.log(`experts: ${experts.join(', ')}`);
console.log(`soft      ${fmt(report(rows, zero()))}`);
console.log(`hard gate ${fmt(report(rows, zero(), true))}`);
const feedbackExperts = LANGS.map((_, i) => i);
const halves = [rows.filter((_, i) => i % 2 === 0), rows.filter((_, i) => i % 2 === 1)];
const crossFit = halves.flatMap((h, j) => {
  const off = tune(h, feedbackExperts, true);
  console.log(`offsets tuned on half ${j}: ${JSON.stringify(off.map((o) => o.map((v) => Math.round(v * 100) / 100)))}`);
  return (halves[1 - j] as Row[]).map((r) => ({ r, off }));
});
const byDataset = (pairs: { r: Row; off: Offsets }[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const d of [...new Set(pairs.map((p) => p.r.dataset))].sort()) {
    const ps = pairs.filter((p) => p.r.dataset === d);
    const gold = ps.map((p) => p.r.gold);
    const pred = ps.map((p) => predict(p.r, p.off));
    out[d] = umsab(d) ? macroF1(gold, pred, SENTIMENTS) : accuracy(gold, pred);
  }
  return out;
};
console.log(`offsets, cross-fitted: ${fmt(byDataset(crossFit))}`);
const all = tune(rows, feedbackExperts, true);
console.log(`offsets tuned on all: ${JSON.stringify(all.map((o) => o.map((v) => Math.round(v * 100) / 100)))} → ${fmt(report(rows, all))}`);
