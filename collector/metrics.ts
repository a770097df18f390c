/**
 * A small Prometheus registry: counters with labels and gauges read at scrape time. Enough
 * for `/metrics` without pulling a client library into the hot path.
 */
type Labels = Record<string, string>;

const labelKey = (labels: Labels): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, '_')}"`)
    .join(',');

type Sample = number | Array<[Labels, number]>;

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, number>;
  collect?: () => Promise<Sample> | Sample;
  /** Gauges that query the database keep their answer this long (ms), see gauge(). */
  cacheMs?: number;
  cached?: { at: number; value: Promise<Sample> };
}

export class Metrics {
  private readonly families = new Map<string, Family>();

  /**
   * `now` is a monotonic clock for the gauge cache (operational time, not the services clock
   * that tests stop); `cacheMs` is how long a cached gauge's answer is reused.
   */
  constructor(
    private readonly cacheMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private family(name: string, help: string, type: Family['type']): Family {
    let family = this.families.get(name);
    if (!family) {
      family = { help, type, values: new Map() };
      this.families.set(name, family);
    }
    return family;
  }

  /** Adds to a counter (created on first use). */
  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const family = this.family(name, help, 'counter');
    const key = labelKey(labels);
    family.values.set(key, (family.values.get(key) ?? 0) + by);
  }

  /** Reads a counter's current value (tests, health). */
  get(name: string, labels: Labels = {}): number {
    return this.families.get(name)?.values.get(labelKey(labels)) ?? 0;
  }

  /**
   * A gauge computed when scraped (queue depths, database size). With `cached`, its answer is
   * reused for the registry's cache time: a query over a large table (a GROUP BY over contacts)
   * then runs at most once per few seconds however often, and by however many, it is scraped;
   * scrapes that arrive while it runs share the one query.
   */
  gauge(
    name: string,
    help: string,
    collect: NonNullable<Family['collect']>,
    options: { cached?: boolean } = {},
  ): void {
    const family = this.family(name, help, 'gauge');
    family.collect = collect;
    if (options.cached) family.cacheMs = this.cacheMs;
  }

  private sample(family: Family & { collect: NonNullable<Family['collect']> }): Promise<Sample> {
    if (!family.cacheMs) return Promise.resolve(family.collect());
    const now = this.now();
    if (family.cached && now - family.cached.at < family.cacheMs) return family.cached.value;
    const value = Promise.resolve().then(() => family.collect());
    family.cached = { at: now, value };
    // A failed query is not remembered: the next scrape asks again.
    value.catch(() => {
      if (family.cached?.value === value) family.cached = undefined;
    });
    return value;
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, family] of this.families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      if (family.collect) {
        let value: Sample;
        try {
          value = await this.sample(family as Family & { collect: NonNullable<Family['collect']> });
        } catch {
          continue;
        }
        if (typeof value === 'number') lines.push(`${name} ${value}`);
        else for (const [labels, v] of value) lines.push(`${name}{${labelKey(labels)}} ${v}`);
        continue;
      }
      for (const [key, value] of family.values)
        lines.push(key ? `${name}{${key}} ${value}` : `${name} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
