/**
 * "Why this score": one row per rule with the events that earned it, the raw points and what
 * they are worth today after decay. The decayed column adds up to the score (the scoring core
 * rounds every line to tenths and sums the rounded lines), and the footer shows that sum.
 */
import type { BreakdownItem, TimelineEvent } from '../api-types';
import { formatPoints } from '../format';
import { describeEvent } from './event-text';

const sumTenths = (values: number[]) => values.reduce((sum, v) => sum + Math.round(v * 10), 0) / 10;

export const lineValue = (line: BreakdownItem) => line.decayed ?? line.points;

function Events(props: { ids: string[]; known: Map<string, TimelineEvent> }) {
  if (props.ids.length === 0) return <span class="muted">profile</span>;
  const described = props.ids.map((id) => props.known.get(id)).filter((e) => e !== undefined);
  const label = props.ids.length === 1 ? '1 event' : `${props.ids.length} events`;
  if (described.length === 0) return <span>{label}</span>;
  return (
    <details class="events-list">
      <summary>{label}</summary>
      <ul>
        {described.map((event) => (
          <li>{describeEvent(event).text}</li>
        ))}
      </ul>
    </details>
  );
}

export function Breakdown(props: { lines: BreakdownItem[]; score: number; events: TimelineEvent[] }) {
  const known = new Map(props.events.map((e) => [e.id, e]));
  const scored = props.lines.filter((line) => line.kind !== 'excluded');
  const excluded = props.lines.filter((line) => line.kind === 'excluded');
  const total = sumTenths(scored.map(lineValue));
  if (props.lines.length === 0) return <p class="empty">No rule has matched yet: the score is 0.</p>;
  return (
    <div class="table-card">
      <table class="table breakdown" id="breakdown">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Events</th>
            <th class="num">Points</th>
            <th class="num" title="After time decay: what the rule adds to the score today">
              Now
            </th>
          </tr>
        </thead>
        <tbody>
          {scored.map((line) => {
            const value = lineValue(line);
            return (
              <tr class="breakdown-line" data-rule={line.rule} data-points={value}>
                <td>
                  {line.label ?? line.rule}
                  <span class="sub mono">
                    {line.kind === 'fit' ? 'fit · ' : ''}
                    {line.rule}
                  </span>
                </td>
                <td>
                  <Events ids={line.event_ids ?? []} known={known} />
                </td>
                <td class="num">{formatPoints(line.points)}</td>
                <td class={`num ${value < 0 ? 'neg' : 'pos'}`}>
                  {value > 0 ? '+' : ''}
                  {formatPoints(value)}
                </td>
              </tr>
            );
          })}
          {excluded.map((line) => (
            <tr class="excluded">
              <td>
                {line.label ?? line.rule}
                <span class="sub mono">{line.rule}</span>
              </td>
              <td>
                <Events ids={line.event_ids ?? []} known={known} />
              </td>
              <td class="num">0</td>
              <td class="num muted">0</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colspan={3}>Total</td>
            <td class="num" id="breakdown-total" data-total={total}>
              {formatPoints(total)}
            </td>
          </tr>
        </tfoot>
      </table>
      {total !== props.score ? (
        <p class="hint">
          The stored score ({formatPoints(props.score)}) predates the latest rescoring; it will match after
          the next event or rescore.
        </p>
      ) : null}
    </div>
  );
}
