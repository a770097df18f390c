import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../collector/config';

const base = { sites: [{ key: 'pk_site', origins: ['https://example.com'] }] };
const env = { LEADTRAIL_ADMIN_KEY: 'sk_admin_0123456789abcdef' };
const load = (extra: Record<string, unknown>) => loadConfig({ env, file: { ...base, ...extra } });
const fieldOf = (extra: Record<string, unknown>) => {
  try {
    load(extra);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return 'accepted';
};
const ana = { id: 'ana', name: 'Ana', email: 'ana@sales.example' };

describe('hand-off config', () => {
  it('accepts owners, alerts and SLA rules with defaults', () => {
    const config = load({
      owners: [{ ...ana, weight: 2, territories: [{ countries: ['de'] }] }],
      alerts: { slack: [{ name: 'sales', url: 'https://hooks.slack.com/services/T/B/x' }] },
      sla: [{ stage: 'mql', minutes: 480 }],
    });
    expect(config.owners[0]).toMatchObject({
      weight: 2,
      time_zone: 'UTC',
      territories: [{ countries: ['DE'] }],
    });
    expect(config.alerts.slack[0]!.events).toEqual(['mql', 'sql', 'sla_breach']);
    expect(config.sla[0]).toMatchObject({ reassign: false });
  });

  it('names the field of each mistake', () => {
    expect(fieldOf({ alerts: { slack: [{ name: 'sales', url: 'not a url' }] } })).toMatch(
      /^config: alerts\.slack\.0\.url: /,
    );
    expect(fieldOf({ owners: [{ ...ana, slack_webhook_url: 'ftp://x' }] })).toMatch(
      /^config: owners\.0\.slack_webhook_url: /,
    );
    expect(fieldOf({ alerts: { email: { from: 'a@b.co', host: 'smtp', port: 70000 } } })).toBe(
      'config: alerts.email.port: must be 1–65535',
    );
    expect(fieldOf({ owners: [{ ...ana, time_zone: 'Mars/Olympus' }] })).toMatch(
      /^config: owners\.0\.time_zone: must be an IANA/,
    );
    expect(fieldOf({ owners: [{ ...ana, working_hours: { start: '18:00', end: '09:00' } }] })).toMatch(
      /^config: owners\.0\.working_hours\.end: start must be before end/,
    );
    expect(fieldOf({ owners: [ana, ana] })).toBe('config: owners.1.id: duplicate owner id ana');
    expect(fieldOf({ owners: [ana], sla: [{ stage: 'mql', minutes: 30, escalate_to: 'boss' }] })).toBe(
      'config: sla.0.escalate_to: no owner has id boss',
    );
    expect(fieldOf({ alerts: { slack: [{ name: 'sales', url: 'http://127.0.0.1:9/x' }] } })).toMatch(
      /^config: alerts\.slack\.0\.url: /,
    );
    expect(
      fieldOf({ alerts: { allow_private: true, slack: [{ name: 'sales', url: 'http://127.0.0.1:9/x' }] } }),
    ).toBe('accepted');
  });
});
