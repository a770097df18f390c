/**
 * Erasure that stays erased: we keep a one-way hash of each erased anonymous id, email and user
 * id, so a later beacon carrying one is dropped without the person being stored again.
 */
import { createHash } from 'node:crypto';

export const erasureHash = (site: string, value: string): string =>
  createHash('sha256').update(`${site}\u0000${value.trim().toLowerCase()}`).digest('hex');
