/**
 * Everything under /api (already behind a secret key): the read side and sales' writes.
 */
import { Hono } from 'hono';
import type { Services } from '../services';
import { leadsRoutes } from './leads';

export function apiRoutes(services: Services) {
  const api = new Hono();
  api.route('/', leadsRoutes(services.db));
  return api;
}
