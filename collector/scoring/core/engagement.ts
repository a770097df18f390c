/**
 * One engagement rule over a contact's events in time order: which events match, which of them
 * fire (frequency window), how many points each may still award (caps), and what those points
 * are worth at `now` (decay). Caps count raw points; decay applies after.
 */
import type { CompiledEngagementRule } from './compile';
import type { ScoringEvent } from './events';
import { DAY_MS, dayOf, type Visit } from './visits';

export interface Award {
  event: ScoringEvent;
  /** Raw points after caps (negative for penalties). */
  points: number;
  /** Points as worth at `now`. */
  decayed: number;
}

export interface RuleOutcome {
  awards: Award[];
  /** Events that matched and fired but found the cap used up. */
  capped: string[];
}

type Frequency = NonNullable<CompiledEngagementRule['rule']['frequency']>;

/**
 * "The `count`-th occurrence within `within_days`": occurrences since the last firing are kept
 * while inside the window; reaching `count` fires and starts a fresh count, so a steady visitor
 * earns the bonus once per streak rather than on every later visit.
 */
function frequencyGate(frequency: Frequency) {
  const windowMs = frequency.within_days * DAY_MS;
  // Occurrences since the last firing, oldest first (events come in time order).
  const pending: { key: string; ts: number }[] = [];
  let consumed: string | null = null;
  return (event: ScoringEvent): boolean => {
    const key =
      frequency.per === 'session'
        ? (event.session ?? `event:${event.id}`)
        : frequency.per === 'day'
          ? String(dayOf(event.ts))
          : event.id;
    while (pending.length > 0 && event.ts - pending[0]!.ts > windowMs) pending.shift();
    if (key === consumed || pending.some((p) => p.key === key)) return false;
    pending.push({ key, ts: event.ts });
    if (pending.length < frequency.count) return false;
    pending.length = 0;
    consumed = key;
    return true;
  };
}

function capGate(cap: CompiledEngagementRule['rule']['cap']) {
  if (cap?.per_day === undefined && cap?.lifetime === undefined)
    return (_event: ScoringEvent, magnitude: number) => magnitude;
  const usedByDay = new Map<number, number>();
  let usedLifetime = 0;
  return (event: ScoringEvent, magnitude: number): number => {
    let allowed = magnitude;
    const day = dayOf(event.ts);
    if (cap?.per_day !== undefined) allowed = Math.min(allowed, cap.per_day - (usedByDay.get(day) ?? 0));
    if (cap?.lifetime !== undefined) allowed = Math.min(allowed, cap.lifetime - usedLifetime);
    allowed = Math.max(0, allowed);
    usedByDay.set(day, (usedByDay.get(day) ?? 0) + allowed);
    usedLifetime += allowed;
    return allowed;
  };
}

export function evaluateRule(
  compiled: CompiledEngagementRule,
  sorted: readonly ScoringEvent[],
  visits: readonly Visit[],
  now: number,
): RuleOutcome {
  const { rule, halfLifeMs } = compiled;
  const fires = rule.frequency ? frequencyGate(rule.frequency) : () => true;
  const allow = capGate(rule.cap);
  const sign = Math.sign(rule.points);
  const magnitude = Math.abs(rule.points);
  const outcome: RuleOutcome = { awards: [], capped: [] };
  sorted.forEach((event, i) => {
    if (!compiled.matches(event, visits[i]!) || !fires(event)) return;
    const allowed = allow(event, magnitude);
    if (allowed === 0) {
      outcome.capped.push(event.id);
      return;
    }
    const points = sign * allowed;
    const factor = halfLifeMs === null ? 1 : 0.5 ** ((now - event.ts) / halfLifeMs);
    outcome.awards.push({ event, points, decayed: points * factor });
  });
  return outcome;
}
