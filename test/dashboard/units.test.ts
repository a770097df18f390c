/** The dashboard's small pure parts: event wording, session campaigns, date ranges, redirects, throttling. */
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../collector/dashboard/api-types';
import { createLoginThrottle } from '../../collector/dashboard/login-throttle';
import { safeNext } from '../../collector/dashboard/routes/auth';
import { rangeFrom } from '../../collector/dashboard/routes/overview';
import { campaignOf, describeEvent } from '../../collector/dashboard/views/event-text';

const event = (over: Partial<TimelineEvent>): TimelineEvent => ({
  id: 'e1',
  type: 'page',
  name: null,
  ts: 0,
  session: 's1',
  url: 'https://x.example/p',
  path: '/p',
  title: 'P',
  props: null,
  campaign: null,
  ...over,
});

describe('event wording', () => {
  it('names each kind of event the way a marketer would', () => {
    expect(describeEvent(event({ props: { pricing: true }, title: 'Pricing', path: '/pricing' }))).toEqual({
      kind: 'pricing',
      label: 'Pricing',
      text: 'Pricing — /pricing',
    });
    expect(
      describeEvent(
        event({ type: 'track', name: 'download', props: { url: 'https://x.example/f/guide%20v2.pdf' } }),
      ).text,
    ).toBe('guide v2.pdf');
    expect(describeEvent(event({ type: 'track', name: 'chat', props: { action: 'email' } })).text).toBe(
      'gave an email in chat',
    );
    expect(
      describeEvent(event({ type: 'track', name: 'form_submit', props: { form: 'newsletter' } })).text,
    ).toBe('submitted newsletter');
    expect(describeEvent(event({ type: 'track', name: 'demo_requested' })).kind).toBe('handraise');
    expect(describeEvent(event({ type: 'track', name: 'video_played' })).text).toBe('video played');
  });

  it('takes a session’s campaign from its first page view', () => {
    const newestFirst = [
      event({ id: 'b', type: 'track', name: 'download', campaign: null }),
      event({ id: 'a', campaign: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring' } }),
    ];
    expect(campaignOf(newestFirst)).toBe('google / cpc · spring');
    expect(campaignOf([event({ ref_kind: 'referral', ref: 'https://news.example.org/x' })])).toBe(
      'referral (news.example.org)',
    );
    expect(campaignOf([event({ ref_kind: 'direct' })])).toBeNull();
    expect(campaignOf([event({ type: 'track', name: 'chat' })])).toBeNull();
  });
});

describe('date range', () => {
  const now = Date.parse('2025-06-15T12:00:00Z');
  it('defaults to the last 30 days including today', () => {
    expect(rangeFrom({}, now)).toEqual({ from: '2025-05-17', to: '2025-06-15' });
    expect(rangeFrom({}, now, 7)).toEqual({ from: '2025-06-09', to: '2025-06-15' });
  });
  it('keeps valid days and ignores anything else', () => {
    expect(rangeFrom({ from: '2025-01-01', to: '2025-01-31' }, now)).toEqual({
      from: '2025-01-01',
      to: '2025-01-31',
    });
    expect(rangeFrom({ from: "2025-01-01' or 1=1", to: 'tomorrow' }, now)).toEqual({
      from: '2025-05-17',
      to: '2025-06-15',
    });
  });
});

describe('redirect after sign-in', () => {
  it('stays inside the dashboard', () => {
    expect(safeNext('/dashboard/contacts/abc?tl=x')).toBe('/dashboard/contacts/abc?tl=x');
    expect(safeNext('/dashboard')).toBe('/dashboard');
    for (const bad of [
      '//evil.example',
      'https://evil.example',
      '/dashboardx',
      '/api/leads',
      '/dashboard\\..\\x',
      undefined,
    ]) {
      expect(safeNext(bad)).toBe('/dashboard');
    }
  });
});

describe('login throttle', () => {
  it('blocks a client after too many failures until its window ends, and no one else', () => {
    const throttle = createLoginThrottle(3, 60_000);
    for (let i = 0; i < 3; i++) throttle.failed('1.2.3.4', 1000);
    expect(throttle.wait('1.2.3.4', 1000)).toBe(60);
    expect(throttle.wait('5.6.7.8', 1000)).toBe(0);
    expect(throttle.wait('1.2.3.4', 61_000)).toBe(0);
  });
  it('stays bounded in memory', () => {
    const throttle = createLoginThrottle(1, 60_000, 2);
    throttle.failed('a', 0);
    throttle.failed('b', 0);
    throttle.failed('c', 0);
    expect(throttle.wait('a', 0)).toBe(0); // evicted
    expect(throttle.wait('c', 0)).toBeGreaterThan(0);
  });
});
