/** Companies (contacts grouped by email domain), ranked by account score, and one company's members. */
import type { AccountSummary, Lead } from '../api-types';
import type { Frame } from '../context';
import { formatAgo, formatDateTime, formatNumber, formatPoints } from '../format';
import { GradeBadge, ScoreBar, StageBadge, TemperatureBadge } from './badges';
import { Layout } from './layout';

const accountHref = (domain: string) => `/dashboard/accounts/${encodeURIComponent(domain)}`;

/** Whether the account's score reached the ruleset's account_threshold. */
function QualifiedMark(props: { qualified: boolean }) {
  return props.qualified ? (
    <span class="badge qualified" title="Account score ≥ the account threshold">
      Qualified
    </span>
  ) : (
    <span class="muted">—</span>
  );
}

export function AccountsPage(props: {
  frame: Frame;
  accounts: AccountSummary[];
  q: string;
  nextHref: string | null;
  paged: boolean;
}) {
  const max = Math.max(...props.accounts.map((a) => a.score), 100);
  return (
    <Layout title="Accounts" section="accounts" frame={props.frame}>
      <form method="get" action="/dashboard/accounts" class="filters card">
        <label class="field field-wide">
          <span>Domain</span>
          <input name="q" type="search" value={props.q} placeholder="acme.com" />
        </label>
        <div class="filter-actions">
          <button type="submit" class="button primary">
            Search
          </button>
        </div>
      </form>
      <div class="card table-card">
        <table class="table" id="accounts">
          <thead>
            <tr>
              <th>Account</th>
              <th>Account score</th>
              <th class="num">People</th>
              <th class="num">MQL+</th>
              <th>Best stage</th>
              <th>Qualified</th>
              <th>Top contact</th>
              <th class="col-activity">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {props.accounts.map((a) => (
              <tr data-domain={a.domain}>
                <td>
                  <a href={accountHref(a.domain)} class="lead-name">
                    {a.domain}
                  </a>
                </td>
                <td>
                  <ScoreBar score={a.score} max={max} />
                </td>
                <td class="num">{formatNumber(a.contacts)}</td>
                <td class="num">{formatNumber(a.qualified_members)}</td>
                <td class="col-stage">
                  <StageBadge stage={a.best_stage} />
                </td>
                <td class="account-qualified">
                  <QualifiedMark qualified={a.qualified} />
                </td>
                <td>
                  {a.best_contact ? (
                    <a href={`/dashboard/contacts/${encodeURIComponent(a.best_contact.id)}`}>
                      {a.best_contact.name || a.best_contact.email || a.best_contact.id}
                    </a>
                  ) : (
                    '—'
                  )}
                  {a.best_contact ? (
                    <span class="sub">score {formatPoints(a.best_contact.score)}</span>
                  ) : null}
                </td>
                <td class="col-activity" title={formatDateTime(a.last_seen)}>
                  {formatAgo(a.last_seen, props.frame.now)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.accounts.length === 0 ? (
          <p class="empty">No accounts yet: accounts appear when people identify with a company email.</p>
        ) : null}
      </div>
      <nav class="pager" aria-label="Pages">
        {props.paged ? <a href="/dashboard/accounts">← First page</a> : <span />}
        {props.nextHref ? (
          <a href={props.nextHref} class="button" rel="next">
            Next page →
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}

export function AccountPage(props: { frame: Frame; account: AccountSummary; members: Lead[] }) {
  const { account } = props;
  return (
    <Layout title={account.domain} section="accounts" frame={props.frame}>
      <div class="kpis">
        <div class="kpi" id="account-score" data-value={account.score}>
          <div class="kpi-label">Account score</div>
          <div class="kpi-value">{formatPoints(account.score)}</div>
          <div class="kpi-note">sum of its people's scores</div>
        </div>
        <div class="kpi">
          <div class="kpi-label">People</div>
          <div class="kpi-value">{formatNumber(account.contacts)}</div>
        </div>
        <div class="kpi">
          <div class="kpi-label">MQL or beyond</div>
          <div class="kpi-value">{formatNumber(account.qualified_members)}</div>
        </div>
        <div class="kpi" id="account-best-stage" data-value={account.best_stage}>
          <div class="kpi-label">Best stage</div>
          <div class="kpi-value kpi-small">
            <StageBadge stage={account.best_stage} />
          </div>
        </div>
        <div class="kpi" id="account-qualified" data-value={String(account.qualified)}>
          <div class="kpi-label">Qualified account</div>
          <div class="kpi-value kpi-small">
            <QualifiedMark qualified={account.qualified} />
          </div>
          <div class="kpi-note">account score ≥ the account threshold</div>
        </div>
        <div class="kpi">
          <div class="kpi-label">Last activity</div>
          <div class="kpi-value kpi-small">{formatAgo(account.last_seen, props.frame.now)}</div>
        </div>
      </div>
      <div class="card table-card">
        <table class="table leads" id="members">
          <thead>
            <tr>
              <th>Person</th>
              <th>Title</th>
              <th>Score</th>
              <th class="col-grade">Grade</th>
              <th class="col-temp">Temp.</th>
              <th>Stage</th>
              <th class="col-activity">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {props.members.map((m) => (
              <tr data-contact={m.id}>
                <td>
                  <a href={`/dashboard/contacts/${encodeURIComponent(m.id)}`} class="lead-name">
                    {m.name || m.email || m.id}
                  </a>
                  {m.name && m.email ? <span class="sub">{m.email}</span> : null}
                </td>
                <td>{m.title ?? <span class="muted">—</span>}</td>
                <td>
                  <ScoreBar score={m.score} />
                </td>
                <td class="col-grade">
                  <GradeBadge grade={m.grade} />
                </td>
                <td class="col-temp">
                  <TemperatureBadge temperature={m.temperature} />
                </td>
                <td class="col-stage">
                  <StageBadge stage={m.stage} />
                </td>
                <td class="col-activity">{formatAgo(m.last_seen, props.frame.now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
