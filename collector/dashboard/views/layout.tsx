/** The page frame: sidebar navigation (a top bar on phones), flash message, sign-out. */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Frame } from '../context';
import { CSRF_FIELD } from '../csrf';

export type Section = 'leads' | 'my-leads' | 'overview' | 'accounts' | 'scoring' | 'rules';

const NAV: { section: Section; href: string; label: string }[] = [
  { section: 'leads', href: '/dashboard', label: 'Leads' },
  { section: 'my-leads', href: '/dashboard/my-leads', label: 'My leads' },
  { section: 'overview', href: '/dashboard/overview', label: 'Overview' },
  { section: 'accounts', href: '/dashboard/accounts', label: 'Accounts' },
  { section: 'rules', href: '/dashboard/rules', label: 'Rules' },
  { section: 'scoring', href: '/dashboard/scoring', label: 'Scoring' },
];

export function Document(props: { title: string; children: Child; bodyClass?: string; scripts?: string[] }) {
  // Standards mode needs the doctype; `raw` here only ever emits this constant.
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · leadtrail`}</title>
          <link rel="stylesheet" href="/dashboard/assets/app.css" />
          <link rel="icon" href="/dashboard/assets/icon.svg" type="image/svg+xml" />
          {(props.scripts ?? []).map((src) => (
            <script src={src} defer />
          ))}
        </head>
        <body class={props.bodyClass}>{props.children}</body>
      </html>
    </>
  );
}

export function Layout(props: {
  title: string;
  section: Section;
  frame: Frame;
  children: Child;
  actions?: Child;
  scripts?: string[];
}) {
  const { session, flash } = props.frame;
  return (
    <Document title={props.title} scripts={props.scripts}>
      <div class="shell">
        <aside class="sidebar">
          <a class="brand" href="/dashboard">
            <img src="/dashboard/assets/icon.svg" alt="" width="24" height="24" />
            <span>leadtrail</span>
          </a>
          <nav class="nav" aria-label="Main">
            {NAV.map((item) => (
              <a
                href={item.href}
                class={item.section === props.section ? 'nav-link active' : 'nav-link'}
                aria-current={item.section === props.section ? 'page' : undefined}
              >
                {item.label}
              </a>
            ))}
          </nav>
          <div class="who">
            <span class="who-name" title={session.kind === 'key' ? 'signed in with an API key' : 'user'}>
              {session.name}
            </span>
            <span class="who-access">{session.role === 'viewer' ? 'read-only' : session.role}</span>
            <form method="post" action="/dashboard/logout" class="signout">
              <input type="hidden" name={CSRF_FIELD} value={session.csrf} />
              <button type="submit" class="link-button">
                Sign out
              </button>
            </form>
          </div>
          {/* CC BY 4.0 asks for this link wherever the network data is used (collector/geo). */}
          <p class="attribution">
            Networks: <a href="https://db-ip.com">IP Geolocation by DB-IP</a>,{' '}
            <a href="https://www.routeviews.org">RouteViews</a>
          </p>
        </aside>
        <main class="main">
          <header class="page-head">
            <h1>{props.title}</h1>
            {props.actions ? <div class="page-actions">{props.actions}</div> : null}
          </header>
          {flash ? (
            <p class={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
              {flash.text}
            </p>
          ) : null}
          {props.children}
        </main>
      </div>
    </Document>
  );
}
