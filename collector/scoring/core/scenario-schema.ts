/**
 * Scenario tests a ruleset carries: a named person (email, traits) and a sequence of events,
 * with the stage and score range the ruleset must give them. Days are counted from the first
 * event, so a scenario means the same thing whenever it runs.
 */
import { z } from 'zod';
import type { Props } from '../../../shared/events';

const props = z.record(z.string().min(1).max(100), z.unknown()).transform((value) => value as Props);

export const scenarioEventSchema = z.strictObject({
  type: z.enum(['page', 'track', 'identify']),
  /** `track` event name. */
  name: z.string().min(1).max(200).optional(),
  /** Page path (`/pricing`). */
  path: z.string().min(1).max(500).optional(),
  props: props.optional(),
  traits: props.optional(),
  /** Days after the first event (0 = the first day). */
  day: z.number().min(0).max(3650).default(0),
  /** Events of one day share a session unless named otherwise. */
  session: z.string().min(1).max(100).optional(),
});

export const SCENARIO_STAGES = ['visitor', 'lead', 'mql', 'sql'] as const;

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** null: an anonymous visitor. */
  email: z.string().min(3).max(320).nullable().default('person@example.com'),
  traits: props.default({}),
  events: z.array(scenarioEventSchema).max(500).default([]),
  expect: z
    .strictObject({
      stage: z.enum(SCENARIO_STAGES),
      min_score: z.number().finite().optional(),
      max_score: z.number().finite().optional(),
    })
    .refine(
      (e) => e.min_score === undefined || e.max_score === undefined || e.min_score <= e.max_score,
      'min_score must not be above max_score',
    ),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
