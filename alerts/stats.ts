/**
 * The statistics behind the window rules: Poisson tail probabilities and hour-of-week baselines.
 * Plain numerics, no dependencies; accuracy is checked against known values in stats.spec.ts.
 */

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7): about 15 significant digits. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  const t = z + 7.5;
  for (let i = 0; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised lower incomplete gamma function P(a, x) (series below a + 1, continued fraction above). */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(lnPrefix));
  }
  // Lentz's continued fraction for Q(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(lnPrefix) * h);
}

/** P(X ≥ k) for X ~ Poisson(λ): how surprising it is to see k or more when λ were expected. */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // P(X ≥ k) = P(k, λ), the regularised lower incomplete gamma function.
  return regularizedGammaP(k, lambda);
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space (n is a window's petitions: thousands at most). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lnP = Math.log(p);
  const lnQ = Math.log1p(-p);
  const lnN = logGamma(n + 1);
  let sum = 0;
  for (let i = k; i <= n; i++) {
    const term = Math.exp(lnN - logGamma(i + 1) - logGamma(n - i + 1) + i * lnP + (n - i) * lnQ);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return Math.min(1, sum);
}

/** Hour of the week in a time zone: 0 = Monday 00:00–01:00 … 167 = Sunday 23:00. */
export function hourOfWeek(t: Date, parts: (t: Date) => { year: number; month: number; day: number; hour: number }) {
  const p = parts(t);
  const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
  return weekday * 24 + p.hour;
}

/**
 * A seasonal baseline learned from hourly counts: the mean count of each hour of the week, shrunk
 * towards the scope's overall hourly mean so that a few quiet weeks do not make an hour look empty.
 */
export class HourOfWeekBaseline {
  private readonly sums = new Float64Array(168);
  private total = 0;

  constructor(
    /** Whole weeks of history the sums cover. */
    private readonly weeks: number,
    /** Pseudo-weeks of the overall mean mixed into every hour. */
    private readonly shrink = 1,
  ) {}

  add(how: number, count: number): void {
    this.sums[how]! += count;
    this.total += count;
  }

  /** Expected count in hour-of-week `how`. */
  expected(how: number): number {
    const overall = this.total / (this.weeks * 168);
    return (this.sums[how]! + this.shrink * overall) / (this.weeks + this.shrink);
  }
}
