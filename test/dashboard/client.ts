/**
 * A tiny cookie-keeping HTTP client for dashboard tests against a real server: signs in through
 * the real login form and pulls CSRF tokens out of the rendered pages, as a browser would.
 */
export interface DashboardClient {
  /** Cookies currently held, name → value. */
  cookies: Map<string, string>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** GET a page and return its HTML. */
  html(path: string): Promise<string>;
}

export function dashboardClient(baseUrl: string): DashboardClient {
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const client: DashboardClient = {
    cookies,
    async get(path, headers = {}) {
      return remember(
        await fetch(`${baseUrl}${path}`, {
          redirect: 'manual',
          headers: { cookie: cookieHeader(), ...headers },
        }),
      );
    },
    async post(path, form, headers = {}) {
      return remember(
        await fetch(`${baseUrl}${path}`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            cookie: cookieHeader(),
            'content-type': 'application/x-www-form-urlencoded',
            origin: baseUrl,
            ...headers,
          },
          body: new URLSearchParams(form).toString(),
        }),
      );
    },
    async html(path) {
      const response = await client.get(path);
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
      return response.text();
    },
  };
  return client;
}

/** The value of the first hidden `_csrf` field in a page. */
export function csrfToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token in page');
  return match[1]!;
}

export type SignIn = { key: string } | { user: string; password: string };

/** Signs in through the login form; returns the response of the POST. */
export async function signIn(
  client: DashboardClient,
  credentials: SignIn,
  next = '/dashboard',
): Promise<Response> {
  const page = await client.html(`/dashboard/login?next=${encodeURIComponent(next)}`);
  const form: Record<string, string> = { _csrf: csrfToken(page), next };
  if ('key' in credentials) Object.assign(form, { method: 'key', key: credentials.key });
  else Object.assign(form, { method: 'user', user: credentials.user, password: credentials.password });
  return client.post('/dashboard/login', form);
}
