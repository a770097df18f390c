/**
 * Lift charts for the scoring audit: deciles as vertical bars against a baseline of 1 (the base
 * rate), and rules as points with 95 % interval whiskers on a log scale, so 0.5× and 2× sit
 * equally far from "no effect".
 */
import type { AuditReport } from '../api-types';

const fmt = (n: number | null) => (n === null ? '—' : n.toFixed(2));

export function DecileLift(props: { deciles: AuditReport['deciles'] }) {
  const W = 500;
  const H = 180;
  const BOTTOM = 20;
  const TOP = 14;
  const deciles = props.deciles;
  if (deciles.length === 0) return <p class="empty">No examples in this window.</p>;
  const max = Math.max(1.5, ...deciles.map((d) => d.lift ?? 0));
  const slot = W / deciles.length;
  const y = (v: number) => TOP + (1 - v / max) * (H - TOP - BOTTOM);
  return (
    <svg class="lift-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Lift by score decile">
      {deciles.map((d, i) => {
        const lift = d.lift ?? 0;
        const x = i * slot + slot * 0.14;
        return (
          <g class={lift >= 1 ? 'hbar hot' : 'hbar'}>
            <title>{`decile ${d.decile} (score ${d.min}–${d.max}): ${d.positives} of ${d.examples} reached the outcome, lift ${fmt(d.lift)}`}</title>
            <rect
              x={x.toFixed(1)}
              y={y(lift).toFixed(1)}
              width={(slot * 0.72).toFixed(1)}
              height={(H - BOTTOM - y(lift)).toFixed(1)}
              rx="2"
            />
            <text
              class="hcount"
              x={(x + slot * 0.36).toFixed(1)}
              y={(y(lift) - 3).toFixed(1)}
              text-anchor="middle"
            >
              {fmt(d.lift)}
            </text>
            <text class="hlabel" x={(x + slot * 0.36).toFixed(1)} y={H - 5} text-anchor="middle">
              {`D${d.decile}`}
            </text>
          </g>
        );
      })}
      <line class="baseline" x1="0" x2={W} y1={y(1).toFixed(1)} y2={y(1).toFixed(1)}>
        <title>lift 1: the base rate</title>
      </line>
    </svg>
  );
}

export interface LiftRow {
  id: string;
  label: string;
  lift: number | null;
  lift_ci: [number, number] | null;
  verdict: string;
  fired: number;
}

export function RuleLift(props: { rows: LiftRow[]; label: string }) {
  const rows = props.rows;
  if (rows.length === 0) return <p class="empty">No rules.</p>;
  const W = 600;
  const ROW = 22;
  const LABEL = 190;
  const RIGHT = 90;
  const H = rows.length * ROW + 24;
  const values = rows.flatMap((r) => (r.lift_ci ? r.lift_ci : r.lift ? [r.lift] : [])).filter((v) => v > 0);
  const lo = Math.min(0.5, ...values);
  const hi = Math.max(2, ...values);
  const x = (v: number) =>
    LABEL + ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (W - LABEL - RIGHT);
  return (
    <svg class="rule-lift" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label}>
      <line class="baseline" x1={x(1).toFixed(1)} x2={x(1).toFixed(1)} y1="0" y2={H - 20} />
      {[lo, 1, hi].map((v) => (
        <text class="hlabel" x={x(v).toFixed(1)} y={H - 6} text-anchor="middle">
          {`${v.toFixed(v < 1 ? 2 : 1)}×`}
        </text>
      ))}
      {rows.map((r, i) => {
        const cy = i * ROW + 12;
        return (
          <g class={`lift-row verdict-${r.verdict}`}>
            <title>{`${r.label}: lift ${fmt(r.lift)}${r.lift_ci ? ` (95 % ${fmt(r.lift_ci[0])}–${fmt(r.lift_ci[1])})` : ''}, ${r.verdict}, fired in ${r.fired} examples`}</title>
            <text class="lift-label" x={LABEL - 6} y={cy + 4} text-anchor="end">
              {r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label}
            </text>
            {r.lift_ci ? (
              <line
                class="whisker"
                x1={x(Math.max(r.lift_ci[0], lo)).toFixed(1)}
                x2={x(Math.min(r.lift_ci[1], hi)).toFixed(1)}
                y1={cy}
                y2={cy}
              />
            ) : null}
            {r.lift ? (
              <circle class="lift-dot" cx={x(Math.min(Math.max(r.lift, lo), hi)).toFixed(1)} cy={cy} r="4" />
            ) : null}
            <text class="lift-verdict" x={W - RIGHT + 8} y={cy + 4}>
              {r.verdict.replace('_', ' ')}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
