/**
 * The funnel visitor → lead → MQL → SQL: each stage a trapezoid narrowing to the next stage's
 * width, its count beside it, and between stages the conversion rate and the median time it
 * took. Widths use a square-root scale so a 2 % stage is still visible under 10,000 visitors.
 */
import { formatDuration, formatNumber, formatRate } from '../format';

export interface FunnelStep {
  key: string;
  label: string;
  count: number;
  /** Conversion from the previous step (0..1), absent for the first. */
  rate?: number | null;
  /** Median time from the previous step, ms. */
  median?: number | null;
}

export function FunnelChart(props: { steps: FunnelStep[] }) {
  const max = Math.max(...props.steps.map((s) => s.count), 0) || 1;
  const widthOf = (count: number) => (count <= 0 ? 2 : Math.max(4, Math.sqrt(count / max) * 100));
  return (
    <ol class="funnel" aria-label="Funnel">
      {props.steps.map((step, i) => {
        const top = widthOf(step.count);
        const next = props.steps[i + 1];
        const bottom = next ? widthOf(next.count) : top;
        const points = [
          [50 - top / 2, 0],
          [50 + top / 2, 0],
          [50 + bottom / 2, 30],
          [50 - bottom / 2, 30],
        ]
          .map(([x, y]) => `${x!.toFixed(2)},${y}`)
          .join(' ');
        return (
          <li class={`funnel-step funnel-${step.key}`} data-stage={step.key} data-count={step.count}>
            {i > 0 ? (
              <p class="funnel-rate">
                <span class="funnel-rate-value">{formatRate(step.rate)}</span> converted
                {step.median !== undefined && step.median !== null ? (
                  <span class="funnel-median"> · median {formatDuration(step.median)}</span>
                ) : null}
              </p>
            ) : null}
            <div class="funnel-row">
              <span class="funnel-label">{step.label}</span>
              <svg
                class="funnel-shape"
                viewBox="0 0 100 30"
                preserveAspectRatio="none"
                role="img"
                aria-label={`${step.label}: ${formatNumber(step.count)}`}
              >
                <title>{`${step.label}: ${formatNumber(step.count)}`}</title>
                <polygon points={points} />
              </svg>
              <span class="funnel-count">{formatNumber(step.count)}</span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
