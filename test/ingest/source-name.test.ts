/** One name per network, whatever the referrer host or UTM spelling; the medium tells organic from paid. */
import { describe, expect, it } from 'vitest';
import { mediumName, nameTouch, sourceName, storedName } from '../../collector/ingest/source-name';

describe('source names', () => {
  it.each([
    ['www.google.com', 'google'],
    ['https://www.google.co.uk/search?q=x', 'google'],
    ['google.de', 'google'],
    ['Google', 'google'],
    [' GoogleAds ', 'google'],
    ['www.bing.com', 'bing'],
    ['l.facebook.com', 'facebook'],
    ['m.facebook.com', 'facebook'],
    ['fb', 'facebook'],
    ['www.linkedin.com', 'linkedin'],
    ['lnkd.in', 'linkedin'],
    ['LinkedIn', 'linkedin'],
    ['t.co', 'twitter'],
    ['x.com', 'twitter'],
    ['news.ycombinator.com', 'hacker_news'],
    ['blog.example.org', 'blog.example.org'],
    ['newsletter', 'newsletter'],
  ])('%s → %s', (raw, name) => {
    expect(sourceName(raw)).toBe(name);
    // Idempotent: a stored name reads the same.
    expect(sourceName(name)).toBe(name);
  });

  it('mediums: one spelling each, paid by network', () => {
    expect(mediumName('PPC', 'google')).toBe('cpc');
    expect(mediumName('paid', 'google')).toBe('cpc');
    expect(mediumName('paid', 'linkedin')).toBe('paid_social');
    expect(mediumName('Paid-Social', 'facebook')).toBe('paid_social');
    expect(mediumName('search', 'google')).toBe('organic');
    expect(mediumName('social', 'linkedin')).toBe('social');
  });

  it('names a visit from its referrer, click id or UTM values', () => {
    const base = { utmSource: null, utmMedium: null, utmCampaign: null, refHost: null, clickIds: null };
    expect(nameTouch({ ...base, refHost: 'www.google.com', kind: 'search' })).toEqual({
      source: 'google',
      medium: 'organic',
      campaign: null,
    });
    expect(nameTouch({ ...base, refHost: 'www.google.com', kind: 'paid', clickIds: { gclid: 'x' } })).toEqual(
      {
        source: 'google',
        medium: 'cpc',
        campaign: null,
      },
    );
    expect(nameTouch({ ...base, kind: 'paid', clickIds: { li_fat_id: 'x' } })).toMatchObject({
      source: 'linkedin',
      medium: 'paid_social',
    });
    expect(
      nameTouch({
        ...base,
        utmSource: 'LinkedIn',
        utmMedium: 'Paid Social',
        utmCampaign: ' Spring  Launch ',
        kind: 'paid',
      }),
    ).toEqual({ source: 'linkedin', medium: 'paid_social', campaign: 'spring launch' });
    expect(nameTouch({ ...base, kind: 'direct' })).toEqual({
      source: '(direct)',
      medium: '(none)',
      campaign: null,
    });
  });

  it('reads old stored names in today’s vocabulary', () => {
    expect(storedName('www.google.com', 'search')).toEqual({ source: 'google', medium: 'organic' });
    expect(storedName('www.linkedin.com', 'social')).toEqual({ source: 'linkedin', medium: 'social' });
    expect(storedName('(direct)', '(none)')).toEqual({ source: '(direct)', medium: '(none)' });
    expect(storedName(null, null)).toEqual({ source: null, medium: null });
  });
});
