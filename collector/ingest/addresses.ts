/** IP address text: normalised, and classified as internal (a proxy of ours) or not. */
import { isIP } from 'node:net';

/** A plain address from a header entry or socket: `::ffff:a.b.c.d` as IPv4, brackets and ports removed; null if not an address. */
export function normaliseAddress(entry: string): string | null {
  let value = entry.trim();
  if (value.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const lower = value.toLowerCase();
  if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return lower.slice(7);
  return isIP(lower) ? lower : null;
}

/** Loopback, private (RFC 1918), link-local, CGNAT and IPv6 unique-local: where our own proxies live. */
export function isInternalAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  return address === '::1' || /^f[cd][0-9a-f]{2}:/.test(address) || /^fe[89ab][0-9a-f]:/.test(address);
}
