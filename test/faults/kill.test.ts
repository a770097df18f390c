import { describe, expect, it } from 'vitest';
import { runKillCycles } from './kill-cycles';

describe('SIGKILL under load', () => {
  it('keeps every acknowledged event exactly once across 20 kill/restart cycles', async () => {
    const report = await runKillCycles(20);
    expect(report.acknowledged).toBeGreaterThan(500);
    expect(report.missing).toEqual([]);
    expect(report.duplicated).toBe(0);
    expect(report.integrity).toBe('ok');
    // With retries, everything that was ever sent ends up stored, not only what was acknowledged.
    expect(report.stored).toBeGreaterThanOrEqual(report.acknowledged);
    expect(report.retried).toBeGreaterThan(0);
  }, 240_000);
});
