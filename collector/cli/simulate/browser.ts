/**
 * `--browser`: the same journeys, walked through the real demo site in headless Chromium, so
 * the events are the ones the real script sends (ids, timestamps, campaign and identity all
 * come from the SDK). Runs in real time: --days does not apply, and ids are random, so a rerun
 * adds new visits instead of being deduplicated. Uses the system Chromium (CHROMIUM_PATH or
 * /usr/bin/chromium); playwright-core is loaded only in this mode.
 */
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';
import type { Person } from './people';
import type { Action, SessionPlan, VisitorPlan } from './plan';
import type { EventCounts } from './run';
import { SimulationError } from './send';
import { PAGES } from './site-map';
import { campaignQuery } from './sources';

export interface BrowserRunOptions {
  url: string;
  concurrency: number;
  onVisitor: (plan: VisitorPlan) => void;
}

const ARGS = [
  ...CHROMIUM_ARGS,
  // People's browsers do not announce automation; the crawlers are caught by their user agent.
  '--disable-blink-features=AutomationControlled',
];

export async function runInBrowser(
  plans: VisitorPlan[],
  options: BrowserRunOptions,
): Promise<{ batches: number; events: EventCounts }> {
  const { chromium } = await import('playwright-core');
  const executablePath = CHROMIUM_PATH;
  // Beacons sent while a page unloads leave with the browser's own user agent, not the context's:
  // people and crawlers each get a browser whose default agent is of their kind.
  const browsers = new Map<string, Promise<Browser>>();
  const browserFor = (plan: VisitorPlan) => {
    const kind = plan.kind === 'bot' ? 'bot' : 'person';
    let browser = browsers.get(kind);
    if (!browser) {
      const args = [...ARGS, `--user-agent=${plan.userAgent}`];
      browser = chromium.launch({ executablePath, args, headless: true }).catch((error) => {
        throw new SimulationError(`cannot start Chromium at ${executablePath}: ${(error as Error).message}`);
      });
      browsers.set(kind, browser);
    }
    return browser;
  };
  const counts = { batches: 0, events: { sent: 0, accepted: 0, duplicates: 0, refused: 0 } };
  const isBeacon = (request: Request) => request.method() === 'POST' && request.url().endsWith('/collect');
  /** Counts the tracker's batches and what the collector answered; returns a wait for those in flight. */
  const watch = (context: BrowserContext) => {
    const inFlight = new Set<Promise<void>>();
    context.on('request', (request: Request) => {
      if (!isBeacon(request)) return;
      counts.batches++;
      try {
        counts.events.sent +=
          (JSON.parse(request.postData() ?? '{}') as { events?: unknown[] }).events?.length ?? 0;
      } catch {
        // Not ours to judge: the collector answers malformed bodies itself.
      }
      const answered = request
        .response()
        .then(async (response) => {
          const body = (await response?.json()) as {
            accepted?: number;
            duplicates?: number;
            refused?: unknown[];
          } | null;
          counts.events.accepted += body?.accepted ?? 0;
          counts.events.duplicates += body?.duplicates ?? 0;
          counts.events.refused += body?.refused?.length ?? 0;
        })
        .catch(() => {
          // A refused or unanswered beacon: the tracker keeps and retries it; nothing to count here.
        })
        .finally(() => inFlight.delete(answered));
      inFlight.add(answered);
    });
    return () =>
      Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
  };
  try {
    let next = 0;
    const lanes = Array.from(
      { length: Math.max(1, Math.min(options.concurrency, plans.length)) },
      async () => {
        while (next < plans.length) {
          const plan = plans[next++]!;
          const browser = await browserFor(plan);
          const context = await browser.newContext({ userAgent: plan.userAgent, acceptDownloads: false });
          const settled = watch(context);
          try {
            for (const session of plan.sessions) await walk(context, plan, session, options.url);
            // Let the last beacons be answered before the context (and its network) goes away.
            await settled();
          } finally {
            await context.close();
          }
          options.onVisitor(plan);
        }
      },
    );
    await Promise.all(lanes);
  } finally {
    for (const browser of browsers.values()) await (await browser.catch(() => null))?.close();
  }
  return counts;
}

async function walk(context: BrowserContext, plan: VisitorPlan, session: SessionPlan, base: string) {
  const page = await context.newPage();
  let landed = false;
  for (const step of session.steps) {
    const action = step.action;
    if (action.type === 'page') {
      await open(page, base, action.page, landed ? undefined : session);
      landed = true;
    } else {
      await act(page, action, plan.person);
    }
  }
  // Hand over what the tracker still holds, as a tab being closed would.
  await page.evaluate(() => (window as unknown as { leadtrail?: (m: string) => void }).leadtrail?.('flush'));
  await page.waitForTimeout(300);
  await page.close({ runBeforeUnload: true });
}

/** Lands from the session's source, or follows a link on the current page (a real click, real referrer). */
async function open(page: Page, base: string, key: keyof typeof PAGES, landing?: SessionPlan) {
  const path = PAGES[key].path;
  if (landing) {
    const referer = landing.source.ref;
    await page.goto(`${base}${path}${campaignQuery(landing.source.campaign)}`, referer ? { referer } : {});
    return;
  }
  const link = page.locator(`a[href="${path}"]:visible`).first();
  if ((await link.count()) > 0) {
    await Promise.all([page.waitForURL(`${base}${path}`), link.click()]);
  } else {
    await page.goto(`${base}${path}`, { referer: page.url() });
  }
}

async function act(page: Page, action: Action, person: Person | undefined) {
  const who = (): Person => {
    if (!person) throw new SimulationError(`a ${action.type} step needs a person`);
    return person;
  };
  switch (action.type) {
    case 'download':
      await page.click('#whitepaper-download');
      break;
    case 'chat':
      if (action.action === 'open') await page.click('.chat-launcher');
      else {
        await page.fill('.chat-form input', action.text);
        await page.press('.chat-form input', 'Enter');
      }
      break;
    case 'form':
      if (action.form === 'newsletter') {
        await page.fill('#newsletter input[name="email"]', who().email);
        await page.click('#newsletter button[type="submit"]');
      } else {
        await fillProfile(page, 'wp', who());
        await page.click('#whitepaper-form button[type="submit"]');
      }
      break;
    case 'demo':
      await fillProfile(page, 'd', who());
      await page.fill('#d-use', action.useCase);
      await page.click('#demo-form button[type="submit"]');
      break;
    case 'page':
      break;
  }
}

async function fillProfile(page: Page, prefix: string, person: Person) {
  await page.fill(`#${prefix}-name`, person.name);
  await page.fill(`#${prefix}-email`, person.email);
  if (person.company) await page.fill(`#${prefix}-company`, person.company);
  if (person.title) await page.fill(`#${prefix}-title`, person.title);
  if (person.company_size) await page.selectOption(`#${prefix}-size`, person.company_size);
}
