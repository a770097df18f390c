/**
 * A contact's score over time: one line per day from the replayed series, a dashed line at the
 * MQL threshold, and a marker with its label at each stage change. Hover text on every point.
 */
import { formatDay as formatDate, formatPoints } from '../format';

export interface ScorePoint {
  at: number;
  score: number;
  stage: string;
}

export interface StageMark {
  at: number;
  to: string;
}

const W = 600;
const H = 200;
const LEFT = 32;
const BOTTOM = 20;
const TOP = 18;

export function ScoreLine(props: {
  points: ScorePoint[];
  marks: StageMark[];
  threshold: number;
  label: string;
}) {
  const { points, marks } = props;
  if (points.length === 0) return <p class="empty">No score history yet.</p>;
  const first = points[0]!.at;
  const last = points.at(-1)!.at;
  const span = Math.max(last - first, 1);
  const max = Math.max(props.threshold, ...points.map((p) => p.score), 1);
  const min = Math.min(0, ...points.map((p) => p.score));
  const x = (t: number) => LEFT + ((t - first) / span) * (W - LEFT - 4);
  const y = (v: number) => TOP + (1 - (v - min) / (max - min || 1)) * (H - TOP - BOTTOM);
  const path = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${y(p.score).toFixed(1)}`)
    .join(' ');
  return (
    <svg class="score-line" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label}>
      <line class="axis" x1={LEFT} y1={H - BOTTOM} x2={W} y2={H - BOTTOM} />
      <text class="hlabel" x="2" y={y(max).toFixed(1)}>
        {formatPoints(max)}
      </text>
      <text class="hlabel" x="2" y={(H - BOTTOM).toFixed(1)}>
        {formatPoints(min)}
      </text>
      <line
        class="threshold"
        x1={LEFT}
        x2={W}
        y1={y(props.threshold).toFixed(1)}
        y2={y(props.threshold).toFixed(1)}
      >
        <title>{`MQL threshold ${formatPoints(props.threshold)}`}</title>
      </line>
      {marks
        .filter((m) => m.at >= first && m.at <= last)
        .map((m) => (
          <g class="stage-mark">
            <title>{`${m.to} on ${formatDate(m.at)}`}</title>
            <line x1={x(m.at).toFixed(1)} x2={x(m.at).toFixed(1)} y1={TOP} y2={H - BOTTOM} />
            <text x={(x(m.at) + 3).toFixed(1)} y={TOP - 4}>
              {m.to}
            </text>
          </g>
        ))}
      <path class="score-path" d={path} />
      {points.map((p) => (
        <circle class="score-dot" cx={x(p.at).toFixed(1)} cy={y(p.score).toFixed(1)} r="2.5">
          <title>{`${formatDate(p.at)}: score ${formatPoints(p.score)} (${p.stage})`}</title>
        </circle>
      ))}
      <text class="hlabel" x={LEFT} y={H - 5}>
        {formatDate(first)}
      </text>
      <text class="hlabel" x={W - 4} y={H - 5} text-anchor="end">
        {formatDate(last)}
      </text>
    </svg>
  );
}
