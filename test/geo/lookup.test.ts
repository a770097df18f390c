/**
 * Lookups against the shipped `@ip-location-db` data: well-known addresses (IPv4 and IPv6) land
 * in their country and network, private and reserved addresses find nothing and load nothing,
 * and the config modes turn the network lookup, or all lookups, off.
 */
import { describe, expect, it } from 'vitest';
import { addressKey } from '../../collector/geo/address';
import { createGeoLookup } from '../../collector/geo/lookup';
import { findRange, parseRanges, type RangeTable } from '../../collector/geo/ranges';

const full = createGeoLookup({ mode: 'full' });

describe('lookup in the shipped data', () => {
  it.each([
    ['8.8.8.8', 'US', 15169, /google/i],
    ['2001:4860:4860::8888', 'US', 15169, /google/i],
    ['2606:4700:4700::1111', 'US', 13335, /cloudflare/i],
    ['128.32.0.1', 'US', 25, /berkeley/i],
    ['::ffff:8.8.8.8', 'US', 15169, /google/i],
  ])('%s → %s, AS%i', (ip, country, asn, org) => {
    const place = full(ip);
    expect(place?.country).toBe(country);
    expect(place?.net?.asn).toBe(asn);
    expect(place?.net?.org).toMatch(org);
  });

  it.each([
    '10.1.2.3',
    '192.168.0.10',
    '172.16.5.5',
    '127.0.0.1',
    '100.64.0.1',
    '169.254.1.1',
    '::1',
    'fd00::1',
    'fe80::1',
    '0.0.0.0',
    'not an ip',
    '',
    null,
  ])('a private, reserved or malformed address (%s) finds nothing', (ip) => {
    expect(full(ip)).toBeNull();
  });

  it('country mode looks up no network; off looks up nothing', () => {
    expect(createGeoLookup({ mode: 'country' })('8.8.8.8')).toEqual({ country: 'US', net: null });
    expect(createGeoLookup({ mode: 'off' })('8.8.8.8')).toBeNull();
  });

  it('the override table decides a network kind', () => {
    const lookup = createGeoLookup({ mode: 'full', networkKinds: { '15169': 'business' } });
    expect(lookup('8.8.8.8')?.net?.kind).toBe('business');
    expect(full('8.8.8.8')?.net?.kind).toBe('hosting');
  });
});

describe('addresses and ranges', () => {
  it('keys IPv6 by its top 64 bits and IPv4 as a number', () => {
    expect(addressKey('1.2.3.4')).toEqual({ v: 4, key: 0x01020304 });
    expect(addressKey('2001:db8:1:2:ffff::1')).toEqual({ v: 6, key: 0x20010db800010002n });
    expect(addressKey('2001:db8::')).toEqual({ v: 6, key: 0x20010db800000000n });
  });

  it('bisection agrees with a linear scan on every boundary', () => {
    const csv = '10,19,1\n20,20,2\n40,99,3\n100,4294967295,4\n';
    const table = parseRanges(csv, 4, (rest) => Number(rest)) as RangeTable<number>;
    const linear = (key: number) => {
      for (const line of csv.trim().split('\n')) {
        const [s, e, v] = line.split(',').map(Number);
        if (key >= s! && key <= e!) return v!;
      }
      return 0;
    };
    for (const key of [0, 9, 10, 15, 19, 20, 21, 39, 40, 99, 100, 2 ** 32 - 1])
      expect(findRange(table, key), String(key)).toBe(linear(key));
  });
});
