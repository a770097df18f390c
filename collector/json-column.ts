/**
 * JSON kept in TEXT columns (traits, props, breakdown, touches, event ids, webhook payloads), read
 * back one way everywhere. The rule: a missing, empty or damaged value reads as null — and a
 * contact's traits, which are always an object, as `{}` — never as an exception, so one damaged
 * row cannot turn every request that touches its contact into a 500, and the read side, scoring
 * and identify all see the same thing. The next identify writes the merged traits back whole,
 * which repairs the row. The first damaged value of each column is logged (once per column per
 * process, so a damaged table does not flood the log).
 */
import type { Props } from '../shared/events';

/** Columns already reported as damaged in this process. */
const reported = new Set<string>();

function reportDamage(column: string, text: string) {
  if (reported.has(column)) return;
  reported.add(column);
  console.warn(`leadtrail: damaged JSON in ${column} (read as empty): ${JSON.stringify(text.slice(0, 80))}`);
}

/** A JSON column's value; null when missing, empty or damaged. `column` names it in the log. */
export function readJson<T = unknown>(text: string | null | undefined, column: string): T | null {
  if (text === null || text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    reportDamage(column, text);
    return null;
  }
}

/** A column that holds a JSON object: anything else (an array, a number, damage) reads as null. */
export function readJsonObject(text: string | null | undefined, column: string): Props | null {
  const value = readJson(text, column);
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Props;
  if (value !== null) reportDamage(column, text!);
  return null;
}

/** `contacts.traits`: always an object, `{}` when damaged. */
export const readTraits = (text: string | null | undefined): Props =>
  readJsonObject(text, 'contacts.traits') ?? {};
