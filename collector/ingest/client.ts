/**
 * Who sent this request: the socket's address, or — behind proxies you run (`trust_proxy`) —
 * the address the nearest untrusted hop saw. X-Forwarded-For is read from the right: each
 * proxy appends the address it received from, so only the right-most entries were written by
 * proxies; the left-most is whatever the client chose to send.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { isInternalAddress, normaliseAddress } from './addresses';

export interface ProxySettings {
  trustProxy: boolean;
  /** Exactly this many proxies in front: the client is the entry this many hops from the socket. */
  proxyHops?: number | undefined;
}

/** At most this many X-Forwarded-For entries are looked at (from the right). */
const MAX_HOPS = 20;

function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // app.request() in tests has no socket.
    return null;
  }
}

export function clientIp(c: Context, proxy: ProxySettings): string | null {
  const socket = socketAddress(c);
  if (!proxy.trustProxy) return socket;
  const header = c.req.header('x-forwarded-for') ?? '';
  // Nearest first: the socket (our proxy), then X-Forwarded-For from right to left. A malformed
  // entry is null and ends the chain: what lies beyond it cannot be trusted to be an address.
  const chain = [socket, ...header.split(',').slice(-MAX_HOPS).reverse()].map((entry) =>
    entry ? normaliseAddress(entry) : null,
  );
  const end = chain.indexOf(null, 1);
  const usable = end < 0 ? chain : chain.slice(0, end);
  if (proxy.proxyHops !== undefined) return usable[Math.min(proxy.proxyHops, usable.length - 1)] ?? socket;
  // Without a hop count: the socket is our proxy; walk on past loopback and private addresses
  // (more proxies of ours) and stop at the first that is not one — the right-most untrusted entry.
  let i = Math.min(1, usable.length - 1);
  while (i + 1 < usable.length && isInternalAddress(usable[i]!)) i++;
  return usable[i] ?? socket;
}

/**
 * The key a client is limited by: its IPv4 address, or its IPv6 /64 (one subscriber's network;
 * a single host can take any of its 2^64 addresses, so a limit per address would not hold).
 */
export function clientKey(ip: string | null): string | null {
  if (!ip) return null;
  const address = normaliseAddress(ip);
  if (address === null || !address.includes(':')) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, '').toLowerCase());
}
