/** The lead feed: filters, the table, paging and export; live stage changes via feed.js. */
import type { Lead } from '../api-types';
import type { Frame } from '../context';
import { formatAgo, formatDateTime } from '../format';
import { GradeBadge, ScoreBar, StageBadge, TemperatureBadge } from './badges';
import { Layout } from './layout';
import { type Filters, LeadFilters } from './lead-filters';

export const feedHref = (filters: Filters, extra: Record<string, string> = {}, path = '/dashboard') => {
  const params = new URLSearchParams({ ...filters, ...extra } as Record<string, string>).toString();
  return params ? `${path}?${params}` : path;
};

function LeadRowView(props: { lead: Lead; now: number }) {
  const { lead } = props;
  const href = `/dashboard/contacts/${encodeURIComponent(lead.id)}`;
  return (
    <tr data-contact={lead.id}>
      <td class="who-cell">
        <a href={href} class="lead-name">
          {lead.name || lead.email || 'Anonymous'}
        </a>
        {lead.name && lead.email ? <span class="sub">{lead.email}</span> : null}
      </td>
      <td class="col-company">
        {lead.company ??
          (lead.domain ? <span class="muted">{lead.domain}</span> : <span class="muted">—</span>)}
      </td>
      <td class="col-score" data-score={lead.score}>
        <ScoreBar score={lead.score} />
      </td>
      <td class="col-grade">
        <GradeBadge grade={lead.grade} />
      </td>
      <td class="col-temp">
        <TemperatureBadge temperature={lead.temperature} />
      </td>
      <td class="col-stage" data-stage={lead.stage}>
        <StageBadge stage={lead.stage} />
      </td>
      <td class="col-source">
        {lead.source ?? <span class="muted">—</span>}
        {lead.campaign ? <span class="sub">{lead.campaign}</span> : null}
      </td>
      <td class="col-activity">
        <time datetime={new Date(lead.last_seen).toISOString()} title={formatDateTime(lead.last_seen)}>
          {formatAgo(lead.last_seen, props.now)}
        </time>
      </td>
    </tr>
  );
}

export function FeedPage(props: {
  frame: Frame;
  filters: Filters;
  leads: Lead[];
  nextCursor: string | null;
  paged: boolean;
  error?: string;
}) {
  const { filters } = props;
  const actions = (
    <a class="button" href={feedHref(filters, {}, '/dashboard/leads.csv')} download="leads.csv">
      Export CSV
    </a>
  );
  return (
    <Layout
      title="Leads"
      section="leads"
      frame={props.frame}
      actions={actions}
      scripts={['/dashboard/assets/feed.js']}
    >
      <LeadFilters filters={filters} />
      <div id="live" class="live" aria-live="polite" hidden>
        <h2 class="live-title">
          <span class="live-dot" aria-hidden="true" /> Live
        </h2>
        <ul id="live-list" class="live-list" />
      </div>
      {props.error ? (
        <p class="flash flash-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div class="card table-card">
        <table class="table leads" id="leads">
          <thead>
            <tr>
              <th>Contact</th>
              <th class="col-company">Company</th>
              <th class="col-score">Score</th>
              <th class="col-grade">Grade</th>
              <th class="col-temp">Temp.</th>
              <th class="col-stage">Stage</th>
              <th class="col-source">Source</th>
              <th class="col-activity">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {props.leads.map((lead) => (
              <LeadRowView lead={lead} now={props.frame.now} />
            ))}
          </tbody>
        </table>
        {props.leads.length === 0 && !props.error ? <p class="empty">No leads match these filters.</p> : null}
      </div>
      <nav class="pager" aria-label="Pages">
        {props.paged ? <a href={feedHref(filters)}>← First page</a> : <span />}
        {props.nextCursor ? (
          <a href={feedHref(filters, { cursor: props.nextCursor })} rel="next" class="button">
            Next page →
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}
