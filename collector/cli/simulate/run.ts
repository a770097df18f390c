/**
 * runSimulation: plan the visitors from the seed, send their journeys to a collector (through
 * the HTTP API, or through the real demo site in headless Chromium), then read the funnel back.
 * seedDemoData is the quiet default run that fills a fresh dashboard.
 */
import { type Funnel, fetchFunnel } from './funnel';
import { JOURNEY_KINDS, type JourneyKind } from './journeys';
import type { VisitorPlan } from './plan';
import { MAX_DAYS, planVisitors } from './planner';
import { renderVisitor } from './render';
import { createSender, type SendResult, SimulationError } from './send';

export interface SimulationOptions {
  /** The collector's base URL (it also serves the demo site). */
  url: string;
  seed?: number;
  visitors?: number;
  /** Spread the visits over this many past days (at most 7: older events are refused). */
  days?: number;
  site?: string;
  /** Origin header of the beacons; default: the collector's own origin, which the demo config allows. */
  origin?: string;
  /** A secret API key to read the funnel with; without one no funnel is read. */
  key?: string | undefined;
  /** Drive the real demo site in headless Chromium instead of posting events (real time, random ids). */
  browser?: boolean;
  /** Visitors in flight at once. */
  concurrency?: number;
  /** The reference time the past days are counted back from (default: now). */
  now?: number;
  onProgress?: (done: number, total: number, visitor: VisitorPlan) => void;
}

export interface EventCounts extends SendResult {
  sent: number;
}

export interface SimulationResult {
  mode: 'http' | 'browser';
  seed: number;
  visitors: number;
  days: number;
  journeys: Record<JourneyKind, number>;
  batches: number;
  events: EventCounts;
  funnel: Funnel | null;
  elapsedMs: number;
}

export const SIMULATION_DEFAULTS = {
  seed: 42,
  visitors: 200,
  days: 6,
  site: 'pk_demo',
  concurrency: 4,
} as const;

/** Runs `work` over the items with at most `limit` in flight, in order of start. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const started = Date.now();
  const seed = options.seed ?? SIMULATION_DEFAULTS.seed;
  const count = options.visitors ?? SIMULATION_DEFAULTS.visitors;
  const days = options.days ?? SIMULATION_DEFAULTS.days;
  const site = options.site ?? SIMULATION_DEFAULTS.site;
  if (!Number.isInteger(count) || count < 1) throw new SimulationError('visitors must be a positive integer');
  if (!(days > 0 && days <= MAX_DAYS)) {
    throw new SimulationError(`days must be more than 0 and at most ${MAX_DAYS} (older events are refused)`);
  }
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new SimulationError(`url: not a URL: ${options.url}`);
  }
  const url = base.href.replace(/\/$/, '');
  const plans = planVisitors(seed, count, days);
  const journeys = Object.fromEntries(JOURNEY_KINDS.map((kind) => [kind, 0])) as Record<JourneyKind, number>;
  for (const plan of plans) journeys[plan.kind]++;

  const events: EventCounts = { sent: 0, accepted: 0, duplicates: 0, refused: 0 };
  let batches = 0;
  let done = 0;
  const progress = (plan: VisitorPlan) => options.onProgress?.(++done, plans.length, plan);

  if (options.browser) {
    const { runInBrowser } = await import('./browser');
    const counted = await runInBrowser(plans, {
      url,
      concurrency: options.concurrency ?? 2,
      onVisitor: progress,
    });
    batches = counted.batches;
    Object.assign(events, counted.events);
  } else {
    const send = createSender({ url, origin: options.origin ?? base.origin });
    const now = options.now ?? Date.now();
    await pool(plans, options.concurrency ?? SIMULATION_DEFAULTS.concurrency, async (plan) => {
      // Sessions in order, so the collector sees each visitor's history as it happened.
      for (const batch of renderVisitor(plan, { baseUrl: url, site, now })) {
        const result = await send(batch, plan.userAgent);
        batches++;
        events.sent += batch.events.length;
        events.accepted += result.accepted;
        events.duplicates += result.duplicates;
        events.refused += result.refused;
      }
      progress(plan);
    });
  }

  const funnel = options.key ? await fetchFunnel(url, options.key) : null;
  return {
    mode: options.browser ? 'browser' : 'http',
    seed,
    visitors: count,
    days,
    journeys,
    batches,
    events,
    funnel,
    elapsedMs: Date.now() - started,
  };
}

/** The default simulation, quietly: what `npm start -- --demo-data` puts in a fresh dashboard. */
export function seedDemoData(
  url: string,
  adminKey: string,
  overrides: Partial<SimulationOptions> = {},
): Promise<SimulationResult> {
  return runSimulation({ url, key: adminKey, ...overrides });
}
