/**
 * The boundaries the code map promises, checked on every `npm run lint`:
 * - the scoring core (`collector/scoring/core/`) is pure: it imports only itself, `shared/` and a
 *   few pure packages, and reads no clock or randomness of its own (time is an argument);
 * - only `collector/storage/` knows which database driver is underneath.
 * Biome's `noRestrictedImports` matches import strings, not the files they resolve to, so a
 * relative `../` could not be told apart from a safe one; this resolves each import instead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Violation {
  file: string;
  line: number;
  message: string;
}

const CORE = 'collector/scoring/core';
const STORAGE = 'collector/storage';
/** Pure packages the core may use: validation and a static list of free-mail domains. */
const CORE_PACKAGES = new Set(['zod', 'free-email-domains-list']);
const DRIVERS = new Set(['better-sqlite3', 'pg', 'kysely/helpers/postgres', 'kysely/helpers/sqlite']);
/** A clock or randomness of its own would make the core's answer depend on when it runs. */
const IMPURE_CALLS: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'reads the clock (Date.now): take the time as an argument'],
  [/\bnew Date\(\s*\)/, 'reads the clock (new Date()): take the time as an argument'],
  [/\bperformance\.now\s*\(/, 'reads the clock (performance.now)'],
  [/\bMath\.random\s*\(/, 'uses Math.random: results must be deterministic'],
  [/\bprocess\./, 'reads the process (env, argv, time): pass what it needs as an argument'],
];
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

const posix = (path: string) => path.split(sep).join('/');
const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

function* sourceFiles(root: string, folder: string): Generator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(join(root, folder), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) yield* sourceFiles(root, path);
    else if (/\.(ts|tsx)$/.test(entry.name)) yield path;
  }
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Every boundary violation under `root` (a checkout of this repository). */
export function checkBoundaries(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of sourceFiles(root, 'collector')) {
    const text = readFileSync(join(root, file), 'utf8');
    const core = inside(file, CORE);
    const storage = inside(file, STORAGE);
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? match[3]!;
      const line = lineOf(text, match.index + match[0].indexOf(spec));
      if (spec.startsWith('.')) {
        const target = posix(relative(root, resolve(root, dirname(file), spec)));
        if (core && !inside(target, CORE) && !inside(target, 'shared'))
          violations.push({
            file,
            line,
            message: `the scoring core imports ${spec} (outside core/ and shared/)`,
          });
        if (!storage && inside(target, `${STORAGE}/dialects`))
          violations.push({ file, line, message: `${spec}: only storage/ may use a dialect` });
      } else {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (core && !CORE_PACKAGES.has(pkg))
          violations.push({ file, line, message: `the scoring core imports the package ${spec}` });
        if (!storage && (DRIVERS.has(spec) || DRIVERS.has(pkg)))
          violations.push({ file, line, message: `${spec}: only storage/ knows the database driver` });
      }
    }
    if (core) {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
      for (const [pattern, message] of IMPURE_CALLS) {
        const hit = pattern.exec(code);
        if (hit)
          violations.push({ file, line: lineOf(code, hit.index), message: `the scoring core ${message}` });
      }
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const violations = checkBoundaries(root);
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  if (violations.length > 0) {
    console.error(`${violations.length} boundary violation(s)`);
    process.exit(1);
  }
  console.log('boundaries: the scoring core is pure; only storage/ knows the database');
}
