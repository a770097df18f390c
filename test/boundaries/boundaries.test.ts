/**
 * The boundary check that `npm run lint` runs: it must fail on a core file that reaches into
 * storage, a driver, or a clock, and pass on this repository as it is.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries } from './check';

const ROOT = resolve(import.meta.dirname, '..', '..');
let tree: string | undefined;

function makeTree(files: Record<string, string>): string {
  tree = mkdtempSync(join(tmpdir(), 'lt-boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(tree, dirname(path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  return tree;
}

afterEach(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
  tree = undefined;
});

describe('boundary check', () => {
  it('passes on this repository', () => {
    expect(checkBoundaries(ROOT)).toEqual([]);
  });

  it('fails a core file that imports storage, kysely or node built-ins', () => {
    const root = makeTree({
      'collector/scoring/core/bad.ts': [
        "import type { Database } from '../../storage/schema';",
        "import { sql } from 'kysely';",
        "import { readFileSync } from 'node:fs';",
        "export const x = await import('../apply');",
      ].join('\n'),
    });
    const messages = checkBoundaries(root).map((v) => `${v.line}: ${v.message}`);
    expect(messages).toEqual([
      '1: the scoring core imports ../../storage/schema (outside core/ and shared/)',
      '2: the scoring core imports the package kysely',
      '3: the scoring core imports the package node:fs',
      '4: the scoring core imports ../apply (outside core/ and shared/)',
    ]);
  });

  it('fails a core file with a clock or randomness of its own, but not one in a comment', () => {
    const root = makeTree({
      'collector/scoring/core/clock.ts': [
        '// Date.now() is never called here',
        'export const now = () => Date.now();',
        'export const pick = () => Math.random();',
      ].join('\n'),
    });
    expect(checkBoundaries(root).map((v) => v.line)).toEqual([2, 3]);
  });

  it('lets the core import itself, shared/ and pure packages', () => {
    const root = makeTree({
      'collector/scoring/core/audit/auc.ts': "import { byTime } from '../events';\nimport { z } from 'zod';",
      'collector/scoring/core/events.ts': "import type { Props } from '../../../shared/events';",
    });
    expect(checkBoundaries(root)).toEqual([]);
  });

  it('keeps database drivers and dialect files inside storage/', () => {
    const root = makeTree({
      'collector/ingest/x.ts': "import pg from 'pg';\nimport { a } from '../storage/dialects/sqlite';",
      'collector/storage/database.ts':
        "import Database from 'better-sqlite3';\nimport { a } from './dialects/sqlite';",
    });
    expect(checkBoundaries(root).map((v) => `${v.file}:${v.line}`)).toEqual([
      'collector/ingest/x.ts:1',
      'collector/ingest/x.ts:2',
    ]);
  });
});
