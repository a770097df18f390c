/**
 * L2-regularised logistic regression for a few binary features, by Newton's method. Examples
 * with the same feature pattern are folded into one weighted row first (with a few dozen rules
 * there are far fewer patterns than examples), so each iteration costs patterns × features².
 * The intercept is not penalised. Standard errors come from the inverse of the penalised Hessian
 * at the optimum.
 */

export interface LogisticFit {
  intercept: number;
  coefficients: Float64Array;
  /** Standard errors of the coefficients (not the intercept). */
  se: Float64Array;
  iterations: number;
  converged: boolean;
}

interface Patterns {
  rows: Uint8Array[];
  weight: number[];
  positives: number[];
}

function foldPatterns(features: Uint8Array, positive: Uint8Array, d: number): Patterns {
  const index = new Map<string, number>();
  const out: Patterns = { rows: [], weight: [], positives: [] };
  for (let i = 0; i < positive.length; i++) {
    const row = features.subarray(i * d, (i + 1) * d);
    const key = row.join('');
    let k = index.get(key);
    if (k === undefined) {
      k = out.rows.length;
      index.set(key, k);
      out.rows.push(Uint8Array.from(row));
      out.weight.push(0);
      out.positives.push(0);
    }
    out.weight[k]! += 1;
    out.positives[k]! += positive[i]!;
  }
  return out;
}

/** Solves A x = b for a symmetric positive definite A (Cholesky), A given row-major m×m. */
export function solveSpd(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * m + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * m + k]! * l[j * m + k]!;
      if (i === j) l[i * m + i] = Math.sqrt(Math.max(sum, 1e-12));
      else l[i * m + j] = sum / l[j * m + j]!;
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * m + k]! * y[k]!;
    y[i] = sum / l[i * m + i]!;
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < m; k++) sum -= l[k * m + i]! * x[k]!;
    x[i] = sum / l[i * m + i]!;
  }
  return x;
}

export function fitLogistic(
  features: Uint8Array,
  positive: Uint8Array,
  d: number,
  lambda = 1,
  maxIterations = 50,
): LogisticFit {
  const p = foldPatterns(features, positive, d);
  const m = d + 1; // parameter 0 is the intercept
  const beta = new Float64Array(m);
  const hessian = new Float64Array(m * m);
  const gradient = new Float64Array(m);
  let iterations = 0;
  let converged = false;
  const x = new Float64Array(m);
  const build = () => {
    hessian.fill(0);
    gradient.fill(0);
    for (let k = 0; k < p.rows.length; k++) {
      const row = p.rows[k]!;
      x[0] = 1;
      for (let j = 0; j < d; j++) x[j + 1] = row[j]!;
      let eta = 0;
      for (let j = 0; j < m; j++) eta += x[j]! * beta[j]!;
      const prob = 1 / (1 + Math.exp(-eta));
      const w = p.weight[k]!;
      const residual = p.positives[k]! - w * prob;
      const curvature = w * prob * (1 - prob);
      for (let i = 0; i < m; i++) {
        if (x[i] === 0) continue;
        gradient[i]! += residual * x[i]!;
        for (let j = 0; j < m; j++) if (x[j] !== 0) hessian[i * m + j]! += curvature * x[i]! * x[j]!;
      }
    }
    for (let j = 1; j < m; j++) {
      gradient[j]! -= lambda * beta[j]!;
      hessian[j * m + j]! += lambda;
    }
    hessian[0]! += 1e-9;
  };
  while (iterations < maxIterations) {
    iterations += 1;
    build();
    const step = solveSpd(hessian, gradient, m);
    let largest = 0;
    for (let j = 0; j < m; j++) {
      beta[j]! += step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (largest < 1e-8) {
      converged = true;
      break;
    }
  }
  build();
  const se = new Float64Array(d);
  for (let j = 1; j < m; j++) {
    const unit = new Float64Array(m);
    unit[j] = 1;
    se[j - 1] = Math.sqrt(Math.max(0, solveSpd(hessian, unit, m)[j]!));
  }
  return { intercept: beta[0]!, coefficients: beta.subarray(1), se, iterations, converged };
}
