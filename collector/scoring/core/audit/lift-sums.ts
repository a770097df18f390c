/**
 * Per-feature sums for lift and its cluster-robust interval (stats.ts clusteredRatio), gathered
 * one contact at a time: during a contact, each example counts toward the features it had; when
 * the contact ends, its counts are folded into the feature's sums. A feature the contact never
 * had contributes only to the not-fired side, which the contact totals already hold, so the work
 * per contact is proportional to the features it touched.
 */
import type { ClusterSums } from './stats';

const FIELDS = 12; // n1 y1 y1y1 y1n1 n1n1 | Δy0y0 Δy0n0 Δn0n0 | y1y0 y1n0 n1y0 n1n0

export class LiftSums {
  private sums = new Float64Array(64 * FIELDS);
  private contactN = new Float64Array(64);
  private contactY = new Float64Array(64);
  private touched: number[] = [];
  private features = 0;
  private examplesOfContact = 0;
  private positivesOfContact = 0;
  private clusters = 0;
  private total = { n: 0, y: 0, yy: 0, yn: 0, nn: 0 };

  private ensure(feature: number) {
    if (feature < this.features) return;
    this.features = feature + 1;
    if (this.features <= this.contactN.length) return;
    const size = Math.max(this.features, this.contactN.length * 2);
    const grow = (a: Float64Array, n: number) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.sums = grow(this.sums, size * FIELDS);
    this.contactN = grow(this.contactN, size);
    this.contactY = grow(this.contactY, size);
  }

  example(positive: boolean) {
    this.examplesOfContact += 1;
    if (positive) this.positivesOfContact += 1;
  }

  fired(feature: number, positive: boolean) {
    this.ensure(feature);
    if (this.contactN[feature] === 0) this.touched.push(feature);
    this.contactN[feature]! += 1;
    if (positive) this.contactY[feature]! += 1;
  }

  endContact() {
    const nT = this.examplesOfContact;
    const yT = this.positivesOfContact;
    if (nT > 0) {
      this.clusters += 1;
      const t = this.total;
      t.n += nT;
      t.y += yT;
      t.yy += yT * yT;
      t.yn += yT * nT;
      t.nn += nT * nT;
    }
    for (const f of this.touched) {
      const n1 = this.contactN[f]!;
      const y1 = this.contactY[f]!;
      const n0 = nT - n1;
      const y0 = yT - y1;
      const s = this.sums;
      const o = f * FIELDS;
      s[o]! += n1;
      s[o + 1]! += y1;
      s[o + 2]! += y1 * y1;
      s[o + 3]! += y1 * n1;
      s[o + 4]! += n1 * n1;
      s[o + 5]! += yT * yT - y0 * y0;
      s[o + 6]! += yT * nT - y0 * n0;
      s[o + 7]! += nT * nT - n0 * n0;
      s[o + 8]! += y1 * y0;
      s[o + 9]! += y1 * n0;
      s[o + 10]! += n1 * y0;
      s[o + 11]! += n1 * n0;
      this.contactN[f] = 0;
      this.contactY[f] = 0;
    }
    this.touched.length = 0;
    this.examplesOfContact = 0;
    this.positivesOfContact = 0;
  }

  of(feature: number): ClusterSums {
    const s =
      feature < this.features
        ? this.sums.subarray(feature * FIELDS, (feature + 1) * FIELDS)
        : new Float64Array(FIELDS);
    const t = this.total;
    return {
      clusters: this.clusters,
      n1: s[0]!,
      y1: s[1]!,
      n0: t.n - s[0]!,
      y0: t.y - s[1]!,
      y1y1: s[2]!,
      y1n1: s[3]!,
      n1n1: s[4]!,
      y0y0: t.yy - s[5]!,
      y0n0: t.yn - s[6]!,
      n0n0: t.nn - s[7]!,
      y1y0: s[8]!,
      y1n0: s[9]!,
      n1y0: s[10]!,
      n1n0: s[11]!,
    };
  }
}
