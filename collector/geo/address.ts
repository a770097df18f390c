/**
 * An address as the range tables key it: IPv4 as a 32-bit number, IPv6 by its top 64 bits (the
 * published allocations are /64 or coarser, so the low half never decides a lookup). Private,
 * loopback, link-local and other non-public addresses are refused before any table is touched.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type AddressKey = { v: 4; key: number } | { v: 6; key: bigint };

function ipv4Number(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) << 24) >>> 0) + (Number(p[1]) << 16) + (Number(p[2]) << 8) + Number(p[3]);
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail is expanded). */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = ipv4Number(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => Number.parseInt(g, 16));
}

function publicIpv4(n: number): boolean {
  const a = n >>> 24;
  const b = (n >>> 16) & 0xff;
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b < 128) return false; // carrier-grade NAT
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b < 32) return false;
  if (a === 192 && b === 168) return false;
  return true;
}

/** The key of a public address, or null for anything private, reserved or malformed. */
export function addressKey(ip: string | null | undefined): AddressKey | null {
  if (!ip || ip.length > 64) return null;
  const mapped = ip.toLowerCase().startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (isIPv4(mapped)) {
    const key = ipv4Number(mapped);
    return publicIpv4(key) ? { v: 4, key } : null;
  }
  if (!isIPv6(mapped)) return null;
  const g = ipv6Groups(mapped.split('%')[0]!);
  // Global unicast is 2000::/3; everything else (loopback, ULA fc00::/7, link-local) is not looked up.
  if ((g[0]! & 0xe000) !== 0x2000) return null;
  const key = (BigInt(g[0]!) << 48n) | (BigInt(g[1]!) << 32n) | (BigInt(g[2]!) << 16n) | BigInt(g[3]!);
  return { v: 6, key };
}
