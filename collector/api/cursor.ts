/**
 * Opaque keyset cursors: base64url of (what it sorts by, the last row's sort value, its id).
 * Keyset rather than offset so a page costs the same deep in the feed, and rows inserted while a
 * client pages never shift later pages (no repeats, no gaps among rows that did not change).
 */
import { badField } from '../errors';

export interface Cursor<V extends string | number = number> {
  /** The sort (and direction) the cursor was made for; a cursor from another sort is refused. */
  sort: string;
  value: V;
  id: string;
}

export function encodeCursor(cursor: Cursor<string | number>): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined, sort: string, param = 'cursor'): Cursor | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badField(param, 'is not a cursor from this API');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'number' ||
    !Number.isFinite(parsed[1]) ||
    typeof parsed[2] !== 'string'
  ) {
    throw badField(param, 'is not a cursor from this API');
  }
  if (parsed[0] !== sort) throw badField(param, `was made for sort ${parsed[0]}, not ${sort}`);
  return { sort, value: parsed[1], id: parsed[2] };
}
