/**
 * The people a cohort report counts: contacts of the range's sites first seen inside it, and
 * seen at least once by something other than a bot.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema';
import type { ReportRange } from './range';

export const humanCohort = (db: Kysely<Database>, range: ReportRange) =>
  db
    .selectFrom('contacts as c')
    .where('c.site', 'in', range.sites)
    .where('c.first_seen', '>=', range.from)
    .where('c.first_seen', '<', range.to)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('events as e')
          .select('e.seq')
          .whereRef('e.contact_id', '=', 'c.id')
          .where('e.bot', '=', 0),
      ),
    );
