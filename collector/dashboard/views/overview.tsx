/**
 * The overview for marketers: over a date range, the funnel with conversion rates and median
 * times, leads by source/campaign under a chosen attribution model, the score distribution, and
 * what people look at (channels, top pages, downloads).
 */
import type {
  AttributionModel,
  AttributionRow,
  CostReport,
  FunnelReport,
  PagesReport,
  SourcesReport,
} from '../api-types';
import { type Bar, BarChart } from '../charts/bars';
import { FunnelChart } from '../charts/funnel';
import { type Bucket, Histogram } from '../charts/histogram';
import type { Frame } from '../context';
import { formatDuration, formatNumber, formatRate } from '../format';
import { CostPanel } from './cost-panel';
import { Layout } from './layout';

export interface RangeForm {
  from: string;
  to: string;
}

const MODEL_LABELS: Record<AttributionModel, string> = {
  first_touch: 'First touch',
  last_touch: 'Last touch',
  linear: 'Linear',
};

const overviewHref = (range: RangeForm, model: AttributionModel) =>
  `/dashboard/overview?${new URLSearchParams({ from: range.from, to: range.to, model })}`;

function RangePicker(props: {
  range: RangeForm;
  model: AttributionModel;
  presets: { label: string; range: RangeForm }[];
}) {
  return (
    <form method="get" action="/dashboard/overview" class="range card">
      <label>
        From
        <input type="date" name="from" value={props.range.from} required />
      </label>
      <label>
        To
        <input type="date" name="to" value={props.range.to} required />
      </label>
      <input type="hidden" name="model" value={props.model} />
      <button type="submit" class="button primary">
        Show
      </button>
      <div class="presets">
        {props.presets.map((p) => (
          <a class="button ghost" href={overviewHref(p.range, props.model)}>
            {p.label}
          </a>
        ))}
      </div>
    </form>
  );
}

const fmtCredit = (n: number) => (Number.isInteger(n) ? formatNumber(n) : n.toFixed(2));

function attributionBars(rows: AttributionRow[]): Bar[] {
  return rows
    .filter((r) => r.leads > 0 || r.mqls > 0 || r.sqls > 0)
    .slice(0, 12)
    .map((r) => {
      const label = [`${r.source} / ${r.medium}`, r.campaign].filter(Boolean).join(' · ');
      return {
        label,
        value: r.leads,
        note: `${fmtCredit(r.mqls)} MQL · ${fmtCredit(r.sqls)} SQL`,
        title: `${label}: ${fmtCredit(r.leads)} leads, ${fmtCredit(r.mqls)} MQLs, ${fmtCredit(r.sqls)} SQLs`,
      };
    });
}

export function OverviewPage(props: {
  frame: Frame;
  range: RangeForm;
  presets: { label: string; range: RangeForm }[];
  model: AttributionModel;
  funnel: FunnelReport;
  attribution: AttributionRow[];
  cost: CostReport;
  sources: SourcesReport;
  pages: PagesReport;
  scores: Bucket[];
}) {
  const { funnel, pages, sources } = props;
  const steps = [
    { key: 'visitor', label: 'Visitors', count: funnel.counts.visitors },
    { key: 'lead', label: 'Leads', count: funnel.counts.leads, rate: funnel.rates.visitor_to_lead },
    {
      key: 'mql',
      label: 'MQLs',
      count: funnel.counts.mqls,
      rate: funnel.rates.lead_to_mql,
      median: funnel.median_ms.to_mql,
    },
    {
      key: 'sql',
      label: 'SQLs',
      count: funnel.counts.sqls,
      rate: funnel.rates.mql_to_sql,
      median: funnel.median_ms.to_sql,
    },
  ];
  return (
    <Layout title="Overview" section="overview" frame={props.frame}>
      <RangePicker range={props.range} model={props.model} presets={props.presets} />
      <div class="grid">
        <section class="card" id="funnel">
          <h2>Funnel</h2>
          <FunnelChart steps={steps} />
          <p class="stat-line">
            <span>
              Visitor → SQL <strong>{formatRate(funnel.rates.visitor_to_sql)}</strong>
            </span>
            <span>
              Median to MQL <strong>{formatDuration(funnel.median_ms.to_mql)}</strong>
            </span>
            <span>
              Median to SQL <strong>{formatDuration(funnel.median_ms.to_sql)}</strong>
            </span>
          </p>
          <p class="hint">People first seen in the range; medians count from their first visit.</p>
        </section>
        <section class="card" id="scores">
          <h2>Score distribution</h2>
          <Histogram buckets={props.scores} label="Leads by score band" />
          <p class="hint">
            Leads active in the range, by current score; dark bars are at or above the MQL threshold.
          </p>
        </section>
      </div>
      <section class="card" id="attribution">
        <h2>Leads by source and campaign</h2>
        <nav class="segmented" aria-label="Attribution model">
          {(Object.keys(MODEL_LABELS) as AttributionModel[]).map((model) => (
            <a
              href={overviewHref(props.range, model)}
              class={model === props.model ? 'active' : undefined}
              aria-current={model === props.model ? 'true' : undefined}
            >
              {MODEL_LABELS[model]}
            </a>
          ))}
        </nav>
        <BarChart
          bars={attributionBars(props.attribution)}
          label="Leads by source"
          format={fmtCredit}
          empty="No leads converted in this range."
        />
      </section>
      <CostPanel report={props.cost} />
      <div class="grid">
        <section class="card" id="channels">
          <h2>Entrances by channel</h2>
          <BarChart
            bars={sources.channels.map((c) => ({
              label: c.channel,
              value: c.entrances,
              note: `${formatNumber(c.visitors)} people`,
            }))}
            label="Entrances by channel"
          />
          <p class="stat-line">
            <span>
              Bounce rate <strong>{formatRate(pages.bounce_rate)}</strong>
            </span>
            <span>
              Sessions <strong>{formatNumber(pages.sessions)}</strong>
            </span>
            <span>
              Pricing views <strong>{formatNumber(pages.pricing.views)}</strong> by{' '}
              {formatNumber(pages.pricing.visitors)} people
            </span>
          </p>
        </section>
        <section class="card" id="pages">
          <h2>Top pages</h2>
          <BarChart
            bars={pages.top_pages.slice(0, 10).map((p) => ({
              label: p.path ?? '(unknown)',
              value: p.views,
              note: `${formatNumber(p.visitors)} people`,
            }))}
            label="Top pages by views"
          />
        </section>
        <section class="card" id="downloads">
          <h2>Downloads</h2>
          <BarChart
            bars={pages.downloads.slice(0, 10).map((d) => ({
              label: fileLabel(d.file),
              title: d.file,
              value: d.downloads,
              note: `${formatNumber(d.visitors)} people`,
            }))}
            label="Downloads by file"
            empty="No downloads in this range."
          />
        </section>
      </div>
    </Layout>
  );
}

function fileLabel(file: string): string {
  try {
    const url = new URL(file);
    return decodeURIComponent(url.pathname.split('/').filter(Boolean).at(-1) ?? file);
  } catch {
    return file;
  }
}
