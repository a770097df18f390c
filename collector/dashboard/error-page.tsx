/** Errors as pages, not JSON: a person is reading. API errors keep their status (404 stays 404). */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from './api-client';
import { Document } from './views/layout';

export function ErrorPage(props: { title: string; message: string }) {
  return (
    <Document title={props.title} bodyClass="login-body">
      <main class="login">
        <div class="card login-card">
          <h1>{props.title}</h1>
          <p>{props.message}</p>
          <p>
            <a href="/dashboard" class="button">
              Back to leads
            </a>
          </p>
        </div>
      </main>
    </Document>
  );
}

export function renderNotFound(c: Context) {
  return c.html(<ErrorPage title="Not found" message="There is no such page or record." />, 404);
}

export function renderError(error: Error, c: Context) {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
    const title =
      error.status === 404 ? 'Not found' : error.status === 403 ? 'Not allowed' : 'Cannot show this';
    return c.html(<ErrorPage title={title} message={error.message} />, error.status as ContentfulStatusCode);
  }
  console.error('dashboard error', error);
  return c.html(
    <ErrorPage title="Something went wrong" message="The page could not be built. Try again in a moment." />,
    500,
  );
}
