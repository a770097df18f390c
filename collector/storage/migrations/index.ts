/**
 * Every migration, in order. Listed in code rather than read from a folder so that the bundle,
 * tsx and tests all see the same set. New files are added here as `NNNN-name`.
 */
import type { Migration } from 'kysely';
import * as initial from './0001-initial';

export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-scoring': await import('./0002-scoring'),
  '0003-read-indexes': await import('./0003-read-indexes'),
  '0004-lead-indexes': await import('./0004-lead-indexes'),
  '0006-rulesets': await import('./0006-rulesets'),
  '0005-outcomes': await import('./0005-outcomes'),
  '0007-handoff': await import('./0007-handoff'),
  '0009-geo': await import('./0009-geo'),
  '0010-spend': await import('./0010-spend'),
  '0012-revoked-sessions': await import('./0012-revoked-sessions'),
};
