/** Fit rules on where a contact was last seen from: country and network, in the pure core. */
import { describe, expect, it } from 'vitest';
import type { ScoringProfile } from '../../collector/scoring/core/events';
import { parseRuleset, RulesetError } from '../../collector/scoring/core/rules';
import { score } from '../../collector/scoring/core/score';

const NOW = Date.UTC(2026, 0, 15);
const rules = parseRuleset({
  fit: [
    { id: 'outside_markets', points: -20, geo: { country: { exists: true, not_in: ['DE', 'AT', 'CH'] } } },
    { id: 'company_network', points: 10, net: { kind: 'business' } },
    { id: 'acme', points: 5, net: { org: { matches: '^acme\\b' }, asn: { gte: 64500, lte: 64511 } } },
  ],
});
const person = (place: ScoringProfile['place']): ScoringProfile => ({
  email: 'kim@acme.example',
  user_id: null,
  traits: {},
  ...(place ? { place } : {}),
});
const fitOf = (place: ScoringProfile['place']) => score([], person(place), rules, NOW).fit;

describe('fit rules on geo and net', () => {
  it('a country outside the markets costs 20 points; inside, or unknown, it does not', () => {
    expect(fitOf({ country: 'DE', net: null }) - fitOf({ country: 'US', net: null })).toBe(20);
    expect(fitOf({ country: null, net: null })).toBe(fitOf({ country: 'AT', net: null }));
    expect(fitOf(undefined)).toBe(fitOf({ country: 'CH', net: null }));
  });

  it('matches the network kind, organisation and AS number', () => {
    const base = fitOf({ country: 'DE', net: null });
    expect(fitOf({ country: 'DE', net: { asn: 64500, org: 'Acme Corp', kind: 'business' } })).toBe(base + 15);
    expect(fitOf({ country: 'DE', net: { asn: 64499, org: 'Acme Corp', kind: 'business' } })).toBe(base + 10);
    expect(fitOf({ country: 'DE', net: { asn: 64500, org: 'Acme Corp', kind: 'isp' } })).toBe(base + 5);
  });

  it('refuses a geo rule with an unknown key and a net rule with no test, naming the field', () => {
    expect(() => parseRuleset({ fit: [{ id: 'x', points: 1, geo: { city: 'Berlin' } }] })).toThrow(
      RulesetError,
    );
    expect(() => parseRuleset({ fit: [{ id: 'x', points: 1, net: {} }] })).toThrow(/net/);
  });
});
