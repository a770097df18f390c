/**
 * Rulesets from the config file: the README's default rules shipped as data, partial overrides keep the
 * rest, and every mistake stops the start with a message naming the rule.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../collector/config';
import { DEFAULT_RULESET, parseRuleset, RulesetError } from '../../collector/scoring/core/rules';

const load = (scoring: unknown) =>
  loadConfig({
    env: { LEADTRAIL_ADMIN_KEY: 'sk_test_admin_0123456789abcdef', LEADTRAIL_DATA_DIR: '/tmp' },
    file: { sites: [{ key: 'pk_test', origins: ['http://localhost:1'] }], scoring },
  });

const errorOf = (scoring: unknown): string => {
  try {
    load(scoring);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a config error');
};

describe('default ruleset (the README scoring table)', () => {
  it('is the config when the file has no scoring section', () => {
    expect(load(undefined).scoring).toBe(DEFAULT_RULESET);
  });

  it('has the README table as rules', () => {
    const points = Object.fromEntries(
      [...DEFAULT_RULESET.engagement, ...DEFAULT_RULESET.fit].map((r) => [r.id, r.points]),
    );
    expect(points).toEqual({
      page_view: 3,
      pricing_view: 10,
      pricing_repeat: 15,
      download: 10,
      chat_open: 5,
      chat_message: 8,
      chat_email: 10,
      form_signup: 10,
      return_visit: 5,
      frequent_sessions: 10,
      careers_page: -10,
      title_executive: 15,
      title_manager: 5,
      title_junior: -10,
      company_size_mid: 10,
      company_size_large: 15,
      free_mail: -10,
      business_mail: 5,
    });
    const byId = (id: string) => DEFAULT_RULESET.engagement.find((r) => r.id === id)!;
    expect(byId('page_view').cap).toEqual({ per_day: 15 });
    expect(byId('pricing_repeat').frequency).toEqual({ count: 2, within_days: 7, per: 'session' });
    expect(byId('frequent_sessions').frequency).toEqual({ count: 5, within_days: 7, per: 'event' });
    expect(DEFAULT_RULESET).toMatchObject({
      version: 1,
      mql_threshold: 50,
      half_life_days: 30,
      hand_raise: ['demo_requested', 'contact_sales', 'trial_started', 'meeting_booked'],
      bant: ['budget', 'authority', 'need', 'timeline'],
      temperature: { window_days: 14 },
    });
  });

  it('a partial scoring section keeps the default rules', () => {
    const rules = load({ version: 2, mql_threshold: 60 }).scoring;
    expect(rules.version).toBe(2);
    expect(rules.mql_threshold).toBe(60);
    expect(rules.engagement).toEqual(DEFAULT_RULESET.engagement);
  });

  it('a ruleset survives a JSON round trip (how rulesets are stored by version)', () => {
    expect(parseRuleset(JSON.parse(JSON.stringify(DEFAULT_RULESET)))).toEqual(DEFAULT_RULESET);
  });
});

describe('config errors name the rule', () => {
  const rule = (extra: Record<string, unknown>) => ({
    engagement: [{ id: 'webinar', match: { name: 'webinar_joined' }, points: 10, ...extra }],
  });

  it.each([
    [
      rule({ points: 'ten' }),
      'config: scoring.engagement.0.points: rule "webinar": Invalid input: expected number',
    ],
    [rule({ points: 0 }), 'config: scoring.engagement.0.points: rule "webinar": must not be 0'],
    [rule({ pionts: 3 }), 'config: scoring.engagement.0: rule "webinar": Unrecognized key: "pionts"'],
    [rule({ cap: { per_day: -1 } }), 'config: scoring.engagement.0.cap.per_day: rule "webinar": Too small'],
    [
      rule({ frequency: { count: 1, within_days: 7 } }),
      'config: scoring.engagement.0.frequency.count: rule "webinar": Too small',
    ],
    [
      rule({ match: { props: { plan: { matches: '([' } } } }),
      'config: scoring.engagement.0.match.props.plan.matches: rule "webinar": is not a valid regular expression',
    ],
    [
      rule({ match: { props: { plan: { equal: 'pro' } } } }),
      'config: scoring.engagement.0.match.props.plan: rule "webinar": Unrecognized key: "equal"',
    ],
    [
      rule({ match: { type: 'click' } }),
      'config: scoring.engagement.0.match.type: rule "webinar": Invalid input',
    ],
    [
      { fit: [{ id: 'vp', points: 5 }] },
      'config: scoring.fit.0: rule "vp": needs `traits`, `email`, `email_domain`, `geo` or `net`',
    ],
    [
      { fit: [{ id: 'free', email: 'gmail', points: -5 }] },
      'config: scoring.fit.0.email: rule "free": Invalid option',
    ],
    [
      {
        fit: [
          { id: 'x', email: 'free', points: 1 },
          { id: 'x', email: 'business', points: 1 },
        ],
      },
      'config: scoring.fit.1.id: rule "x": duplicate rule id "x"',
    ],
    [{ engagement: [{ match: {}, points: 1 }] }, 'config: scoring.engagement.0.id: rule "#1": Invalid input'],
    [{ half_life_days: 0 }, 'config: scoring.half_life_days: Too small'],
    [
      {
        grades: {
          bands: [
            { grade: 'B', min_fit: 10 },
            { grade: 'A', min_fit: 20 },
          ],
          otherwise: 'D',
        },
      },
      'config: scoring.grades.bands: bands must be listed from the highest min_fit down',
    ],
    [{ thresholds: 50 }, 'config: scoring: Unrecognized key: "thresholds"'],
  ])('%j', (scoring, message) => {
    expect(errorOf(scoring).slice(0, message.length)).toBe(message);
  });
});

describe('a ruleset error is typed', () => {
  it('carries the field, the rule and the problem, and the config error keeps the field', () => {
    const input = { engagement: [{ id: 'webinar', match: { name: 'webinar_joined' }, points: 0 }] };
    let thrown: unknown;
    try {
      parseRuleset(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RulesetError);
    expect(thrown).toMatchObject({
      field: 'scoring.engagement.0.points',
      rule: 'webinar',
      problem: 'must not be 0',
    });
    try {
      load(input);
    } catch (error) {
      expect(error).toMatchObject({ field: 'scoring.engagement.0.points' });
    }
    expect.assertions(3);
  });
});

describe('LEADTRAIL_SQLITE_BUSY_TIMEOUT_MS is config', () => {
  const withEnv = (value: string | undefined) =>
    loadConfig({
      env: {
        LEADTRAIL_ADMIN_KEY: 'sk_test_admin_0123456789abcdef',
        LEADTRAIL_DATA_DIR: '/tmp',
        ...(value === undefined ? {} : { LEADTRAIL_SQLITE_BUSY_TIMEOUT_MS: value }),
      },
      file: { sites: [{ key: 'pk_test', origins: ['http://localhost:1'] }] },
    });

  it('defaults to 5000 ms and reads the variable', () => {
    expect(withEnv(undefined).sqliteBusyTimeoutMs).toBe(5000);
    expect(withEnv('250').sqliteBusyTimeoutMs).toBe(250);
    expect(withEnv('0').sqliteBusyTimeoutMs).toBe(0);
  });

  it.each(['-1', 'soon', '1.5', '600001', '99999999999'])('refuses %j naming the variable', (value) => {
    expect(() => withEnv(value)).toThrow(ConfigError);
    expect(() => withEnv(value)).toThrow(/^config: LEADTRAIL_SQLITE_BUSY_TIMEOUT_MS: /);
  });
});
