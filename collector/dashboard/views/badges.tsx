/**
 * Small pieces that repeat on every page. Class names derived from API values go through an
 * allow-list, so a stored value can never become arbitrary markup or a surprising class.
 */
import { isStage, type Stage } from '../../../shared/stages';
import { formatPoints } from '../format';

export const STAGE_LABELS: Record<Stage, string> = {
  visitor: 'Visitor',
  lead: 'Lead',
  mql: 'MQL',
  sal: 'SAL',
  sql: 'SQL',
  opportunity: 'Opportunity',
  customer: 'Customer',
  recycled: 'Recycled',
  disqualified: 'Disqualified',
};

export const stageLabel = (stage: string | null | undefined): string =>
  isStage(stage) ? STAGE_LABELS[stage] : (stage ?? '—');

export function StageBadge(props: { stage: string | null | undefined }) {
  const known = isStage(props.stage) ? props.stage : 'unknown';
  return <span class={`badge stage stage-${known}`}>{stageLabel(props.stage)}</span>;
}

const GRADES = new Set(['A', 'B', 'C', 'D']);

export function GradeBadge(props: { grade: string | null | undefined }) {
  const grade = props.grade && GRADES.has(props.grade) ? props.grade : null;
  if (!grade) return <span class="muted">—</span>;
  return (
    <span class={`grade grade-${grade}`} title={`Fit grade ${grade}`}>
      {grade}
    </span>
  );
}

const TEMPERATURES = new Set(['hot', 'warm', 'cold']);

export function TemperatureBadge(props: { temperature: string | null | undefined }) {
  const t = props.temperature && TEMPERATURES.has(props.temperature) ? props.temperature : null;
  if (!t) return <span class="muted">—</span>;
  return <span class={`temp temp-${t}`}>{t}</span>;
}

/** The score with a small inline bar (SVG: the CSP forbids inline styles, SVG attributes are fine). */
export function ScoreBar(props: { score: number; max?: number }) {
  const max = props.max ?? 100;
  const width = Math.max(0, Math.min(100, (props.score / max) * 100));
  const level = props.score >= 50 ? 'high' : props.score >= 25 ? 'mid' : 'low';
  return (
    <span class="score">
      <span class="score-value">{formatPoints(props.score)}</span>
      <svg
        class={`scorebar scorebar-${level}`}
        viewBox="0 0 100 6"
        preserveAspectRatio="none"
        aria-hidden="true"
      >
        <rect class="scorebar-track" x="0" y="0" width="100" height="6" rx="3" />
        <rect class="scorebar-fill" x="0" y="0" width={width.toFixed(1)} height="6" rx="3" />
      </svg>
    </span>
  );
}
