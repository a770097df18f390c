/**
 * An address as the range tables key it: IPv4 as a 32-bit number, IPv6 by its top 64 bits (the
 * published allocations are /64 or coarser, so the low half never decides a lookup). Private,
 * loopback, link-local and other non-public addresses are refused before any table is touched.
 */
import { isIPv6 } from 'node:net';

export type AddressKey = { v: 4; key: number } | { v: 6; key: bigint };

/** A dotted IPv4 address as a number, or -1: parsed by hand, it runs on every request. */
function ipv4Number(ip: string): number {
  let value = 0;
  let part = -1;
  let parts = 0;
  let digits = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i < ip.length ? ip.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      part = digits === 0 ? c - 48 : part * 10 + (c - 48);
      if (++digits > 3 || part > 255 || (digits === 2 && part < 10)) return -1; // no leading zeros
    } else if (c === 46 && digits > 0 && parts < 4) {
      value = value * 256 + part;
      parts++;
      digits = 0;
    } else return -1;
  }
  return parts === 4 ? value : -1;
}

/** The top four 16-bit groups of a valid IPv6 address (an embedded IPv4 tail only fills the low half). */
function ipv6Top(ip: string): number[] {
  const gap = ip.indexOf('::');
  const head = gap === -1 ? ip : ip.slice(0, gap);
  const groups = head ? head.split(':') : [];
  if (groups.length < 4 && gap !== -1) {
    const tail = ip.slice(gap + 2);
    const t = tail ? tail.split(':') : [];
    // An IPv4 tail takes two groups' room.
    const size = t.length > 0 && t[t.length - 1]!.includes('.') ? t.length + 1 : t.length;
    const zeros = 8 - groups.length - size;
    for (let i = 0; i < zeros; i++) groups.push('0');
    groups.push(...t);
  }
  return groups.slice(0, 4).map((g) => Number.parseInt(g, 16));
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
  const v4 = ipv4Number(ip.charCodeAt(0) === 58 && /^::ffff:/i.test(ip) ? ip.slice(7) : ip);
  if (v4 !== -1) return publicIpv4(v4) ? { v: 4, key: v4 } : null;
  const bare = ip.split('%')[0]!;
  if (!isIPv6(bare)) return null;
  const g = ipv6Top(bare);
  // Global unicast is 2000::/3; everything else (loopback, ULA fc00::/7, link-local) is not looked up.
  if ((g[0]! & 0xe000) !== 0x2000) return null;
  const key = (BigInt(g[0]!) << 48n) | (BigInt(g[1]!) << 32n) | (BigInt(g[2]!) << 16n) | BigInt(g[3]!);
  return { v: 6, key };
}
