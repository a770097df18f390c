/** Network kinds for real organisations, by AS number and by name, and the override order. */
import { describe, expect, it } from 'vitest';
import { createGeoLookup } from '../../collector/geo/lookup';
import { networkKind } from '../../collector/geo/network-kind';

describe('network kinds', () => {
  const lookup = createGeoLookup({ mode: 'full' });
  it.each([
    ['8.8.8.8', 'hosting'], // Google
    ['52.0.0.1', 'hosting'], // Amazon
    ['78.46.0.1', 'hosting'], // Hetzner
    ['24.0.0.1', 'isp'], // Comcast
    ['128.32.0.1', 'education'], // UC Berkeley
    ['17.0.0.1', 'business'], // Apple
  ])('%s is on a %s network', (ip, kind) => {
    expect(lookup(ip)?.net?.kind).toBe(kind);
  });

  it.each([
    [64500, 'Massachusetts Institute of Technology', 'education'],
    [64501, 'Ministry of Defence', 'government'],
    [64502, 'Example Cloud Hosting B.V.', 'hosting'],
    [64503, 'Vodafone Mobile Broadband', 'mobile'],
    [64504, 'Acme Widgets GmbH', 'business'],
    [64505, 'Rural Broadband Cooperative', 'isp'],
    [64506, 'ZZQ', 'isp'],
  ])('AS%i %s → %s', (asn, org, kind) => {
    expect(networkKind(asn, org)).toBe(kind);
  });

  it('an AS number override beats a name override, which beats the lists', () => {
    expect(networkKind(64504, 'Acme Widgets GmbH', { 'acme widgets gmbh': 'isp' })).toBe('isp');
    expect(networkKind(64504, 'Acme Widgets GmbH', { 'acme widgets gmbh': 'isp', '64504': 'hosting' })).toBe(
      'hosting',
    );
  });
});
