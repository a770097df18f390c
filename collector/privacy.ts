/**
 * Erasure that stays erased: we keep a one-way hash of each erased anonymous id, email and user
 * id, so a later beacon carrying one is dropped without the person being stored again.
 *
 * The hashes are keyed: `k1:` + hex HMAC-SHA256(installation key, site \0 value), with a random
 * 32-byte key generated once per installation (erasure-key.ts). A plain SHA-256 of an email can
 * be reversed by hashing a list of candidate emails; without the key it cannot.
 *
 * Installations that erased people before keyed hashes existed hold plain SHA-256 rows. A hash
 * cannot be re-keyed (that would need the value it hides), so those rows stay as they are and
 * keep suppressing: while any exist, each identifier is also looked up by its plain hash.
 */
import { createHash, createHmac } from 'node:crypto';

export const KEYED_PREFIX = 'k1:';

const normalise = (value: string) => value.trim().toLowerCase();

/** The hash written before keyed hashes (and still matched while such rows exist). */
export const legacyErasureHash = (site: string, value: string): string =>
  createHash('sha256')
    .update(`${site}\u0000${normalise(value)}`)
    .digest('hex');

export interface ErasureHasher {
  /** The hash an erasure writes now. */
  keyed(site: string, value: string): string;
  /** Every hash that means this value is erased: the keyed one, and the legacy one if any exist. */
  all(site: string, value: string): string[];
}

export function createErasureHasher(key: Buffer, legacyRows: boolean): ErasureHasher {
  const keyed = (site: string, value: string) =>
    KEYED_PREFIX +
    createHmac('sha256', key)
      .update(`${site}\u0000${normalise(value)}`)
      .digest('hex');
  return {
    keyed,
    all: legacyRows
      ? (site, value) => [keyed(site, value), legacyErasureHash(site, value)]
      : (site, value) => [keyed(site, value)],
  };
}
