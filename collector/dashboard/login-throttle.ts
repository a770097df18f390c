/**
 * Failed sign-ins per client IP in a fixed window: after too many, further attempts are refused
 * until the window ends, so a key or password cannot be guessed at speed. Successful sign-ins
 * cost nothing. In memory and bounded (the oldest entries go first).
 */
export interface LoginThrottle {
  /** Seconds until this client may try again; 0 when it may try now. */
  wait(client: string, now: number): number;
  failed(client: string, now: number): void;
}

export function createLoginThrottle(
  maxFailures = 10,
  windowMs = 10 * 60_000,
  maxClients = 10_000,
): LoginThrottle {
  const windows = new Map<string, { start: number; failures: number }>();
  const current = (client: string, now: number) => {
    const entry = windows.get(client);
    return entry && now - entry.start < windowMs ? entry : undefined;
  };
  return {
    wait(client, now) {
      const entry = current(client, now);
      if (!entry || entry.failures < maxFailures) return 0;
      return Math.max(1, Math.ceil((entry.start + windowMs - now) / 1000));
    },
    failed(client, now) {
      const entry = current(client, now);
      if (entry) {
        entry.failures++;
        return;
      }
      windows.delete(client);
      if (windows.size >= maxClients) windows.delete(windows.keys().next().value!);
      windows.set(client, { start: now, failures: 1 });
    },
  };
}
