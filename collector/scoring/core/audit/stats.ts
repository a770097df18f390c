/**
 * The statistics the audit reports, each small enough to check by hand:
 *  - AUC as the Mann–Whitney statistic (ties count one half), from midranks in O(n log n);
 *  - its 95 % interval by Hanley & McNeil (1982), from the AUC and the two class sizes;
 *  - PR-AUC as average precision (precision at each distinct score, weighted by the recall it adds);
 *  - a ratio of two proportions with the 95 % interval of its logarithm (Katz 1978), with
 *    Haldane's ½ added to every cell when a count is zero.
 */

export const Z95 = 1.959963984540054;

export interface Scored {
  score: number;
  positive: boolean;
}

/** Sorted by score descending (ties by index); returns indexes, so callers can keep parallel arrays. */
export function descendingOrder(scores: ArrayLike<number>): Uint32Array {
  // A counting sort over the distinct scores (few: scores are in tenths of a point), placing
  // indexes in increasing order within each score, so ties stay in index order.
  const n = scores.length;
  const ascending = Float64Array.from(scores).sort();
  const bucketOf = new Map<number, number>();
  const starts: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const v = ascending[i]!;
    if (!bucketOf.has(v)) {
      bucketOf.set(v, starts.length);
      starts.push(0);
    }
    starts[bucketOf.get(v)!]! += 1;
  }
  let offset = 0;
  for (let b = 0; b < starts.length; b++) {
    const count = starts[b]!;
    starts[b] = offset;
    offset += count;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[starts[bucketOf.get(scores[i]!)!]!++] = i;
  return order;
}

/**
 * P(score of a random positive > score of a random negative) + ½ P(equal): the Mann–Whitney U
 * over n₁·n₀, computed from the positives' midranks. null without both classes.
 */
export function auc(
  scores: ArrayLike<number>,
  positive: ArrayLike<number | boolean>,
  order: Uint32Array = descendingOrder(scores),
): number | null {
  let positives = 0;
  for (let i = 0; i < scores.length; i++) if (positive[i]) positives += 1;
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return null;
  // Walk from the top; for each group of equal scores, every positive beats the negatives below
  // the group and ties half of those in it.
  let negativesAbove = 0;
  let wins = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    let groupPositives = 0;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) {
      if (positive[order[end]!]) groupPositives += 1;
      end += 1;
    }
    const groupNegatives = end - start - groupPositives;
    const negativesBelow = negatives - negativesAbove - groupNegatives;
    wins += groupPositives * (negativesBelow + groupNegatives / 2);
    negativesAbove += groupNegatives;
    start = end;
  }
  return wins / (positives * negatives);
}

/** Hanley & McNeil (1982) standard error of an AUC from n₁ positives and n₀ negatives. */
export function hanleyMcNeilSe(area: number, positives: number, negatives: number): number {
  const q1 = area / (2 - area);
  const q2 = (2 * area * area) / (1 + area);
  const a2 = area * area;
  const variance =
    (area * (1 - area) + (positives - 1) * (q1 - a2) + (negatives - 1) * (q2 - a2)) / (positives * negatives);
  return Math.sqrt(Math.max(0, variance));
}

export function aucInterval(area: number, positives: number, negatives: number): [number, number] {
  const se = hanleyMcNeilSe(area, positives, negatives);
  return [Math.max(0, area - Z95 * se), Math.min(1, area + Z95 * se)];
}

/**
 * Average precision: Σ over distinct scores (highest first) of precision at that score × the
 * recall it adds. Tied scores are one step, so the answer does not depend on the order of ties.
 */
export function averagePrecision(
  scores: ArrayLike<number>,
  positive: ArrayLike<number | boolean>,
  order: Uint32Array = descendingOrder(scores),
): number | null {
  let positives = 0;
  for (let i = 0; i < scores.length; i++) if (positive[i]) positives += 1;
  if (positives === 0) return null;
  let taken = 0;
  let hits = 0;
  let sum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    let groupHits = 0;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) {
      if (positive[order[end]!]) groupHits += 1;
      end += 1;
    }
    taken += end - start;
    hits += groupHits;
    sum += (hits / taken) * (groupHits / positives);
    start = end;
  }
  return sum;
}

export interface RatioOfProportions {
  ratio: number;
  ci: [number, number];
}

/**
 * (a/n₁) ÷ (c/n₀) with the 95 % interval exp(ln r ± z·√(1/a − 1/n₁ + 1/c − 1/n₀)). null when a
 * group is empty. A zero count gets ½ added to every cell (Haldane), so the interval stays finite.
 */
export function ratioOfProportions(a: number, n1: number, c: number, n0: number): RatioOfProportions | null {
  if (n1 === 0 || n0 === 0) return null;
  const zero = a === 0 || c === 0 || a === n1 || c === n0;
  const [x, m, y, k] = zero ? [a + 0.5, n1 + 1, c + 0.5, n0 + 1] : [a, n1, c, n0];
  const ratio = x / m / (y / k);
  const se = Math.sqrt(1 / x - 1 / m + 1 / y - 1 / k);
  return { ratio, ci: [ratio * Math.exp(-Z95 * se), ratio * Math.exp(Z95 * se)] };
}

/** Fixed decimals for the report, so equal inputs print equal JSON. */
export const round = (value: number, places = 4): number => {
  const f = 10 ** places;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
};

/**
 * Sums over contacts (clusters) for one feature: per contact, n₁/y₁ are its examples and
 * positives where the feature had fired, n₀/y₀ where it had not. A contact contributes an example
 * at many cutoffs, and those are not independent draws.
 */
export interface ClusterSums {
  clusters: number;
  n1: number;
  y1: number;
  n0: number;
  y0: number;
  y1y1: number;
  y1n1: number;
  n1n1: number;
  y0y0: number;
  y0n0: number;
  n0n0: number;
  y1y0: number;
  y1n0: number;
  n1y0: number;
  n1n0: number;
}

/**
 * The ratio of proportions with a cluster-robust interval: each rate is a ratio estimator over
 * contacts, its variance by linearisation (Σ(yᵢ − p·nᵢ)² / N² · m/(m−1)), the covariance of the
 * two rates likewise, and var(ln r) by the delta method. The interval is never narrower than
 * the Katz interval that treats examples as independent.
 */
export function clusteredRatio(s: ClusterSums): RatioOfProportions | null {
  const katz = ratioOfProportions(s.y1, s.n1, s.y0, s.n0);
  if (!katz || s.y1 === 0 || s.y0 === 0 || s.clusters < 2) return katz;
  const p1 = s.y1 / s.n1;
  const p0 = s.y0 / s.n0;
  const k = s.clusters / (s.clusters - 1);
  const v1 = ((s.y1y1 - 2 * p1 * s.y1n1 + p1 * p1 * s.n1n1) / (s.n1 * s.n1)) * k;
  const v0 = ((s.y0y0 - 2 * p0 * s.y0n0 + p0 * p0 * s.n0n0) / (s.n0 * s.n0)) * k;
  const c = ((s.y1y0 - p0 * s.y1n0 - p1 * s.n1y0 + p1 * p0 * s.n1n0) / (s.n1 * s.n0)) * k;
  const robust = v1 / (p1 * p1) + v0 / (p0 * p0) - (2 * c) / (p1 * p0);
  const katzSe = Math.log(katz.ci[1] / katz.ratio) / Z95;
  const se = Math.max(Math.sqrt(Math.max(0, robust)), katzSe);
  const ratio = p1 / p0;
  return { ratio, ci: [ratio * Math.exp(-Z95 * se), ratio * Math.exp(Z95 * se)] };
}
