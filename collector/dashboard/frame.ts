/** Builds the per-request page frame from the context the middleware filled in. */
import type { Context } from 'hono';
import type { DashboardEnv, Frame } from './context';

export const frameOf = (c: Context<DashboardEnv>): Frame => ({
  session: c.get('session'),
  flash: c.get('flash'),
  now: c.get('now'),
});
