/** Numbers, dates and durations as a person reads them. All times are shown in UTC. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** API timestamps are ms since epoch; ISO strings are accepted too. */
export function toMillis(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const asNumber = Number(value);
  if (Number.isFinite(asNumber)) return asNumber;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

export function formatDateTime(value: number | string | null | undefined): string {
  const ms = toMillis(value);
  if (ms === null) return '—';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDay(value: number | string | null | undefined): string {
  const ms = toMillis(value);
  return ms === null ? '—' : new Date(ms).toISOString().slice(0, 10);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < MINUTE) return `${Math.round(ms / 1000)} s`;
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  if (ms < DAY) return `${(ms / HOUR).toFixed(ms < 10 * HOUR ? 1 : 0)} h`;
  return `${(ms / DAY).toFixed(ms < 10 * DAY ? 1 : 0)} d`;
}

export function formatAgo(value: number | string | null | undefined, now: number): string {
  const ms = toMillis(value);
  if (ms === null) return '—';
  const age = now - ms;
  if (age < MINUTE) return 'just now';
  return `${formatDuration(age)} ago`;
}

export const formatNumber = (n: number | null | undefined): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString('en-US');

/** Scores keep one decimal only where it matters (decayed points), so rows visibly add up. */
export const formatPoints = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** A rate in 0..1 as a percentage. */
export const formatRate = (rate: number | null | undefined): string =>
  rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : `${(rate * 100).toFixed(1)} %`;
