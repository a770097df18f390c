/**
 * Where an address comes from — country, and the network's autonomous system — from the
 * `@ip-location-db` data installed by npm (no download at run time). The tables are loaded
 * lazily, once, on the first lookup of a public address, and kept as typed arrays: a collector
 * that only ever sees loopback or private addresses (tests, an intranet) never pays for them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { addressKey } from './address';
import { type NetworkKind, type NetworkOverrides, networkKind } from './network-kind';
import { findRange, parseRanges, type RangeTable } from './ranges';

/** What the collector keeps about an address (the address itself is dropped). */
export interface Place {
  country: string | null;
  net: { asn: number; org: string; kind: NetworkKind } | null;
}

/** `full`: country and network; `country`: country only; `off`: no lookup at all. */
export type GeoMode = 'full' | 'country' | 'off';

export interface GeoOptions {
  mode: GeoMode;
  networkKinds?: NetworkOverrides;
}

export type GeoLookup = (ip: string | null | undefined) => Place | null;

interface Tables {
  v4: RangeTable<number>;
  v6: RangeTable<bigint>;
  /** Value index → what it stands for (index 0 is unused: "no value"). */
  names: string[];
  /** ASN tables only: value index → AS number. */
  asns?: number[];
}

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

function loadCountries(): Tables {
  const dir = packageDir('@ip-location-db/geo-whois-asn-country');
  const names = [''];
  const index = new Map<string, number>();
  const value = (code: string) => {
    let i = index.get(code);
    if (i === undefined) {
      i = names.push(code.toUpperCase()) - 1;
      index.set(code, i);
    }
    return i;
  };
  const read = (v: 4 | 6) =>
    parseRanges(readFileSync(join(dir, `geo-whois-asn-country-ipv${v}-num.csv`), 'latin1'), v, value);
  return { v4: read(4) as RangeTable<number>, v6: read(6) as RangeTable<bigint>, names };
}

function loadNetworks(): Tables {
  const dir = packageDir('@ip-location-db/asn');
  const names = [''];
  const asns = [0];
  const index = new Map<string, number>();
  // rest is `15169,Google LLC` or `13335,"Cloudflare, Inc."`: one entry per distinct AS.
  const value = (rest: string) => {
    let i = index.get(rest);
    if (i === undefined) {
      const comma = rest.indexOf(',');
      let org = comma === -1 ? '' : rest.slice(comma + 1);
      if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replaceAll('""', '"');
      // A copy, not a slice: a slice would keep the whole file's text alive.
      i = names.push(Buffer.from(org, 'utf8').toString('utf8')) - 1;
      asns.push(Number(comma === -1 ? rest : rest.slice(0, comma)));
      index.set(rest, i);
    }
    return i;
  };
  const read = (v: 4 | 6) => parseRanges(readFileSync(join(dir, `asn-ipv${v}-num.csv`), 'utf8'), v, value);
  return { v4: read(4) as RangeTable<number>, v6: read(6) as RangeTable<bigint>, names, asns };
}

let countries: Tables | undefined;
let networks: Tables | undefined;

/** Reads the tables now rather than on the first public address (the benchmark). */
export function warmGeo(mode: GeoMode): void {
  if (mode === 'off') return;
  countries ??= loadCountries();
  if (mode === 'full') networks ??= loadNetworks();
}

export function createGeoLookup(options: GeoOptions): GeoLookup {
  const { mode } = options;
  const overrides = options.networkKinds ?? {};
  if (mode === 'off') return () => null;
  const kinds = new Map<number, NetworkKind>();
  return (ip) => {
    const address = addressKey(ip);
    if (!address) return null;
    warmGeo(mode);
    const find = (t: Tables) =>
      address.v === 4 ? findRange(t.v4, address.key) : findRange(t.v6, address.key);
    const c = find(countries!);
    let net: Place['net'] = null;
    if (mode === 'full' && networks) {
      const n = find(networks);
      const asn = networks.asns![n] ?? 0;
      if (n !== 0 && asn > 0) {
        const org = networks.names[n]!;
        let kind = kinds.get(n);
        if (kind === undefined) {
          kind = networkKind(asn, org, overrides);
          kinds.set(n, kind);
        }
        net = { asn, org, kind };
      }
    }
    const country = c === 0 ? null : countries!.names[c]!;
    return country === null && net === null ? null : { country, net };
  };
}
