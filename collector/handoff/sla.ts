/**
 * The SLA clock, pure: when a lead that reached a stage at `start` must be answered, counting
 * only the owner's working minutes (out-of-office days and nights do not count), and where a
 * clock stands at `now`. No clock of its own.
 */
import { workingStretch } from './calendar';
import type { OwnerConfig, SlaRule } from './config';

const MINUTE = 60_000;
/** A clock never runs longer than this many calendar days (an owner with no working time left). */
const HORIZON_DAYS = 60;

type Calendar = Pick<OwnerConfig, 'time_zone' | 'working_hours' | 'out_of_office'>;

/** The instant the owner's `minutes` working minutes after `start` have passed. */
export function slaDueAt(start: number, minutes: number, owner: Calendar): number {
  let at = start;
  let left = minutes;
  const end = start + HORIZON_DAYS * 24 * 60 * MINUTE;
  while (at < end) {
    const stretch = workingStretch(owner, at);
    if (stretch.working) {
      const step = Math.min(left, stretch.minutes);
      left -= step;
      at += step * MINUTE;
      if (left === 0) return at;
    } else {
      // Off the clock: resume on a whole minute, where working hours begin.
      at = Math.floor(at / MINUTE) * MINUTE + stretch.minutes * MINUTE;
    }
  }
  return end;
}

/** The rule that starts a clock when a lead arrives at `stage`, if any. */
export const slaRuleFor = (rules: readonly SlaRule[], stage: string): SlaRule | undefined =>
  rules.find((rule) => rule.stage === stage);

export interface SlaClock {
  due_at: number | null;
  /** When the owner accepted or rejected (the clock stopped). */
  answered_at: number | null;
  breached_at: number | null;
}

export type SlaStatus =
  | { state: 'none' }
  | { state: 'running'; due_at: number; remaining_ms: number }
  | { state: 'breached'; due_at: number; overdue_ms: number }
  | { state: 'met'; due_at: number; answered_at: number }
  | { state: 'missed'; due_at: number; answered_at: number };

export function slaStatus(clock: SlaClock, now: number): SlaStatus {
  if (clock.due_at === null) return { state: 'none' };
  const due = clock.due_at;
  if (clock.answered_at !== null) {
    return clock.answered_at <= due
      ? { state: 'met', due_at: due, answered_at: clock.answered_at }
      : { state: 'missed', due_at: due, answered_at: clock.answered_at };
  }
  return now >= due
    ? { state: 'breached', due_at: due, overdue_ms: now - due }
    : { state: 'running', due_at: due, remaining_ms: due - now };
}

/** Whether a breach alert is due now: the clock ran out, unanswered, and no alert was sent yet. */
export const breachDue = (clock: SlaClock, now: number): boolean =>
  clock.due_at !== null && clock.answered_at === null && clock.breached_at === null && now >= clock.due_at;
