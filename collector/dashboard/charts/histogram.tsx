/** Score distribution: vertical bars per score band with the count on top and hover text. */
import { formatNumber } from '../format';

export interface Bucket {
  label: string;
  count: number;
  /** Marks the bands at or above the MQL threshold. */
  highlight?: boolean;
}

const W = 400;
const H = 170;
const AXIS = 20;
const TOP = 16;

export function Histogram(props: { buckets: Bucket[]; label: string }) {
  const n = props.buckets.length || 1;
  const max = Math.max(...props.buckets.map((b) => b.count), 0) || 1;
  const slot = W / n;
  const barWidth = slot * 0.72;
  return (
    <svg class="histogram" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label}>
      <line class="axis" x1="0" y1={H - AXIS} x2={W} y2={H - AXIS} />
      {props.buckets.map((bucket, i) => {
        const height = ((H - AXIS - TOP) * bucket.count) / max;
        const x = i * slot + (slot - barWidth) / 2;
        const y = H - AXIS - height;
        const hover = `score ${bucket.label}: ${formatNumber(bucket.count)} contacts`;
        return (
          <g class={bucket.highlight ? 'hbar hot' : 'hbar'}>
            <title>{hover}</title>
            <rect
              x={x.toFixed(1)}
              y={y.toFixed(1)}
              width={barWidth.toFixed(1)}
              height={Math.max(height, 0).toFixed(1)}
              rx="2"
            />
            <text
              class="hcount"
              x={(x + barWidth / 2).toFixed(1)}
              y={(y - 4).toFixed(1)}
              text-anchor="middle"
            >
              {formatNumber(bucket.count)}
            </text>
            <text class="hlabel" x={(x + barWidth / 2).toFixed(1)} y={H - 5} text-anchor="middle">
              {bucket.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
