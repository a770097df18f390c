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

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, number>;
  collect?: () => Promise<number | Array<[Labels, number]>> | number | Array<[Labels, number]>;
}

export class Metrics {
  private readonly families = new Map<string, Family>();

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

  /** A gauge computed when scraped (queue depths, database size). */
  gauge(name: string, help: string, collect: NonNullable<Family['collect']>): void {
    this.family(name, help, 'gauge').collect = collect;
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, family] of this.families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      if (family.collect) {
        let value: Awaited<ReturnType<NonNullable<Family['collect']>>>;
        try {
          value = await family.collect();
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
