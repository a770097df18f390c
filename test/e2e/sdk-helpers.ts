/**
 * Shared by the SDK's browser tests: the real collector and the fixture site wired together
 * (the collector allows the fixture origin), and the database reads the tests assert on.
 */
import type { Page } from 'playwright-core';
import { startCollector, type TestCollector, type TestCollectorOptions } from '../helpers/server';
import { type FixtureServer, startFixtures } from './fixtures/server';

export interface Stage {
  collector: TestCollector;
  fixtures: FixtureServer;
  /** A fixture page's URL. */
  url(path: string): string;
  close(): Promise<void>;
}

/** `bundles`: scripts the fixture site serves as /bundles/<name>.js (and the router apps it hosts). */
export async function startStage(
  options: TestCollectorOptions = {},
  bundles: Record<string, string> = {},
): Promise<Stage> {
  let collector: TestCollector | undefined;
  const fixtures = await startFixtures(() => collector!.url, undefined, bundles);
  collector = await startCollector({ ...options, origins: [fixtures.origin] });
  return {
    collector,
    fixtures,
    url: (path) => `${fixtures.origin}${path}`,
    async close() {
      await collector?.close();
      await fixtures.close();
    },
  };
}

/** Polls until `check` returns something other than undefined, or fails after `ms`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

type Leadtrail = (method: string, ...args: unknown[]) => void;

/** Calls the page's `leadtrail` global (waiting for lt.js to have replaced the stub). */
export async function leadtrail(page: Page, method: string, ...args: unknown[]): Promise<void> {
  await page.waitForFunction(
    () => typeof (window as unknown as { leadtrail?: { track?: unknown } }).leadtrail?.track === 'function',
  );
  await page.evaluate(
    ([m, a]) => (window as unknown as { leadtrail: Leadtrail }).leadtrail(m as string, ...(a as unknown[])),
    [method, args] as const,
  );
}

/** The anonymous id lt.js gave this browser (from its localStorage record). */
export const anonOf = (page: Page): Promise<string> =>
  page.evaluate(() => JSON.parse(localStorage.getItem('_lt') ?? '{}').a as string);

export interface Row {
  id: string;
  type: string;
  name: string | null;
  path: string | null;
  url: string | null;
  ref: string | null;
  title: string | null;
  props: string | null;
  traits: string | null;
  bot: number;
  contact_id: string | null;
  session: string | null;
}

/** Stored events of one anonymous visitor, in arrival order. */
export const eventsOf = (collector: TestCollector, anon: string): Promise<Row[]> =>
  collector.services.db
    .selectFrom('events')
    .select([
      'id',
      'type',
      'name',
      'path',
      'url',
      'ref',
      'title',
      'props',
      'traits',
      'bot',
      'contact_id',
      'session',
    ])
    .where('anon', '=', anon)
    .orderBy('seq')
    .execute() as Promise<Row[]>;
