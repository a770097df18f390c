/** `/dashboard`: server-rendered pages for marketers and sales. (Placeholder page.) */
import { Hono } from 'hono';
import type { Services } from '../services';

export function dashboardRoutes(_services: Services) {
  const app = new Hono();
  app.get('/', (c) =>
    c.html(
      <html lang="en">
        <body>
          <h1>leadtrail</h1>
          <p>Dashboard coming up.</p>
        </body>
      </html>,
    ),
  );
  return app;
}
