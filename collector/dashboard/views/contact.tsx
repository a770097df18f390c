/** The story of one person: who, why this score, what they did, how they moved, where from. */
import type { ContactView, ScoreHistory, StageChange, TimelineEvent, Touch } from '../api-types';
import { ScoreLine } from '../charts/score-line';
import type { Frame } from '../context';
import { formatAgo, formatDateTime, formatDay, formatPoints } from '../format';
import { GradeBadge, StageBadge, stageLabel, TemperatureBadge } from './badges';
import { Breakdown } from './breakdown';
import { Layout } from './layout';
import { StageActions } from './stage-actions';
import { Timeline } from './timeline';

function Kpi(props: { label: string; children: unknown; note?: string; id?: string; data?: number }) {
  return (
    <div class="kpi" id={props.id} data-value={props.data}>
      <div class="kpi-label">{props.label}</div>
      <div class="kpi-value">{props.children}</div>
      {props.note ? <div class="kpi-note">{props.note}</div> : null}
    </div>
  );
}

function TouchCard(props: { title: string; touch: Touch | null }) {
  const t = props.touch;
  return (
    <div>
      <h3>{props.title}</h3>
      {t ? (
        <dl class="kv">
          <dt>Source</dt>
          <dd>{t.source ?? '—'}</dd>
          <dt>Medium</dt>
          <dd>{t.medium ?? '—'}</dd>
          <dt>Campaign</dt>
          <dd>{t.campaign ?? '—'}</dd>
          {t.url ? (
            <>
              <dt>Landed on</dt>
              <dd>{t.url}</dd>
            </>
          ) : null}
          {t.ref ? (
            <>
              <dt>Referrer</dt>
              <dd>{t.ref}</dd>
            </>
          ) : null}
          <dt>When</dt>
          <dd>{formatDateTime(t.ts)}</dd>
        </dl>
      ) : (
        <p class="muted">Unknown</p>
      )}
    </div>
  );
}

function StageHistory(props: { history: StageChange[] }) {
  if (props.history.length === 0) return <p class="empty">No stage changes yet.</p>;
  return (
    <div class="table-card">
      <table class="table" id="stage-history">
        <thead>
          <tr>
            <th>When</th>
            <th>Move</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {[...props.history].reverse().map((move) => (
            <tr data-to={move.to}>
              <td class="nowrap">
                {formatDay(move.at)}
                <span class="sub">{formatDateTime(move.at).slice(11)}</span>
              </td>
              <td class="nowrap">
                {stageLabel(move.from)} → <StageBadge stage={move.to} />
              </td>
              <td class="reason">
                {move.reason}
                <span class="sub actor">{move.actor === 'auto' ? 'automatic' : `by ${move.actor}`}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const traitText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export function ContactPage(props: {
  frame: Frame;
  contact: ContactView;
  events: TimelineEvent[];
  olderHref: string | null;
  history?: ScoreHistory | null;
}) {
  const { contact, frame } = props;
  const title = contact.name || contact.email || 'Anonymous visitor';
  const traits = Object.entries(contact.traits ?? {});
  return (
    <Layout title={title} section="leads" frame={frame}>
      <div class="person">
        <StageBadge stage={contact.stage} />
        <span class="person-meta">
          {contact.name && contact.email ? `${contact.email} · ` : ''}
          {[contact.title, contact.company].filter(Boolean).join(' at ')}
        </span>
        {contact.domain ? (
          <a href={`/dashboard/accounts/${encodeURIComponent(contact.domain)}`}>{contact.domain} account →</a>
        ) : null}
      </div>
      <div class="kpis">
        <Kpi
          label="Score"
          id="score"
          data={contact.score}
          note={`fit ${formatPoints(contact.fit)} + engagement ${formatPoints(contact.engagement)}`}
        >
          {formatPoints(contact.score)}
        </Kpi>
        <Kpi label="Grade">
          <GradeBadge grade={contact.grade} />
        </Kpi>
        <Kpi label="Temperature">
          <TemperatureBadge temperature={contact.temperature} />
        </Kpi>
        <Kpi label="Last activity" note={formatDateTime(contact.last_seen)}>
          <span class="kpi-small">{formatAgo(contact.last_seen, frame.now)}</span>
        </Kpi>
      </div>
      {props.history ? (
        <section class="card" id="score-history">
          <h2>Score over time</h2>
          <ScoreLine
            points={props.history.series}
            marks={props.history.stage_changes}
            threshold={props.history.mql_threshold}
            label={`Score of ${title} per day, with stage changes`}
          />
        </section>
      ) : null}
      <section class="card">
        <h2>Sales</h2>
        <StageActions contactId={contact.id} session={frame.session} />
      </section>
      <div class="grid">
        <section class="card">
          <h2>Why this score</h2>
          <Breakdown lines={contact.breakdown ?? []} score={contact.score} events={props.events} />
        </section>
        <section class="card">
          <h2>Where they came from</h2>
          <div class="grid touches">
            <TouchCard title="First touch" touch={contact.first_touch} />
            <TouchCard title="Last touch" touch={contact.last_touch} />
          </div>
          {traits.length > 0 ? (
            <>
              <h3 class="traits-title">Profile</h3>
              <dl class="kv" id="traits">
                {traits.map(([key, value]) => (
                  <>
                    <dt>{key}</dt>
                    <dd>{traitText(value)}</dd>
                  </>
                ))}
              </dl>
            </>
          ) : null}
        </section>
      </div>
      <div class="grid">
        <section class="card">
          <h2>Timeline</h2>
          <Timeline events={props.events} olderHref={props.olderHref} />
        </section>
        <section class="card">
          <h2>Stage history</h2>
          <StageHistory history={contact.stage_history ?? []} />
        </section>
      </div>
    </Layout>
  );
}
