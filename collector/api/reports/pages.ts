/**
 * What people look at: top pages (views and unique visitors), downloads by file, pricing-page
 * visits, and the bounce rate — the share of sessions with a single page view. Bot events
 * never count.
 */
import type { Kysely } from 'kysely';
import { PRICING_FLAG } from '../../../shared/events';
import { readJsonObject } from '../../json-column';
import type { Database } from '../../storage/schema';
import { type ReportRange, rangeJson, rate } from './range';

export async function pagesReport(db: Kysely<Database>, range: ReportRange, limit: number) {
  const humanEvents = db
    .selectFrom('events')
    .where('site', 'in', range.sites)
    .where('ts', '>=', range.from)
    .where('ts', '<', range.to)
    .where('bot', '=', 0);
  const pageViews = humanEvents.where('type', '=', 'page');

  const top = await pageViews
    .select([
      'path',
      (eb) => eb.fn.countAll<number>().as('views'),
      (eb) => eb.fn.count<number>('contact_id').distinct().as('visitors'),
    ])
    .where('path', 'is not', null)
    .groupBy('path')
    .orderBy('views', 'desc')
    .orderBy('path')
    .limit(limit)
    .execute();

  // The flag lives in the props JSON; LIKE narrows it down, parsing confirms it is top-level.
  const pricingRows = await pageViews
    .select(['contact_id', 'props'])
    .where('props', 'like', `%"${PRICING_FLAG}":true%`)
    .execute();
  const pricing = pricingRows.filter((r) => readJsonObject(r.props, 'events.props')?.[PRICING_FLAG] === true);

  const downloadRows = await humanEvents
    .select(['contact_id', 'props', 'url'])
    .where('type', '=', 'track')
    .where('name', '=', 'download')
    .execute();
  const downloads = new Map<string, { file: string; downloads: number; visitors: Set<string> }>();
  for (const row of downloadRows) {
    const props = readJsonObject(row.props, 'events.props') ?? {};
    const named = [props.url, props.href, props.file, row.url].find((v) => typeof v === 'string' && v !== '');
    const file = (named as string | undefined) ?? '(unknown)';
    const entry = downloads.get(file) ?? { file, downloads: 0, visitors: new Set<string>() };
    entry.downloads++;
    if (row.contact_id) entry.visitors.add(row.contact_id);
    downloads.set(file, entry);
  }

  const sessions = await db
    .selectFrom(
      pageViews
        .select(['session', (eb) => eb.fn.countAll<number>().as('views')])
        .where('session', 'is not', null)
        .groupBy(['site', 'session'])
        .as('s'),
    )
    .select([
      (eb) => eb.fn.countAll<number>().as('sessions'),
      (eb) => eb.fn.sum<number>(eb.case().when('views', '=', 1).then(1).else(0).end()).as('bounced'),
    ])
    .executeTakeFirst();
  const sessionCount = Number(sessions?.sessions ?? 0);
  const bounced = Number(sessions?.bounced ?? 0);

  return {
    ...rangeJson(range),
    top_pages: top.map((r) => ({ path: r.path, views: Number(r.views), visitors: Number(r.visitors) })),
    downloads: [...downloads.values()]
      .map((d) => ({ file: d.file, downloads: d.downloads, visitors: d.visitors.size }))
      .sort((a, b) => b.downloads - a.downloads || a.file.localeCompare(b.file))
      .slice(0, limit),
    pricing: {
      views: pricing.length,
      visitors: new Set(pricing.map((r) => r.contact_id).filter(Boolean)).size,
    },
    sessions: sessionCount,
    bounced_sessions: bounced,
    bounce_rate: rate(bounced, sessionCount),
  };
}
