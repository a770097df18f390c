import { describe, expect, it } from 'vitest';
import { ownerSchema } from '../../collector/handoff/config';
import { breachDue, slaDueAt, slaStatus } from '../../collector/handoff/sla';

const MIN = 60_000;
const berlin = ownerSchema.parse({
  id: 'ana',
  name: 'Ana',
  email: 'ana@sales.example',
  time_zone: 'Europe/Berlin',
  working_hours: { start: '09:00', end: '17:00' },
  out_of_office: [{ from: '2026-12-07', to: '2026-12-07' }],
});
const always = ownerSchema.parse({ id: 'bo', name: 'Bo', email: 'bo@sales.example' });

describe('SLA clock', () => {
  it('counts calendar minutes for an owner without working hours', () => {
    const start = Date.UTC(2026, 11, 1, 10, 0, 30);
    expect(slaDueAt(start, 30, always)).toBe(start + 30 * MIN);
  });

  it('counts only working minutes: a lead at 16:50 Berlin with 30 minutes is due 09:20 next day', () => {
    const start = Date.UTC(2026, 11, 1, 15, 50); // 16:50 Berlin, Tuesday
    expect(slaDueAt(start, 30, berlin)).toBe(Date.UTC(2026, 11, 2, 8, 20)); // 09:20 Berlin, Wednesday
  });

  it('pauses over the weekend and out-of-office days: one business day from Friday 12:00', () => {
    const friday = Date.UTC(2026, 11, 4, 11, 0); // 12:00 Berlin
    // 5 h left Friday, Monday 7 December out of office, 3 h on Tuesday → 12:00 Tuesday.
    expect(slaDueAt(friday, 8 * 60, berlin)).toBe(Date.UTC(2026, 11, 8, 11, 0));
  });

  it('starts outside hours at the next opening, to the minute', () => {
    const night = Date.UTC(2026, 11, 1, 5, 17, 42); // 06:17:42 Berlin
    expect(slaDueAt(night, 15, berlin)).toBe(Date.UTC(2026, 11, 1, 8, 15));
  });

  it('fires a breach once, at the SLA moment, and never after an answer', () => {
    const due = slaDueAt(Date.UTC(2026, 11, 1, 9, 0), 30, berlin);
    const clock = { due_at: due, answered_at: null as number | null, breached_at: null as number | null };
    let fired = 0;
    // A fake clock ticking every 10 s across the deadline, recording the breach like the worker does.
    for (let now = due - 5 * MIN; now <= due + 5 * MIN; now += 10_000) {
      if (breachDue(clock, now)) {
        fired++;
        expect(now).toBe(due);
        clock.breached_at = now;
      }
    }
    expect(fired).toBe(1);
    expect(slaStatus(clock, due + MIN)).toEqual({ state: 'breached', due_at: due, overdue_ms: MIN });
    expect(breachDue({ due_at: due, answered_at: due - 1, breached_at: null }, due + MIN)).toBe(false);
    expect(slaStatus({ due_at: due, answered_at: due - 1, breached_at: null }, due)).toMatchObject({
      state: 'met',
    });
    expect(slaStatus({ due_at: due, answered_at: due + 1, breached_at: due }, due)).toMatchObject({
      state: 'missed',
    });
    expect(slaStatus({ due_at: due, answered_at: null, breached_at: null }, due - MIN)).toEqual({
      state: 'running',
      due_at: due,
      remaining_ms: MIN,
    });
  });
});
