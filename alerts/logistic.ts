/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), and the ROC AUC to judge it.
 * Small and exact: the risk model has ten parameters and at most tens of thousands of examples.
 */

export interface Example {
  x: readonly number[];
  y: 0 | 1;
}

export interface Fitted {
  intercept: number;
  weights: number[];
  iterations: number;
}

/** Solves A·x = b in place by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = col + 1; r < n; r++) {
      const f = a[r]![col]! / p;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r]![c]! -= f * a[col]![c]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let c = r + 1; c < n; c++) s -= a[r]![c]! * x[c]!;
    const p = a[r]![r]!;
    x[r] = Math.abs(p) < 1e-12 ? 0 : s / p;
  }
  return x;
}

/**
 * Fits P(y = 1 | x) = σ(b + w·x). `lambda` penalises the weights (not the intercept), which keeps the
 * fit finite when a factor separates the classes perfectly, as small histories often do.
 */
export function fitLogistic(examples: readonly Example[], lambda = 1, maxIterations = 50): Fitted {
  const first = examples[0];
  if (!first) throw new Error('fitLogistic: no examples');
  const d = first.x.length + 1;
  let beta = new Array<number>(d).fill(0);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const { x, y } of examples) {
      let z = beta[0]!;
      for (let j = 1; j < d; j++) z += beta[j]! * x[j - 1]!;
      const p = 1 / (1 + Math.exp(-z));
      const w = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < d; j++) {
        const xj = j === 0 ? 1 : x[j - 1]!;
        grad[j]! += (y - p) * xj;
        for (let k = j; k < d; k++) hess[j]![k]! += w * xj * (k === 0 ? 1 : x[k - 1]!);
      }
    }
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) hess[j]![k] = hess[k]![j]!;
      if (j > 0) {
        grad[j]! -= lambda * beta[j]!;
        hess[j]![j]! += lambda;
      }
    }
    const step = solve(hess, grad);
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { intercept: beta[0]!, weights: beta.slice(1), iterations };
}

export function predict(model: Fitted, x: readonly number[]): number {
  let z = model.intercept;
  for (let j = 0; j < model.weights.length; j++) z += model.weights[j]! * x[j]!;
  return 1 / (1 + Math.exp(-z));
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative
 * (ties count half), by the rank-sum formula. NaN when either class is missing.
 */
export function rocAuc(scored: readonly { score: number; y: 0 | 1 }[]): number {
  const sorted = [...scored].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]!.y === 1) {
        rankSum += midRank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** A deterministic split: every `1/holdOut`-th example by a stable hash of its key goes to the test side. */
export function splitByKey<T>(items: readonly T[], key: (t: T) => string, testShare = 0.3): { train: T[]; test: T[] } {
  const train: T[] = [];
  const test: T[] = [];
  for (const item of items) {
    let h = 0x811c9dc5;
    const k = key(item);
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
    ((h >>> 0) / 2 ** 32 < testShare ? test : train).push(item);
  }
  return { train, test };
}
