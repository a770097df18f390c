/** The hand-off on a contact page: who owns the lead and why, and where its SLA clock stands. */
import { slaStatus } from '../../handoff/sla';
import type { ContactView } from '../api-types';
import { formatAgo, formatDateTime } from '../format';

const MINUTE = 60_000;

function duration(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

export function OwnerPanel(props: { contact: ContactView; now: number }) {
  const { contact, now } = props;
  const sla = contact.sla
    ? slaStatus(
        {
          due_at: contact.sla.due_at,
          answered_at: contact.sla.answered_at,
          breached_at: contact.sla.breached_at,
        },
        now,
      )
    : { state: 'none' as const };
  return (
    <div class="owner" id="owner">
      <p>
        <strong>Owner:</strong> <span id="owner-id">{contact.owner ?? 'nobody'}</span>
        {contact.owner_at ? <span class="muted"> (since {formatAgo(contact.owner_at, now)})</span> : null}
      </p>
      {contact.owner_reason ? (
        <p class="muted" id="owner-reason">
          {contact.owner_reason}
        </p>
      ) : null}
      {sla.state === 'none' ? null : (
        <p id="sla-clock" data-state={sla.state}>
          <strong>SLA:</strong>{' '}
          {sla.state === 'running'
            ? `answer within ${duration(sla.remaining_ms)} (by ${formatDateTime(sla.due_at)})`
            : sla.state === 'breached'
              ? `breached ${duration(sla.overdue_ms)} ago (due ${formatDateTime(sla.due_at)})`
              : sla.state === 'met'
                ? `met: answered ${formatDateTime(sla.answered_at)}, due ${formatDateTime(sla.due_at)}`
                : `missed: answered ${formatDateTime(sla.answered_at)}, due ${formatDateTime(sla.due_at)}`}
        </p>
      )}
    </div>
  );
}
