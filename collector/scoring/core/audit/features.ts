/**
 * Candidate rules the ruleset does not have yet, read off the events themselves: a `track`
 * event's name (`event:trial_started`) and a page path's first one or two segments
 * (`path:/docs`, `path:/docs/security`). Each becomes a feature "seen before the cutoff".
 */
import type { CompiledRuleset } from '../compile';
import type { ScoringEvent } from '../events';

/** Paths are bounded before they are split: a 10 KB URL costs the same as a 200-byte one. */
const MAX_PATH = 200;

export type CandidateKind = 'event' | 'path';

export function candidateKeys(event: ScoringEvent): string[] {
  if (event.type === 'track' && event.name) return [`event:${event.name.slice(0, 200)}`];
  if (event.type !== 'page' || !event.path) return [];
  const segments = event.path.slice(0, MAX_PATH).toLowerCase().split('?')[0]!.split('/').filter(Boolean);
  if (segments.length === 0) return [];
  const first = `path:/${segments[0]}`;
  return segments.length > 1 ? [first, `${first}/${segments[1]}`] : [first];
}

/** The rule a candidate would become, in the ruleset's own format. */
export function candidateMatch(
  key: string,
): { type: 'track'; name: string } | { type: 'page'; path: string[] } {
  if (key.startsWith('event:')) return { type: 'track', name: key.slice('event:'.length) };
  const prefix = key.slice('path:'.length);
  return { type: 'page', path: [prefix, `${prefix}/*`] };
}

/** True when an existing rule already looks at this event name or path prefix. */
export function coveredByRules(compiled: CompiledRuleset, key: string): boolean {
  const probe: ScoringEvent = key.startsWith('event:')
    ? {
        id: '',
        type: 'track',
        name: key.slice(6),
        ts: 0,
        session: null,
        path: null,
        props: null,
        traits: null,
        user: null,
        bot: false,
      }
    : {
        id: '',
        type: 'page',
        name: null,
        ts: 0,
        session: null,
        path: key.slice(5),
        props: null,
        traits: null,
        user: null,
        bot: false,
      };
  const visit = { sessionStart: true, returnVisit: true };
  return compiled.engagement.some((rule) => {
    const m = rule.rule.match;
    // Only name and path rules "cover" a candidate; a rule on props alone does not.
    if (m.name === undefined && m.path === undefined) return false;
    return (
      rule.matches(probe, visit) ||
      (probe.path !== null && rule.matches({ ...probe, path: `${probe.path}/` }, visit))
    );
  });
}
