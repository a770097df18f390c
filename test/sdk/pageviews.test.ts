// @vitest-environment happy-dom
/**
 * Page views: one on load, one per single-page-app navigation however it happens, none for a
 * URL already counted; title, referrer and the pricing flag; sessions and campaigns.
 */
import { describe, expect, it } from 'vitest';
import { collector, reload, setURL, tracker, usePage, wait } from './harness';

usePage('https://site.example/home?utm_source=linkedin&utm_campaign=q4');

const pages = () => collector.named('page');
const paths = () => pages().map((e) => new URL(e.url!).pathname + new URL(e.url!).hash);

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
    history.pushState({}, '', '/features');
    history.pushState({}, '', '/features'); // a re-render pushing the same URL
    history.pushState({}, '', '/pricing');
    await wait(2000);
    expect(paths()).toEqual(['/home', '/features', '/pricing']);
    expect(pages()[1]!.ref).toBe('https://site.example/home?utm_source=linkedin&utm_campaign=q4');
    expect(pages()[2]!.ref).toBe('https://site.example/features');
  });

  it('ignores a replaceState that keeps the path, counts one that changes it', async () => {
    await tracker();
    history.replaceState({}, '', '/home'); // a router stripping the utm parameters
    history.replaceState({}, '', '/home?tab=2');
    history.replaceState({}, '', '/welcome'); // a redirect
    await wait(2000);
    expect(paths()).toEqual(['/home', '/welcome']);
  });

  it('counts back/forward (popstate) and hash navigation once each', async () => {
    await tracker();
    history.pushState({}, '', '/docs');
    // Back: the browser changes the URL, then fires popstate.
    setURL('https://site.example/home');
    window.dispatchEvent(new PopStateEvent('popstate'));
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
      history.pushState({}, '', path);
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
    for (const path of ['/plans/pro', '/buy', '/buy/now', '/pricing']) history.pushState({}, '', path);
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
    history.pushState({}, '', '/blog?utm_source=linkedin&utm_campaign=q4');
    history.pushState({}, '', '/features');
    history.pushState({}, '', '/pricing?gclid=abc123');
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
