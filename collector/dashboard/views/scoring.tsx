/**
 * `/dashboard/scoring`: does the live ruleset predict what happened? Every number is the audit
 * API's (`GET /api/scoring/audit`); this page only lays them out.
 */
import type { AuditReport } from '../api-types';
import { DecileLift, RuleLift } from '../charts/lift';
import type { Frame } from '../context';
import { formatDay, formatNumber, formatRate } from '../format';
import { Layout } from './layout';

export const AUDIT_OUTCOME_CHOICES = ['sal', 'sql', 'opportunity', 'won'] as const;
export const HORIZON_CHOICES = [7, 14, 30, 60, 90] as const;

const num = (n: number | null | undefined, digits = 2) =>
  n === null || n === undefined ? '—' : n.toFixed(digits);

function Kpi(props: { label: string; value: string; note?: string; id?: string }) {
  return (
    <div class="kpi" id={props.id}>
      <div class="kpi-label">{props.label}</div>
      <div class="kpi-value">{props.value}</div>
      {props.note ? <div class="kpi-note">{props.note}</div> : null}
    </div>
  );
}

function AuditForm(props: { outcome: string; horizon: number }) {
  return (
    <form method="get" action="/dashboard/scoring" class="range card audit-form">
      <label>
        Outcome
        <select name="outcome">
          {AUDIT_OUTCOME_CHOICES.map((o) => (
            <option value={o} selected={o === props.outcome}>
              {o.toUpperCase()}
            </option>
          ))}
        </select>
      </label>
      <label>
        Within
        <select name="horizon_days">
          {HORIZON_CHOICES.map((h) => (
            <option value={String(h)} selected={h === props.horizon}>
              {`${h} days`}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="button primary">
        Audit
      </button>
    </form>
  );
}

export function ScoringPage(props: { frame: Frame; report: AuditReport }) {
  const r = props.report;
  const rec = r.recommended_threshold;
  const outcome = r.outcome.toUpperCase();
  return (
    <Layout title="Scoring" section="scoring" frame={props.frame}>
      <AuditForm outcome={r.outcome} horizon={r.horizon_days} />
      <p class="muted" id="audit-window">
        {`Ruleset v${r.ruleset_version}, ${formatDay(r.from)} → ${formatDay(r.to)}: ${formatNumber(r.cutoffs)} weekly cutoffs, ` +
          `${formatNumber(r.examples)} examples from ${formatNumber(r.contacts)} contacts, ${formatNumber(r.positives)} reached ${outcome} ` +
          `within ${r.horizon_days} days (base rate ${formatRate(r.base_rate)}).`}
      </p>
      <div class="kpis">
        <Kpi
          id="auc"
          label="AUC"
          value={num(r.auc, 3)}
          note={
            r.auc_ci
              ? `95 % ${num(r.auc_ci[0], 3)}–${num(r.auc_ci[1], 3)} · 0.5 is a coin toss`
              : 'needs both outcomes'
          }
        />
        <Kpi
          id="pr-auc"
          label="PR-AUC"
          value={num(r.pr_auc, 3)}
          note={`base rate ${formatRate(r.base_rate)}`}
        />
        <Kpi
          id="precision"
          label={`Precision at ${r.mql_threshold}`}
          value={formatRate(r.precision)}
          note={`of MQLs reach ${outcome}`}
        />
        <Kpi
          id="recall"
          label={`Recall at ${r.mql_threshold}`}
          value={formatRate(r.recall)}
          note={`of ${outcome}s were MQLs`}
        />
        <Kpi id="mqls-per-week" label="New MQLs a week" value={num(r.mqls_per_week, 1)} />
      </div>
      <section class="card" id="recommended">
        <h2>Recommended threshold</h2>
        {rec ? (
          <p>
            {`Move the MQL threshold from ${r.mql_threshold} to ${rec.score} (${rec.basis.replaceAll('_', ' ')}): precision ${formatRate(rec.precision)}, ` +
              `recall ${formatRate(rec.recall)}, ${num(rec.leads_per_week, 1)} new MQLs a week ` +
              `(${rec.change_in_mqls_per_week >= 0 ? '+' : ''}${num(rec.change_in_mqls_per_week, 1)} a week).`}
          </p>
        ) : (
          <p class="empty">No threshold meets the target.</p>
        )}
      </section>
      <div class="grid">
        <section class="card" id="deciles">
          <h2>Lift by score decile</h2>
          <DecileLift deciles={r.deciles} />
        </section>
        <section class="card" id="rules">
          <h2>Rules: lift with 95 % interval</h2>
          <RuleLift rows={r.rules} label="Lift of each rule with its 95 % interval" />
        </section>
      </div>
      <section class="card" id="candidates">
        <h2>Candidate rules</h2>
        {r.candidates.length === 0 ? (
          <p class="empty">
            No event or page section with enough support that the rules do not already cover.
          </p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th>Behaviour</th>
                <th>Lift</th>
                <th>95 % interval</th>
                <th>Examples</th>
                <th>Verdict</th>
              </tr>
            </thead>
            <tbody>
              {r.candidates.map((c) => (
                <tr>
                  <td>{c.label}</td>
                  <td>{`${num(c.lift, 1)}×`}</td>
                  <td>{c.lift_ci ? `${num(c.lift_ci[0], 1)}–${num(c.lift_ci[1], 1)}` : '—'}</td>
                  <td>{formatNumber(c.fired)}</td>
                  <td>{c.verdict.replace('_', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}
