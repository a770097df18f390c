/**
 * Cost exports, recognised by their header row, and how each one's columns map onto a spend row
 * `{date, source, medium, campaign, cost, currency, impressions, clicks}`. The platforms' own
 * exports say nothing of source and medium, so each format names them: Google Ads is
 * `google / cpc`, LinkedIn Campaign Manager `linkedin / paid_social`, Meta Ads Manager
 * `facebook / paid_social`. Headers are matched case-insensitively, and report titles or date
 * lines above the header (Google Ads and LinkedIn write a few) are skipped.
 */

export const FORMATS = ['generic', 'google_ads', 'linkedin', 'meta'] as const;
export type FormatName = (typeof FORMATS)[number];

/** A row as the export gave it: each field's text (or, from JSON, a number), not yet checked. */
export interface RawSpendRow {
  date?: unknown;
  source?: unknown;
  medium?: unknown;
  campaign?: unknown;
  cost?: unknown;
  currency?: unknown;
  impressions?: unknown;
  clicks?: unknown;
  /** The last day a row covers, in exports that give one (Meta's `Reporting ends`). */
  until?: unknown;
}

export const SPEND_FIELDS = [
  'date',
  'source',
  'medium',
  'campaign',
  'cost',
  'currency',
  'impressions',
  'clicks',
  'until',
] as const;

/** How dates are written in the export (US month-first for LinkedIn). */
export type DateStyle = 'iso' | 'us' | 'google';

export interface Format {
  name: FormatName;
  dates: DateStyle;
  /** Source and medium the export implies, when it has no such columns. */
  fixed: { source?: string; medium?: string };
  /** For each field, the header names that hold it, in preference order (lowercase). */
  columns: Partial<Record<keyof RawSpendRow, readonly string[]>>;
  /** Fields the header must have for this format to be recognised. */
  required: readonly (keyof RawSpendRow)[];
  /** Fields read from the header itself, e.g. Meta's `Amount spent (EUR)`. */
  fromHeader?(header: readonly string[]): Partial<RawSpendRow>;
  /** A totals or summary line, skipped rather than refused. */
  isTotal?(row: RawSpendRow): boolean;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

const META_AMOUNT = /^amount spent \(([a-z]{3})\)$/;

export const FORMAT_LIST: readonly Format[] = [
  // First: the platforms' exports have no source column, so a file with one is generic.
  {
    name: 'generic',
    dates: 'iso',
    fixed: {},
    columns: Object.fromEntries(SPEND_FIELDS.map((f) => [f, [f]])),
    required: ['date', 'source', 'cost'],
  },
  {
    name: 'meta',
    dates: 'iso',
    fixed: { source: 'facebook', medium: 'paid_social' },
    columns: {
      date: ['day', 'reporting starts'],
      until: ['reporting ends'],
      campaign: ['campaign name'],
      cost: ['amount spent'],
      impressions: ['impressions'],
      clicks: ['link clicks', 'clicks (all)'],
    },
    required: ['date', 'campaign'],
    fromHeader(header) {
      for (const name of header) {
        const match = META_AMOUNT.exec(name);
        if (match) return { currency: match[1]!.toUpperCase() };
      }
      return {};
    },
    isTotal: (row) => text(row.campaign) === '',
  },
  {
    name: 'linkedin',
    dates: 'us',
    fixed: { source: 'linkedin', medium: 'paid_social' },
    columns: {
      date: ['start date (in utc)', 'start date'],
      campaign: ['campaign name', 'campaign'],
      cost: ['total spent', 'amount spent'],
      currency: ['currency'],
      impressions: ['impressions'],
      clicks: ['clicks'],
    },
    required: ['date', 'campaign', 'cost'],
  },
  {
    name: 'google_ads',
    dates: 'google',
    fixed: { source: 'google', medium: 'cpc' },
    columns: {
      date: ['day', 'date'],
      campaign: ['campaign'],
      cost: ['cost'],
      currency: ['currency code', 'currency'],
      impressions: ['impr.', 'impressions'],
      clicks: ['clicks'],
    },
    required: ['date', 'campaign', 'cost'],
    isTotal: (row) => /^total/i.test(text(row.date)) || /^total:/i.test(text(row.campaign)),
  },
];

export interface Layout {
  format: Format;
  /** Index of the header line in the file. */
  headerLine: number;
  /** Field → column index. */
  index: Partial<Record<keyof RawSpendRow, number>>;
  fromHeader: Partial<RawSpendRow>;
}

const HEADER_SEARCH_LINES = 20;

/** The first line among the first few that some format recognises as its header. */
export function detectLayout(lines: readonly string[][]): Layout | null {
  for (let i = 0; i < Math.min(lines.length, HEADER_SEARCH_LINES); i++) {
    const header = lines[i]!.map((h) => h.trim().toLowerCase());
    for (const format of FORMAT_LIST) {
      const index: Layout['index'] = {};
      for (const [field, names] of Object.entries(format.columns) as [keyof RawSpendRow, string[]][]) {
        for (const name of names) {
          const at =
            name === 'amount spent' && format.name === 'meta'
              ? header.findIndex((h) => META_AMOUNT.test(h))
              : header.indexOf(name);
          if (at >= 0) {
            index[field] = at;
            break;
          }
        }
      }
      const fromHeader = format.fromHeader?.(header) ?? {};
      const has = (field: keyof RawSpendRow) => index[field] !== undefined || field in fromHeader;
      if (format.required.every(has) && (format.name !== 'meta' || index.cost !== undefined)) {
        return { format, headerLine: i, index, fromHeader };
      }
    }
  }
  return null;
}

/** One data line as a raw row, with the format's fixed source/medium and header-given fields. */
export function rowOf(layout: Layout, cells: readonly string[]): RawSpendRow {
  const row: RawSpendRow = { ...layout.format.fixed, ...layout.fromHeader };
  for (const [field, at] of Object.entries(layout.index) as [keyof RawSpendRow, number][]) {
    const value = cells[at];
    if (value !== undefined && value.trim() !== '') row[field] = value;
  }
  return row;
}
