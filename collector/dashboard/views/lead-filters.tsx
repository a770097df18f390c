/**
 * The feed's filter form: the same parameters as `GET /api/leads`, as a plain GET form so a
 * filtered feed is a link you can bookmark or send to a colleague.
 */
import { STAGES } from '../../../shared/stages';
import { STAGE_LABELS } from './badges';

export const FILTER_NAMES = [
  'q',
  'stage',
  'min_score',
  'grade',
  'temperature',
  'account',
  'source',
  'campaign',
  'owner',
  'sort',
  'order',
] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type Filters = Partial<Record<FilterName, string>>;

export const SORTS = [
  { value: 'score', label: 'Score' },
  { value: 'last_activity', label: 'Last activity' },
  { value: 'stage_changed', label: 'Stage change' },
];

/** Keeps the known filters that have a value; everything else in the query string is ignored. */
export function filtersFrom(query: Record<string, string | undefined>): Filters {
  const filters: Filters = {};
  for (const name of FILTER_NAMES) {
    const value = query[name]?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

function Select(props: {
  name: FilterName;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
  any?: string;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select name={props.name}>
        {props.any ? <option value="">{props.any}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function Text(props: {
  name: FilterName;
  label: string;
  value?: string;
  placeholder?: string;
  type?: string;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        name={props.name}
        value={props.value ?? ''}
        placeholder={props.placeholder}
        type={props.type ?? 'text'}
        inputmode={props.type === 'number' ? 'numeric' : undefined}
      />
    </label>
  );
}

/** Filters most people rarely touch; folded away unless one of them is in use. */
const SECONDARY: FilterName[] = [
  'min_score',
  'grade',
  'temperature',
  'account',
  'source',
  'campaign',
  'owner',
];

export function LeadFilters(props: { filters: Filters }) {
  const f = props.filters;
  const active = SECONDARY.filter((name) => f[name] !== undefined).length;
  return (
    <form method="get" action="/dashboard" class="filters card">
      <label class="field field-wide">
        <span>Search</span>
        <input name="q" value={f.q ?? ''} placeholder="Name, email or company" type="search" />
      </label>
      <Select
        name="stage"
        label="Stage"
        value={f.stage}
        any="All leads"
        options={STAGES.filter((s) => s !== 'visitor').map((s) => ({ value: s, label: STAGE_LABELS[s] }))}
      />
      <Select name="sort" label="Sort by" value={f.sort ?? 'score'} options={SORTS} />
      <div class="filter-actions">
        <button type="submit" class="button primary">
          Apply
        </button>
        <a href="/dashboard" class="button ghost">
          Reset
        </a>
      </div>
      <details class="more-filters" open={active > 0}>
        <summary>More filters{active > 0 ? ` (${active} in use)` : ''}</summary>
        <div class="more-grid">
          <Text name="min_score" label="Min score" value={f.min_score} type="number" placeholder="0" />
          <Select
            name="grade"
            label="Grade"
            value={f.grade}
            any="Any"
            options={['A', 'B', 'C', 'D'].map((g) => ({ value: g, label: g }))}
          />
          <Select
            name="temperature"
            label="Temperature"
            value={f.temperature}
            any="Any"
            options={['hot', 'warm', 'cold'].map((t) => ({ value: t, label: t }))}
          />
          <Text name="account" label="Account" value={f.account} placeholder="acme.com" />
          <Text name="source" label="Source" value={f.source} placeholder="google" />
          <Text name="campaign" label="Campaign" value={f.campaign} />
          <Text name="owner" label="Owner" value={f.owner} placeholder="owner id, or none" />
        </div>
      </details>
    </form>
  );
}
