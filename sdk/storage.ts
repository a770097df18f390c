/**
 * localStorage behind functions that never throw. Blocked storage (Chrome with cookies disabled,
 * sandboxed iframes, a full quota) throws on access; a memory map stands in so the page keeps
 * working and events are still sent, for as long as the page lives.
 */
import { safe } from './safe';

const memory: Record<string, unknown> = {};

const read = safe((key: string) => JSON.parse(localStorage.getItem(key)!));

export const get = <T>(key: string): T | undefined => read(key) ?? (memory[key] as T | undefined);

export function set(key: string, value: unknown): void {
  memory[key] = value;
  safe(() => {
    localStorage.setItem(key, JSON.stringify(value));
    // Only what localStorage refused lives in memory, so another tab's writes are never shadowed.
    delete memory[key];
  })();
}
