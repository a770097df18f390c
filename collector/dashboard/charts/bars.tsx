/**
 * Horizontal bar chart: one row per item, label on the left, an SVG bar scaled to the largest
 * value, and the number beside it. Rows are HTML so the text stays legible at phone width;
 * each bar carries a <title> for hover text.
 */
import { formatNumber } from '../format';

export interface Bar {
  label: string;
  value: number;
  /** Extra hover text; defaults to "label: value". */
  title?: string;
  /** Shown after the value (e.g. a share). */
  note?: string;
  href?: string;
}

export function BarChart(props: {
  bars: Bar[];
  empty?: string;
  label: string;
  format?: (n: number) => string;
}) {
  const format = props.format ?? formatNumber;
  if (props.bars.length === 0) return <p class="empty">{props.empty ?? 'Nothing in this range.'}</p>;
  const max = Math.max(...props.bars.map((b) => b.value), 0) || 1;
  return (
    <ul class="bars" aria-label={props.label}>
      {props.bars.map((bar) => {
        const width = Math.max(bar.value > 0 ? 1 : 0, (bar.value / max) * 100);
        const hover = bar.title ?? `${bar.label}: ${format(bar.value)}`;
        return (
          <li class="bar-row">
            <span class="bar-label" title={bar.label}>
              {bar.href ? <a href={bar.href}>{bar.label}</a> : bar.label}
            </span>
            <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={hover}>
              <title>{hover}</title>
              <rect class="bar-track" x="0" y="0" width="100" height="10" />
              <rect class="bar-fill" x="0" y="0" width={width.toFixed(2)} height="10" />
            </svg>
            <span class="bar-value">
              {format(bar.value)}
              {bar.note ? <span class="bar-note"> · {bar.note}</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
