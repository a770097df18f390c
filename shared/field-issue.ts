/**
 * A zod validation failure → the one field to name in a 400 or a config error, and what is wrong
 * with it. Every parser (event batches, Segment messages, query strings, request bodies, the config
 * file, rulesets) reports through this, so a field is named the same way everywhere: its dotted
 * path (`events.3.url`), after the caller's prefix (`scoring`, `batch.3`).
 */
import type { z } from 'zod';

export interface FieldIssue {
  /** Dotted path of the offending field; `root` when the input as a whole is wrong. */
  field: string;
  message: string;
  /** An unknown key (the field then names the object holding it, or the key with `nameUnknownKey`). */
  unknownKey: boolean;
  /** The issue's own path, without the prefix (rulesets use it to find the rule). */
  path: readonly PropertyKey[];
}

export interface FieldIssueOptions {
  /** The field named when the issue has no path (`(body)`, `batch`, `query`). */
  root: string;
  /** Written before the issue's path: `scoring` gives `scoring.engagement.0.points`. */
  prefix?: string;
  /**
   * Report an unknown key before any other issue: a typo (`pionts`) also shows up as a missing
   * field, and the unknown key is the one that says what to fix.
   */
  unknownKeysFirst?: boolean;
  /** Name the unknown key itself rather than the object holding it (flat query strings). */
  nameUnknownKey?: boolean;
}

export function fieldIssue(error: z.ZodError, options: FieldIssueOptions): FieldIssue {
  const issues = error.issues;
  const issue = (options.unknownKeysFirst && issues.find((i) => i.code === 'unrecognized_keys')) || issues[0];
  const unknownKey = issue?.code === 'unrecognized_keys';
  const path: PropertyKey[] = [...(issue?.path ?? [])];
  const named = unknownKey && options.nameUnknownKey ? [...path, ...issue.keys.slice(0, 1)] : path;
  const field = [options.prefix, ...named.map(String)].filter(Boolean).join('.') || options.root;
  return { field, message: issue?.message ?? 'invalid', unknownKey, path };
}
