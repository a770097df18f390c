// @vitest-environment happy-dom
/**
 * Page views: one on load, one per single-page-app navigation however it happens, taken once the
 * URL has settled, none for a URL already counted; title, referrer and the pricing flag;
 * sessions and campaigns.
 */
import { describe, expect, it } from 'vitest';
import { SETTLE_MS } from '../../sdk/capture/pageviews';
import { collector, leave, reload, setURL, tracker, usePage, wait } from './harness';

usePage('https://site.example/home?utm_source=linkedin&utm_campaign=q4');

const pages = () => collector.named('page');
const paths = () => pages().map((e) => new URL(e.url!).pathname + new URL(e.url!).hash);

/** A router's navigation that the visitor stays on: pushState, then the page is looked at. */
const visit = async (path: string) => {
  history.pushState({}, '', path);
  await wait(SETTLE_MS);
};

describe('page views', () => {
  it('counts the load with title, referrer and URL', async () => {
    document.title = 'Home – Northwind';
    await tracker();
    await wait(2000);
    expect(pages()).toHaveLength(1);
    expect(pages()[0]).toMatchObject({
      type: 'page',
      url: 'https://site.example/home?utm_source=linkedin&utm_campaign=q4',
      title: 'Home – Northwind',
      ref: '',
      props: { pricing: false },
    });
  });

  it('counts pushState navigations once each, with the previous URL as referrer', async () => {
    await tracker();
    await visit('/features');
    await visit('/features'); // a re-render pushing the same URL
    await visit('/pricing');
    await wait(2000);
    expect(paths()).toEqual(['/home', '/features', '/pricing']);
    expect(pages()[1]!.ref).toBe('https://site.example/home?utm_source=linkedin&utm_campaign=q4');
    expect(pages()[2]!.ref).toBe('https://site.example/features');
  });

  it('ignores a replaceState that keeps the path, counts one that changes it', async () => {
    await tracker();
    history.replaceState({}, '', '/home'); // a router stripping the utm parameters
    await wait(SETTLE_MS);
    history.replaceState({}, '', '/home?tab=2');
    await wait(SETTLE_MS);
    history.replaceState({}, '', '/welcome'); // a redirect
    await wait(SETTLE_MS + 2000);
    expect(paths()).toEqual(['/home', '/welcome']);
    // Its referrer is the URL the visitor was on, the query rewrites included.
    expect(pages()[1]!.ref).toBe('https://site.example/home?tab=2');
  });

  it('counts back/forward (popstate) and hash navigation once each', async () => {
    await tracker();
    await visit('/docs');
    // Back: the browser changes the URL, then fires popstate.
    setURL('https://site.example/home');
    window.dispatchEvent(new PopStateEvent('popstate'));
    await wait(SETTLE_MS);
    // A hash link fires popstate and hashchange for one navigation.
    setURL('https://site.example/home#/settings');
    window.dispatchEvent(new PopStateEvent('popstate'));
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await wait(2000);
    expect(paths()).toEqual(['/home', '/docs', '/home', '/home#/settings']);
  });

  it('still calls through to the real history methods', async () => {
    await tracker();
    history.pushState({ n: 1 }, '', '/a');
    expect(location.pathname).toBe('/a');
    expect(history.state).toEqual({ n: 1 });
  });
});

describe('settled navigation', () => {
  it('waits for the URL to settle, and takes the title the router sets after pushState', async () => {
    document.title = 'Home';
    await tracker();
    history.pushState({}, '', '/docs');
    await wait(20); // the router renders the new route, then sets its title
    document.title = 'Docs';
    await wait(SETTLE_MS - 21);
    expect(collector.events().filter((e) => e.url?.endsWith('/docs'))).toEqual([]);
    await wait(1 + 2000);
    expect(pages().map((e) => [new URL(e.url!).pathname, e.title])).toEqual([
      ['/home', 'Home'],
      ['/docs', 'Docs'],
    ]);
  });

  it('counts a redirect chain (pushState, then replaceState a few ms later) as one view of the final URL', async () => {
    await tracker();
    await visit('/blog');
    history.pushState({}, '', '/old-pricing');
    await wait(5);
    history.replaceState({}, '', '/pricing/legacy');
    await wait(30);
    history.replaceState({}, '', '/pricing'); // a second hop
    await wait(SETTLE_MS + 2000);
    expect(paths()).toEqual(['/home', '/blog', '/pricing']);
    // The referrer is the page before the hops, as for an HTTP redirect.
    expect(pages()[2]!.ref).toBe('https://site.example/blog');
    expect(pages()[2]!.props).toEqual({ pricing: true });
  });

  it('takes a pending view when the page is hidden or left during the settle window', async () => {
    await tracker();
    await wait(2000);
    document.title = 'Contact';
    history.pushState({}, '', '/contact');
    await wait(50);
    leave();
    // Sent by the pagehide flush, at once: nothing waits for a timer that will never fire.
    expect(collector.sent.at(-1)!.batch.events.map((e) => e.title)).toEqual(['Contact']);
    expect(paths()).toEqual(['/home', '/contact']);
    expect(pages()[1]!.title).toBe('Contact');
    await wait(SETTLE_MS + 2000);
    expect(paths()).toEqual(['/home', '/contact']); // and not a second time when the timer would have run

    history.pushState({}, '', '/about');
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.defineProperty(document, 'hidden', { value: false, configurable: true });
    expect(paths()).toEqual(['/home', '/contact', '/about']);
  });

  it('gives a visitor clicking quickly one view per page they stayed on, none for pages skipped', async () => {
    await tracker();
    history.pushState({}, '', '/a'); // passed through
    await wait(SETTLE_MS / 4);
    history.pushState({}, '', '/b'); // seen
    await wait(SETTLE_MS);
    history.pushState({}, '', '/c'); // passed through
    await wait(SETTLE_MS - 1);
    history.pushState({}, '', '/d'); // seen
    await wait(SETTLE_MS);
    history.pushState({}, '', '/e'); // seen
    await wait(SETTLE_MS + 2000);
    expect(paths()).toEqual(['/home', '/b', '/d', '/e']);
    expect(pages().map((e) => e.ref && new URL(e.ref).pathname)).toEqual(['', '/home', '/b', '/d']);
  });

  it('adds no view, and does not hold one back, for re-renders that push the URL already there', async () => {
    await tracker();
    history.pushState({}, '', '/live');
    // A component re-rendering every 100 ms writes the same URL again: the view still settles.
    for (let i = 0; i < 10; i++) {
      await wait(100);
      history.replaceState({ tick: i }, '', '/live');
    }
    await wait(2000);
    expect(paths()).toEqual(['/home', '/live']);
    expect(pages()[1]!.ts - pages()[0]!.ts).toBe(SETTLE_MS);
  });

  it('counts nothing for a round trip back to the counted URL within the settle window', async () => {
    await tracker();
    history.pushState({}, '', '/oops');
    await wait(10);
    setURL('https://site.example/home?utm_source=linkedin&utm_campaign=q4'); // back
    window.dispatchEvent(new PopStateEvent('popstate'));
    await wait(SETTLE_MS + 2000);
    expect(paths()).toEqual(['/home']);
  });
});

describe('pricing pages', () => {
  it('use the flag of the wire format', async () => {
    const { PRICING_FLAG } = await import('../../shared/events');
    await tracker();
    history.pushState({}, '', '/pricing');
    await wait(2000);
    expect(pages()[1]!.props).toEqual({ [PRICING_FLAG]: true });
  });

  it('flags /pricing* by default', async () => {
    await tracker();
    for (const path of ['/pricing', '/pricing/teams', '/pricing-2024', '/plans', '/blog/pricing'])
      await visit(path);
    await wait(2000);
    expect(pages().map((e) => [new URL(e.url!).pathname, e.props!.pricing])).toEqual([
      ['/home', false],
      ['/pricing', true],
      ['/pricing/teams', true],
      ['/pricing-2024', true],
      ['/plans', false],
      ['/blog/pricing', false],
    ]);
  });

  it('uses the patterns given (data-pricing)', async () => {
    await tracker({ pricing: '/plans*, /buy' });
    for (const path of ['/plans/pro', '/buy', '/buy/now', '/pricing']) await visit(path);
    await wait(2000);
    expect(pages().map((e) => e.props!.pricing)).toEqual([false, true, true, false, false]);
  });
});

describe('sessions and campaigns', () => {
  it('keeps one session while active, starts a new one after 30 idle minutes', async () => {
    const t = await tracker();
    await wait(29 * 60_000);
    t.track('still_here');
    await wait(31 * 60_000);
    t.track('back_later');
    await wait(2000);
    const [load, still, back] = collector.events();
    expect(still!.session).toBe(load!.session);
    expect(back!.session).not.toBe(load!.session);
    expect(back!.anon).toBe(load!.anon);
  });

  it('starts a new session when a page brings a new campaign, not for the same one', async () => {
    await tracker();
    await visit('/blog?utm_source=linkedin&utm_campaign=q4');
    await visit('/features');
    await visit('/pricing?gclid=abc123');
    await wait(2000);
    const sessions = pages().map((e) => e.session);
    expect(sessions[1]).toBe(sessions[0]);
    expect(sessions[2]).toBe(sessions[0]);
    expect(sessions[3]).not.toBe(sessions[0]);
  });

  it('keeps the first touch (landing URL and referrer) for good', async () => {
    await tracker();
    await wait(2000);
    setURL('https://site.example/later?utm_source=newsletter');
    await reload();
    await wait(2000);
    const visitor = JSON.parse(localStorage.getItem('_lt')!);
    expect(visitor.f).toMatchObject({
      url: 'https://site.example/home?utm_source=linkedin&utm_campaign=q4',
      referrer: '',
    });
    // The last touch is the current session's campaign.
    expect(visitor.c).toBe('?utm_source=newsletter');
  });

  it('detects every campaign parameter of the wire format', async () => {
    const { CAMPAIGN_KEYS } = await import('../../shared/events');
    const { campaignOf } = await import('../../sdk/campaign');
    for (const key of CAMPAIGN_KEYS) {
      setURL(`https://site.example/?x=1&${key}=v`);
      expect(campaignOf(), key).toBe(`&${key}=v`);
    }
    setURL('https://site.example/?x=1&utm_source=');
    expect(campaignOf()).toBe('');
  });
});
