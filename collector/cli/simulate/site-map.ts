/**
 * The demo site's pages as the simulator visits them. Paths and titles match demo-site/ (a test
 * checks that every one is served with this title), so simulated and real visits look alike.
 */

export const PAGES = {
  home: { path: '/', title: 'Northwind Pipelines: data pipelines that never page you at 3 a.m.' },
  features: { path: '/features', title: 'Features · Northwind Pipelines' },
  pricing: { path: '/pricing', title: 'Pricing · Northwind Pipelines' },
  blog: { path: '/blog/', title: 'Blog · Northwind Pipelines' },
  postDrift: {
    path: '/blog/schema-drift-field-notes',
    title: 'Schema drift: field notes from 3,000 post-mortems · Northwind Pipelines',
  },
  postCost: {
    path: '/blog/elt-cost-per-row',
    title: 'What does a row cost? Pricing your ELT honestly · Northwind Pipelines',
  },
  postSlo: {
    path: '/blog/pipeline-slos',
    title: 'Pipeline SLOs your stakeholders will actually read · Northwind Pipelines',
  },
  careers: { path: '/careers', title: 'Careers · Northwind Pipelines' },
  whitepaper: { path: '/whitepaper', title: 'The Schema Drift Field Guide (free PDF) · Northwind Pipelines' },
  demo: { path: '/demo', title: 'Request a demo · Northwind Pipelines' },
} as const;

export type PageKey = keyof typeof PAGES;

export const BLOG_POSTS: readonly PageKey[] = ['postDrift', 'postCost', 'postSlo'];

/** The gated PDF behind the whitepaper form. */
export const WHITEPAPER_PDF = '/files/whitepaper.pdf';

/** The tracker's default pricing pattern (`/pricing*`). */
export const isPricingPath = (path: string): boolean => path.startsWith('/pricing');
