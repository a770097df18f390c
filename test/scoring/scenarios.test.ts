/**
 * Scenario tests carried by a ruleset, run by the pure core: the four default journeys hold under
 * the default rules, a rules change that breaks one is named with what it got, and bad scenarios
 * are refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULESET, parseRuleset } from '../../collector/scoring/core/rules';
import { runScenarios, scenarioFailures } from '../../collector/scoring/core/scenarios';

const withEngagement = (id: string, points: number) =>
  parseRuleset({
    ...DEFAULT_RULESET,
    engagement: DEFAULT_RULESET.engagement.map((rule) => (rule.id === id ? { ...rule, points } : rule)),
  });

describe('scenarios', () => {
  it('the default ruleset carries the four seed journeys, and they all pass', () => {
    const results = runScenarios(DEFAULT_RULESET);
    expect(results.map((r) => [r.name, r.stage, r.passed])).toEqual([
      ['Newsletter reader stays a lead', 'lead', true],
      ['Pricing-page returner with a business email becomes an MQL', 'mql', true],
      ['A demo request makes an SQL', 'sql', true],
      ['The job seeker on /careers does not become an MQL', 'lead', true],
    ]);
    expect(scenarioFailures(results)).toBeNull();
  });

  it('a change that breaks a journey names the scenario, the stage and the score it got', () => {
    const results = runScenarios(withEngagement('pricing_repeat', 1));
    const failed = results.filter((r) => !r.passed);
    expect(failed.map((r) => r.name)).toEqual(['Pricing-page returner with a business email becomes an MQL']);
    expect(failed[0]!.stage).toBe('lead');
    expect(scenarioFailures(results)).toMatch(
      /^scenario "Pricing-page returner with a business email becomes an MQL": expected stage mql, got lead; expected a score of at least 50, got \d+(\.\d)?$/,
    );
    // Careers pages worth points: the job seeker crosses the bar.
    const careers = runScenarios(withEngagement('careers_page', 30));
    expect(careers.find((r) => !r.passed)?.name).toBe('The job seeker on /careers does not become an MQL');
  });

  it('checks the score range as well as the stage', () => {
    const rules = parseRuleset({
      ...DEFAULT_RULESET,
      scenarios: [
        {
          name: 'demo',
          email: 'buyer@acme-corp.com',
          events: [{ type: 'track', name: 'demo_requested' }],
          expect: { stage: 'sql', min_score: 20 },
        },
      ],
    });
    const [result] = runScenarios(rules);
    // The right stage, but only the business-email fit (5): below the range, so it fails.
    expect(result).toMatchObject({ stage: 'sql', score: 5, passed: false });
    expect(result!.message).toBe('expected a score of at least 20, got 5');
  });

  it('refuses duplicate names, min above max and unknown fields, naming the field', () => {
    const scenario = { name: 'x', events: [], expect: { stage: 'lead' } };
    expect(() => parseRuleset({ scenarios: [scenario, scenario] })).toThrow(
      'scoring.scenarios.1.name: duplicate scenario "x"',
    );
    expect(() =>
      parseRuleset({ scenarios: [{ ...scenario, expect: { stage: 'lead', min_score: 9, max_score: 1 } }] }),
    ).toThrow(/scoring\.scenarios\.0\.expect.*min_score must not be above max_score/);
    expect(() => parseRuleset({ scenarios: [{ ...scenario, events: [{ type: 'page', dya: 1 }] }] })).toThrow(
      /scoring\.scenarios\.0\.events\.0/,
    );
  });
});
