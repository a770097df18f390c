/**
 * IP addresses are truncated before anything else sees them (IPv4 to /24, IPv6 to /48) and the
 * whole address is never stored: enough for a coarse location, not enough to single anyone out.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function truncateIp(ip: string | undefined | null): string | null {
  if (!ip) return null;
  const mapped = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(mapped)) {
    const parts = mapped.split('.');
    return `${parts[0]}.${parts[1]}.${parts[2]}.0`;
  }
  if (isIPv6(mapped)) {
    const [head = ''] = mapped.split('::');
    const groups = head.split(':').filter(Boolean).slice(0, 3);
    while (groups.length < 3) groups.push('0');
    return `${groups.join(':')}::`;
  }
  return null;
}
