/**
 * Offline combinations of the committed mixture (dump of experts-experiment.ts, experts [feedback, tweets])
 * with the models of nbsvm-experiment.ts / fasttext-experiment.ts dumps (same row order: CV rows fold by fold,
 * then UMSAB val). Scores each variant on the protocol's columns.
 *
 * Variants (`spec` strings, comma-separated on the command line):
 *   base                     committed mixture g·p_tweets + (1 − g)·p_feedback
 *   pair:A:B                 the same gate over models A (feedback) and B (tweets) of the dumps
 *   fold:M:β                 β·z_M added to both experts' logits before mixing (foldable into the experts: no cost)
 *   post:M:β                 softmax(log p_mix + β·z_M)
 *   avg:A:B:λ                (1 − λ)·p_mix + λ·(pair A:B mixture)
 *   avg1:M:λ                 (1 − λ)·p_mix + λ·softmax(z_M)
 *   xfit:<kind>:M[:B]        like the kind above with β/λ chosen per CV fold on the other folds' rows only
 *                            (mean accuracy of the three CV datasets) and, for UMSAB val, on all CV rows
 * Usage: node --import tsx scripts/nlp/ensemble-combine.ts base.json dump1.json[,dump2.json] 'spec,spec,…'
 */
import fs from 'node:fs';
import { SENTIMENTS } from '../../src/enrich/data/datasets.ts';
import { accuracy, macroF1 } from '../../src/enrich/eval/metrics.ts';
import { argmax } from '../../src/enrich/linear/model.ts';

interface BaseRow { dataset: string; gold: string; gate: number[]; experts: number[][] }
interface DumpRow { dataset: string; gold: string; z: number[][] }
const base = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as { experts: string[]; rows: BaseRow[] };
const dumps = (process.argv[3] ?? '').split(',').filter(Boolean).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { models: string[]; rows: DumpRow[] });
const n = base.rows.length;
const Z = new Map<string, number[][]>();
for (const d of dumps) {
  if (d.rows.length !== n) throw new Error('dump length differs');
  d.rows.forEach((r, i) => {
    const b = base.rows[i] as BaseRow;
    if (r.dataset !== b.dataset || r.gold !== b.gold) throw new Error(`row ${i} differs`);
  });
  d.models.forEach((m, k) => Z.set(m, d.rows.map((r) => r.z[k] as number[])));
}
const zOf = (m: string): number[][] => {
  const z = Z.get(m);
  if (!z) throw new Error(`no model ${m}`);
  return z;
};

// Fold of each CV row: experts-experiment.ts writes the CV rows fold by fold, each fold in dataset order.
const fold = new Array<number>(n).fill(-1);
{
  let f = 0;
  let prev = -1;
  const order = ['airline-en', 'airline-es', 'germeval'];
  base.rows.forEach((r, i) => {
    const o = order.indexOf(r.dataset);
    if (o < 0) return;
    if (o < prev) f++;
    prev = o;
    fold[i] = f;
  });
}

const sm = (z: ArrayLike<number>): number[] => {
  const m = Math.max(...Array.from(z));
  const e = Array.from(z, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const mix = (g: number, pf: number[], pt: number[]): number[] => pf.map((v, c) => (1 - g) * v + g * (pt[c] as number));
const pBase = (i: number): number[] => {
  const r = base.rows[i] as BaseRow;
  return mix(r.gate[1] as number, r.experts[0] as number[], r.experts[1] as number[]);
};

type Predictor = (i: number, t: number) => number[];
function predictor(kind: string, a: string, b?: string): Predictor {
  switch (kind) {
    case 'base': return (i) => pBase(i);
    case 'pair': { const za = zOf(a); const zb = zOf(b as string); return (i) => mix((base.rows[i] as BaseRow).gate[1] as number, sm(za[i] as number[]), sm(zb[i] as number[])); }
    case 'fold': {
      const zm = zOf(a);
      return (i, t) => {
        const r = base.rows[i] as BaseRow;
        const add = (p: number[]): number[] => sm(p.map((v, c) => Math.log(Math.max(v, 1e-12)) + t * ((zm[i] as number[])[c] as number)));
        return mix(r.gate[1] as number, add(r.experts[0] as number[]), add(r.experts[1] as number[]));
      };
    }
    case 'post': { const zm = zOf(a); return (i, t) => sm(pBase(i).map((v, c) => Math.log(Math.max(v, 1e-12)) + t * ((zm[i] as number[])[c] as number))); }
    case 'avg': { const pair = predictor('pair', a, b); return (i, t) => pBase(i).map((v, c) => (1 - t) * v + t * (pair(i, 0)[c] as number)); }
    case 'avg1': { const zm = zOf(a); return (i, t) => pBase(i).map((v, c) => (1 - t) * v + t * (sm(zm[i] as number[])[c] as number)); }
    default: throw new Error(`unknown kind ${kind}`);
  }
}

const umsab = (d: string): boolean => d.startsWith('umsab-');
function scores(pred: (i: number) => string, sel: (i: number) => boolean = () => true): Record<string, number> {
  const out: Record<string, number> = {};
  const ds = [...new Set(base.rows.map((r) => r.dataset))].sort();
  for (const d of ds) {
    const idx = base.rows.map((r, i) => (r.dataset === d && sel(i) ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) continue;
    const gold = idx.map((i) => (base.rows[i] as BaseRow).gold);
    const p = idx.map(pred);
    out[d] = umsab(d) ? macroF1(gold, p, SENTIMENTS) : accuracy(gold, p);
  }
  const u = Object.entries(out).filter(([d]) => umsab(d)).map(([, v]) => v);
  if (u.length) out.umsab = u.reduce((a, v) => a + v, 0) / u.length;
  return out;
}
const label = (p: number[]): string => SENTIMENTS[argmax(p)] as string;
const cvObjective = (s: Record<string, number>): number => ((s['airline-en'] ?? 0) + (s['airline-es'] ?? 0) + (s.germeval ?? 0)) / 3;

const GRID: Record<string, number[]> = {
  fold: [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2],
  post: [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2],
  avg: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1],
  avg1: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1],
};

function row(name: string, s: Record<string, number>, extra = ''): string {
  const f = (d: string): string => (s[d] ?? NaN).toFixed(3);
  return `| ${name} | ${f('umsab')} (${f('umsab-de')} / ${f('umsab-en')} / ${f('umsab-es')}) | ${f('airline-en')} | ${f('airline-es')} | ${f('germeval')} |${extra}`;
}

console.log('| variant | UMSAB mean (de / en / es) | airline-en | airline-es | GermEval |');
for (const spec of (process.argv[4] ?? 'base').split(',')) {
  const parts = spec.split(':');
  if (parts[0] === 'xfit') {
    const kind = parts[1] as string;
    const p = predictor(kind, parts[2] as string, kind === 'avg' ? parts[3] : undefined);
    const grid = GRID[kind] as number[];
    const best = (sel: (i: number) => boolean): number => {
      let bt = grid[0] as number;
      let bv = -1;
      for (const t of grid) {
        const v = cvObjective(scores((i) => label(p(i, t)), sel));
        if (v > bv + 1e-12) { bv = v; bt = t; }
      }
      return bt;
    };
    const tFold = [0, 1, 2, 3, 4].map((f) => best((i) => fold[i] !== f && (fold[i] as number) >= 0));
    const tAll = best((i) => (fold[i] as number) >= 0);
    const s = scores((i) => label(p(i, fold[i] as number >= 0 ? (tFold[fold[i] as number] as number) : tAll)));
    console.log(row(spec, s, ` per-fold ${tFold.join('/')}, UMSAB ${tAll}`));
  } else if (parts[0] === 'base' || parts[0] === 'pair') {
    const p = predictor(parts[0], parts[1] as string, parts[2]);
    console.log(row(spec, scores((i) => label(p(i, 0)))));
  } else {
    const kind = parts[0] as string;
    const p = predictor(kind, parts[1] as string, kind === 'avg' ? parts[2] : undefined);
    const t = Number(parts[parts.length - 1]);
    console.log(row(spec, scores((i) => label(p(i, t)))));
  }
}
