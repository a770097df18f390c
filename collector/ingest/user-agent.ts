/**
 * Browser/OS/device from the User-Agent (ua-parser-js 1.x — 2.x is AGPL) and the bot verdict
 * (isbot's maintained pattern list, which also catches HeadlessChrome). Parsing costs tens of
 * microseconds, and a site's traffic repeats a few hundred UAs, so results are memoised.
 */
import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';

export interface Agent {
  browser: string | null;
  os: string | null;
  device: string | null;
  bot: boolean;
}

const cache = new Map<string, Agent>();
const CACHE_LIMIT = 2000;

export function parseUserAgent(ua: string | undefined | null): Agent {
  if (!ua) return { browser: null, os: null, device: null, bot: false };
  const hit = cache.get(ua);
  if (hit) return hit;
  const result = new UAParser(ua).getResult();
  const agent: Agent = {
    browser: result.browser.name ?? null,
    os: result.os.name ?? null,
    // ua-parser leaves `type` undefined for desktops.
    device: result.device.type ?? 'desktop',
    bot: isbot(ua),
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(ua, agent);
  return agent;
}
