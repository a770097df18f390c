/**
 * SSRF guard for webhooks: a URL that leads to loopback, a private network, link-local
 * (cloud metadata at 169.254.169.254) or another non-public range is refused unless the webhook
 * says `allow_private: true`. Checked twice: on the literal host when the config loads, and on
 * every address DNS returns when delivering — the connection then goes to exactly the address
 * that was checked, so a name cannot resolve to a public address for the check and a private
 * one for the request.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible ::a.b.c.d (deprecated, never public)
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): translates to whatever the operator chose
  ['2002::', 16], // 6to4: carries any IPv4 address, private ones included, through a relay
  ['fc00::', 7], // unique local
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** An IPv4 address hidden inside IPv6 (::ffff:10.0.0.1, ::ffff:a00:1, 64:ff9b::a00:1). */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const mapped = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/.exec(
    lower,
  );
  if (!mapped) return null;
  if (mapped[1]) return mapped[1];
  const high = Number.parseInt(mapped[2]!, 16);
  const low = Number.parseInt(mapped[3]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    return v4 ? blocked.check(v4, 'ipv4') : blocked.check(bare, 'ipv6');
  }
  return false;
}

/**
 * The check that needs no DNS: a literal private address or a localhost name. Returns why the
 * URL is refused, or null. Used when the config loads.
 */
export function privateUrlReason(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return 'is not a URL';
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return `points to ${host} (loopback); set allow_private: true to allow it`;
  }
  if (isPrivateAddress(host)) {
    return `points to ${host}, a loopback, private or link-local address; set allow_private: true to allow it`;
  }
  return null;
}

export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a loopback, private or link-local address (not allowed)`);
  }
}

/** A `lookup` for http.request that refuses to hand back a private address. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new PrivateAddressError(hostname, bad.address), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new Error(`${hostname} did not resolve`), '', 0);
    callback(null, first.address, first.family);
  });
};
