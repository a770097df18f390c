/**
 * Speed-to-lead, pure: from each hand-off's timestamps to the numbers a sales lead audits —
 * system delay (qualifying event → alert delivered), human delay (alert → accept or reject),
 * median and p90 of each, SLA attainment, acceptance rate and reject reasons, overall and per
 * owner. No clock of its own: `now` decides which running clocks have already been missed.
 */

export interface HandoffRecord {
  owner: string | null;
  qualified_at: number;
  /** The first alert about it that was delivered. */
  alerted_at: number | null;
  answered_at: number | null;
  answer: 'accepted' | 'rejected' | null;
  reject_reason: string | null;
  sla_due_at: number | null;
}

export interface Delay {
  count: number;
  median_ms: number | null;
  p90_ms: number | null;
}

export interface SpeedSummary {
  leads: number;
  system_delay: Delay;
  human_delay: Delay;
  sla: { met: number; missed: number; running: number; attainment: number | null };
  answered: number;
  accepted: number;
  acceptance_rate: number | null;
  reject_reasons: { reason: string; count: number }[];
}

/** The q-quantile with linear interpolation between order statistics (R's type 7, NumPy's default). */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

const delay = (values: number[]): Delay => ({
  count: values.length,
  median_ms: quantile(values, 0.5),
  p90_ms: quantile(values, 0.9),
});

const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

export function summarise(records: readonly HandoffRecord[], now: number): SpeedSummary {
  const system: number[] = [];
  const human: number[] = [];
  let met = 0;
  let missed = 0;
  let running = 0;
  let answered = 0;
  let accepted = 0;
  const reasons = new Map<string, number>();
  for (const r of records) {
    if (r.alerted_at !== null) system.push(r.alerted_at - r.qualified_at);
    if (r.alerted_at !== null && r.answered_at !== null)
      human.push(Math.max(0, r.answered_at - r.alerted_at));
    if (r.sla_due_at !== null) {
      if (r.answered_at !== null) r.answered_at <= r.sla_due_at ? met++ : missed++;
      else if (now >= r.sla_due_at) missed++;
      else running++;
    }
    if (r.answer) {
      answered++;
      if (r.answer === 'accepted') accepted++;
      else {
        const reason = r.reject_reason ?? '(none)';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  }
  return {
    leads: records.length,
    system_delay: delay(system),
    human_delay: delay(human),
    sla: { met, missed, running, attainment: ratio(met, met + missed) },
    answered,
    accepted,
    acceptance_rate: ratio(accepted, answered),
    reject_reasons: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

export function speedReport(records: readonly HandoffRecord[], now: number) {
  const owners = [...new Set(records.map((r) => r.owner ?? ''))].sort();
  return {
    overall: summarise(records, now),
    owners: owners.map((owner) => ({
      owner: owner === '' ? null : owner,
      ...summarise(
        records.filter((r) => (r.owner ?? '') === owner),
        now,
      ),
    })),
  };
}
