/**
 * Sorted, non-overlapping address ranges in typed arrays, searched by bisection: a few hundred
 * thousand ranges cost a few megabytes and a lookup is ~20 comparisons.
 */
export interface RangeTable<K extends number | bigint> {
  starts: K extends number ? Uint32Array : BigUint64Array;
  ends: K extends number ? Uint32Array : BigUint64Array;
  /** Per range: an index into the table's values (0 = no value). */
  values: Uint32Array;
}

/** The value index of the range holding `key`, or 0. */
export function findRange<K extends number | bigint>(table: RangeTable<K>, key: K): number {
  const { starts, ends } = table as unknown as { starts: ArrayLike<K>; ends: ArrayLike<K> };
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= key) lo = mid + 1;
    else hi = mid - 1;
  }
  // hi is the last range starting at or before key.
  return hi >= 0 && key <= ends[hi]! ? table.values[hi]! : 0;
}

/**
 * Reads `start,end,rest` lines (addresses as decimal numbers, the `-num.csv` files) into a table.
 * `value(rest)` maps the rest of the line to a value index. IPv6 ranges are keyed by their top
 * 64 bits, and ranges are merged where that makes them touch.
 */
export function parseRanges(
  text: string,
  v: 4 | 6,
  value: (rest: string) => number,
): RangeTable<number> | RangeTable<bigint> {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  if (!text.endsWith('\n')) count++;
  const starts = v === 4 ? new Uint32Array(count) : new BigUint64Array(count);
  const ends = v === 4 ? new Uint32Array(count) : new BigUint64Array(count);
  const values = new Uint32Array(count);
  let n = 0;
  let pos = 0;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = text.length;
    const c1 = text.indexOf(',', pos);
    const c2 = text.indexOf(',', c1 + 1);
    if (c1 !== -1 && c2 !== -1 && c2 < eol) {
      const rest = text.slice(c2 + 1, eol).trim();
      if (v === 4) {
        (starts as Uint32Array)[n] = Number(text.slice(pos, c1));
        (ends as Uint32Array)[n] = Number(text.slice(c1 + 1, c2));
      } else {
        (starts as BigUint64Array)[n] = BigInt(text.slice(pos, c1)) >> 64n;
        (ends as BigUint64Array)[n] = BigInt(text.slice(c1 + 1, c2)) >> 64n;
      }
      values[n] = value(rest);
      // Keyed by the top 64 bits, two ranges of a /64 collapse into one: the first one stays.
      if (n === 0 || starts[n]! > ends[n - 1]!) n++;
    }
    pos = eol + 1;
  }
  return {
    starts: starts.slice(0, n),
    ends: ends.slice(0, n),
    values: values.slice(0, n),
  } as RangeTable<number> | RangeTable<bigint>;
}
