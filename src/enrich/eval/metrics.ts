/** Classification metrics used by `earshot eval` and the model card. */

/** Share of predictions equal to the gold label (= micro-F1 for single-label classification). */
export function accuracy(gold: readonly string[], predicted: readonly string[]): number {
  let ok = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) ok++;
  return gold.length ? ok / gold.length : 0;
}

/** Per-class F1 for `labels` (a class absent from both gold and predictions scores 0). */
export function f1PerClass(gold: readonly string[], predicted: readonly string[], labels: readonly string[]): number[] {
  return labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === label;
      const p = predicted[i] === label;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
}

/** Unweighted mean of the per-class F1 over `labels`. */
export function macroF1(gold: readonly string[], predicted: readonly string[], labels: readonly string[]): number {
  const f1 = f1PerClass(gold, predicted, labels);
  return f1.reduce((a, b) => a + b, 0) / Math.max(1, f1.length);
}

/** Assigns each item one of `k` folds, stratified by `key`, reproducibly from `random`. */
export function stratifiedFolds<T>(items: readonly T[], key: (item: T) => string, k: number, random: () => number): number[] {
  const byKey = new Map<string, number[]>();
  items.forEach((item, i) => {
    const list = byKey.get(key(item)) ?? [];
    list.push(i);
    byKey.set(key(item), list);
  });
  const folds = new Array<number>(items.length).fill(0);
  let next = 0;
  for (const k0 of [...byKey.keys()].sort()) {
    const list = byKey.get(k0) as number[];
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j] as number, list[i] as number];
    }
    for (const i of list) folds[i] = next++ % k;
  }
  return folds;
}
