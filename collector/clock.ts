/** The one clock. Injected everywhere time matters so tests can move it (webhook backoff, decay). */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock tests can set and advance. */
export function manualClock(start = Date.now()) {
  let now = start;
  const clock = (() => now) as Clock & { set(ms: number): void; advance(ms: number): void };
  clock.set = (ms) => {
    now = ms;
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}
