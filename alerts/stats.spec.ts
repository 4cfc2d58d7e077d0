import { describe, expect, it } from 'vitest';
import { binomialUpperTail, logGamma, poissonUpperTail, regularizedGammaP } from './stats.ts';
import { fitLogistic, predict, rocAuc, splitByKey } from './logistic.ts';

/** P(X ≥ k) summed term by term: the definition, for small k. */
function tailBySum(k: number, lambda: number): number {
  let term = Math.exp(-lambda);
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= lambda / (i + 1);
  }
  return 1 - below;
}

describe('Poisson tail', () => {
  it('matches the definition across small and large counts', () => {
    for (const [k, lambda] of [
      [1, 1],
      [3, 0.5],
      [10, 2],
      [14, 2],
      [30, 12],
      [5, 9],
    ] as const) {
      expect(poissonUpperTail(k, lambda)).toBeCloseTo(tailBySum(k, lambda), 12);
    }
    expect(poissonUpperTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 14);
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(4, 0)).toBe(0);
  });

  it('stays finite and ordered far in the tail', () => {
    const p = poissonUpperTail(200, 20);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-80);
    expect(poissonUpperTail(201, 20)).toBeLessThan(p);
  });

  it('has a binomial tail that matches the definition', () => {
    const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
    const bySum = (k: number, n: number, p: number) => {
      let s = 0;
      for (let i = k; i <= n; i++) s += choose(n, i) * p ** i * (1 - p) ** (n - i);
      return s;
    };
    for (const [k, n, p] of [
      [14, 15, 0.7],
      [18, 20, 0.5],
      [3, 10, 0.1],
      [10, 10, 0.9],
    ] as const) {
      expect(binomialUpperTail(k, n, p)).toBeCloseTo(bySum(k, n, p), 12);
    }
    expect(binomialUpperTail(0, 5, 0.3)).toBe(1);
    expect(binomialUpperTail(6, 5, 0.3)).toBe(0);
  });

  it('has a correct log-gamma and incomplete gamma', () => {
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
    expect(regularizedGammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
  });
});

describe('logistic regression and AUC', () => {
  it('recovers a known relationship and ranks by it', () => {
    // y = 1 with probability σ(-1 + 2·x0 − 1·x1), on a fixed grid: the fit should find those signs.
    const examples = [];
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 4000; i++) {
      const x = [rand() * 3, rand() * 3];
      const p = 1 / (1 + Math.exp(-(-1 + 2 * x[0]! - x[1]!)));
      examples.push({ x, y: (rand() < p ? 1 : 0) as 0 | 1 });
    }
    const fit = fitLogistic(examples, 0.01);
    expect(fit.weights[0]).toBeCloseTo(2, 0);
    expect(fit.weights[1]).toBeCloseTo(-1, 0);
    expect(fit.intercept).toBeCloseTo(-1, 0);
    const auc = rocAuc(examples.map((e) => ({ score: predict(fit, e.x), y: e.y })));
    expect(auc).toBeGreaterThan(0.8);
  });

  it('computes AUC exactly, ties counting half', () => {
    expect(
      rocAuc([
        { score: 0.9, y: 1 },
        { score: 0.1, y: 0 },
      ]),
    ).toBe(1);
    expect(
      rocAuc([
        { score: 0.1, y: 1 },
        { score: 0.9, y: 0 },
      ]),
    ).toBe(0);
    expect(
      rocAuc([
        { score: 0.5, y: 1 },
        { score: 0.5, y: 0 },
      ]),
    ).toBe(0.5);
    expect(
      rocAuc([
        { score: 0.8, y: 1 },
        { score: 0.6, y: 0 },
        { score: 0.4, y: 1 },
        { score: 0.2, y: 0 },
      ]),
    ).toBe(0.75);
    expect(rocAuc([{ score: 1, y: 1 }])).toBeNaN();
  });

  it('splits deterministically by key', () => {
    const items = Array.from({ length: 1000 }, (_, i) => `alert-${i}`);
    const a = splitByKey(items, (x) => x);
    expect(splitByKey(items, (x) => x)).toEqual(a);
    expect(a.test.length).toBeGreaterThan(230);
    expect(a.test.length).toBeLessThan(370);
  });
});
