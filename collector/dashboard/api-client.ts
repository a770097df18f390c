/**
 * The dashboard reads and writes only through the JSON API, in process: `apiRoutes()` answers
 * `request()` calls directly, with no HTTP hop. So every number on a page is the number the API
 * gives, and the dashboard never touches storage itself.
 *
 * The API still checks keys on writes and records the key's name as the actor of a stage move.
 * So the in-process API gets its own key list: one internal key per dashboard credential, named
 * after the person and with that credential's role. A role's refusals come from the API
 * itself, and a stage move made by user "maria" is recorded as maria's. The internal keys are
 * derived from the dashboard secret and exist only inside this process: they are not in the real
 * config, so they open nothing over HTTP.
 */
import { Hono } from 'hono';
import { apiRoutes } from '../api';
import type { ApiKey } from '../config';
import { onError } from '../errors';
import type { Services } from '../services';
import type { Credential } from './credentials';
import { sign } from './secret';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | undefined | null>;

export interface ApiClient {
  get<T>(path: string, query?: Query): Promise<T>;
  /** The raw response, for CSV and the event stream, which the dashboard passes through. */
  raw(path: string, query?: Query, headers?: Record<string, string>): Promise<Response>;
  post<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
}

export const withQuery = (path: string, query: Query = {}): string => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
};

async function failure(response: Response): Promise<ApiError> {
  let code = 'error';
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, code, message);
}

const internalKey = (secret: Buffer, credential: Credential) =>
  `sk_dashboard_${sign(secret, `internal\0${credential.fingerprint}`)}`;

/** Builds the in-process API once; `clientFor` binds it to one signed-in credential. */
export function createApi(services: Services, credentials: readonly Credential[], secret: Buffer) {
  const keys: ApiKey[] = credentials.map((credential) => ({
    name: credential.name,
    key: internalKey(secret, credential),
    role: credential.role,
  }));
  const inner = new Hono();
  inner.onError(onError);
  inner.route('/', apiRoutes({ ...services, config: Object.freeze({ ...services.config, apiKeys: keys }) }));

  /**
   * `env` is the outer request's server bindings (the Node socket), passed through so the API's
   * long-lived streams notice a server shutdown just as they do for direct API clients.
   */
  return function clientFor(credential: Credential, signal?: AbortSignal, env?: unknown): ApiClient {
    const authorization = `Bearer ${internalKey(secret, credential)}`;
    const call = (path: string, init: RequestInit = {}) =>
      inner.request(path, { ...init, headers: { authorization, ...(init.headers ?? {}) }, signal }, env);
    return {
      async get<T>(path: string, query?: Query) {
        const response = await call(withQuery(path, query));
        if (!response.ok) throw await failure(response);
        return (await response.json()) as T;
      },
      async raw(path: string, query?: Query, headers?: Record<string, string>) {
        const response = await call(withQuery(path, query), headers ? { headers } : {});
        if (!response.ok) throw await failure(response);
        return response;
      },
      async put<T>(path: string, body: unknown) {
        const response = await call(path, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw await failure(response);
        return (await response.json()) as T;
      },
      async post<T>(path: string, body: unknown) {
        const response = await call(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw await failure(response);
        return (await response.json()) as T;
      },
    };
  };
}

export type ApiFactory = ReturnType<typeof createApi>;
