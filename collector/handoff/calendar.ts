/**
 * An owner's calendar, as pure functions of an instant: the local day and time in their time
 * zone, whether they are out of office, whether they are in working hours. No clock of its own.
 */
import type { OwnerConfig } from './config';

type Calendar = Pick<OwnerConfig, 'time_zone' | 'working_hours' | 'out_of_office'>;

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** 1 (Monday) … 7 (Sunday) */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

export function localTime(at: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday!] ?? 1,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isOutOfOffice(owner: Calendar, at: number): boolean {
  if (owner.out_of_office.length === 0) return false;
  const { date } = localTime(at, owner.time_zone);
  return owner.out_of_office.some((range) => range.from <= date && date <= range.to);
}

/** Out of office counts as outside working hours. */
export const isWorking = (owner: Calendar, at: number): boolean => workingStretch(owner, at).working;

/**
 * Whether the owner works at `at`, and for how many more minutes (at most) that stays so: the
 * SLA clock steps by these stretches instead of minute by minute. Stretches are capped at an
 * hour so a daylight-saving shift cannot carry a step past a boundary.
 */
export function workingStretch(owner: Calendar, at: number): { working: boolean; minutes: number } {
  const local = localTime(at, owner.time_zone);
  const away = owner.out_of_office.some((range) => range.from <= local.date && local.date <= range.to);
  const hours = owner.working_hours;
  const untilMidnight = 24 * 60 - local.minute;
  if (away) return { working: false, minutes: Math.min(60, untilMidnight) };
  if (!hours) return { working: true, minutes: Math.min(60, untilMidnight) };
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (hours.days.includes(local.weekday) && local.minute >= start && local.minute < end)
    return { working: true, minutes: Math.min(60, end - local.minute) };
  const next =
    hours.days.includes(local.weekday) && local.minute < start ? start - local.minute : untilMidnight;
  return { working: false, minutes: Math.min(60, next) };
}
