/**
 * Everything under /api (already behind a secret key): the read side and sales' writes.
 */
import { Hono } from 'hono';
import type { Services } from '../services';
import { accountsRoutes } from './accounts';
import { contactsRoutes } from './contacts';
import { leadsRoutes } from './leads';
import { outcomesRoutes } from './outcomes';
import { reportsRoutes } from './reports';
import { scoreHistoryRoutes } from './score-history';
import { scoringRoutes } from './scoring';
import { spendRoutes } from './spend';
import { streamRoutes } from './stream';

export function apiRoutes(services: Services) {
  const api = new Hono();
  api.route('/', streamRoutes(services));
  api.route('/', leadsRoutes(services));
  api.route('/', scoreHistoryRoutes(services));
  api.route('/', contactsRoutes(services));
  api.route('/', accountsRoutes(services));
  api.route('/', reportsRoutes(services));
  api.route('/', spendRoutes(services));
  api.route('/', outcomesRoutes(services));
  api.route('/', scoringRoutes(services));
  return api;
}
