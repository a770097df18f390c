/**
 * The cost panel of the overview: spend and what each lead, MQL, SQL and customer cost, by
 * source / medium / campaign under the overview's attribution model, with the spend no visit
 * matched listed beneath. `∞` is spend with none of that conversion; `—` is no spend recorded.
 */
import type { CostReport } from '../api-types';
import { formatNumber, formatRate } from '../format';

type CostRow = CostReport['rows'][number];
type CostKey = 'cost_per_lead' | 'cost_per_mql' | 'cost_per_sql' | 'cost_per_customer';

const money = (n: number) => n.toFixed(2);
const credit = (n: number) => (Number.isInteger(n) ? formatNumber(n) : n.toFixed(2));

function cost(row: Pick<CostRow, CostKey | 'infinite'>, key: CostKey) {
  if (row.infinite.includes(key)) return <span title="spend and none of these: infinite cost">∞</span>;
  const value = row[key];
  return value === null ? '—' : money(value);
}

export function CostPanel(props: { report: CostReport }) {
  const { report } = props;
  const { totals } = report;
  return (
    <section class="card" id="cost">
      <h2>What a lead costs ({report.currency})</h2>
      {report.rows.length === 0 ? (
        <p class="hint">
          No spend and no conversions in this range. Import spend with <code>npm run spend -- import</code> or{' '}
          <code>POST /api/spend</code>.
        </p>
      ) : (
        <div class="table-scroll">
          <table class="table" id="cost-table">
            <thead>
              <tr>
                <th>Source / medium / campaign</th>
                <th class="num">Spend</th>
                <th class="num">Clicks</th>
                <th class="num">CTR</th>
                <th class="num">Leads</th>
                <th class="num">MQLs</th>
                <th class="num">SQLs</th>
                <th class="num">Customers</th>
                <th class="num">Per lead</th>
                <th class="num">Per MQL</th>
                <th class="num">Per SQL</th>
                <th class="num">Per customer</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr>
                  <td>{[r.source, r.medium, r.campaign ?? '(none)'].join(' / ')}</td>
                  <td class="num">{money(r.spend)}</td>
                  <td class="num">{r.clicks === null ? '—' : formatNumber(r.clicks)}</td>
                  <td class="num">{formatRate(r.ctr)}</td>
                  <td class="num">{credit(r.leads)}</td>
                  <td class="num">{credit(r.mqls)}</td>
                  <td class="num">{credit(r.sqls)}</td>
                  <td class="num">{credit(r.customers)}</td>
                  <td class="num">{cost(r, 'cost_per_lead')}</td>
                  <td class="num">{cost(r, 'cost_per_mql')}</td>
                  <td class="num">{cost(r, 'cost_per_sql')}</td>
                  <td class="num">{cost(r, 'cost_per_customer')}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th>All</th>
                <th class="num">{money(totals.spend)}</th>
                <th class="num">{totals.clicks === null ? '—' : formatNumber(totals.clicks)}</th>
                <th class="num">{formatRate(totals.ctr)}</th>
                <th class="num">{credit(totals.leads)}</th>
                <th class="num">{credit(totals.mqls)}</th>
                <th class="num">{credit(totals.sqls)}</th>
                <th class="num">{credit(totals.customers)}</th>
                <th class="num">{cost(totals, 'cost_per_lead')}</th>
                <th class="num">{cost(totals, 'cost_per_mql')}</th>
                <th class="num">{cost(totals, 'cost_per_sql')}</th>
                <th class="num">{cost(totals, 'cost_per_customer')}</th>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {report.unmatched.length > 0 ? (
        <p class="hint" id="unmatched-spend">
          Spend no visit in the range matches (check the UTM tags): {money(totals.unmatched_spend)} —{' '}
          {report.unmatched
            .map((u) => `${[u.source, u.medium, u.campaign ?? '(none)'].join(' / ')} ${money(u.spend)}`)
            .join('; ')}
          .
        </p>
      ) : null}
      <p class="hint">
        Customers are first moves to the customer stage. Revenue, ROAS and lifetime value appear once deal
        amounts are imported.
      </p>
    </section>
  );
}
