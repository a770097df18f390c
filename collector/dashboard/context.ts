/** What the dashboard's middleware puts on each request for the pages to use. */
import type { ApiClient } from './api-client';
import type { Flash } from './flash';
import type { Session } from './session';

export interface DashboardVariables {
  session: Session;
  api: ApiClient;
  flash: Flash | null;
  /** The services clock at the start of the request ("3 h ago" in tests follows a manual clock). */
  now: number;
}

export type DashboardEnv = { Variables: DashboardVariables };

/** The per-request facts every page frame needs. */
export interface Frame {
  session: Session;
  flash: Flash | null;
  now: number;
}
