/**
 * The timeline: events newest first, grouped into sessions, each session headed by when it
 * started and the campaign (or referrer) that brought the person that time.
 */
import type { TimelineEvent } from '../api-types';
import { formatDateTime } from '../format';
import { campaignOf, describeEvent } from './event-text';

interface SessionGroup {
  session: string | null;
  events: TimelineEvent[];
}

/** Consecutive events of the same session form one group (the list is already newest first). */
function groupBySession(events: TimelineEvent[]): SessionGroup[] {
  const groups: SessionGroup[] = [];
  for (const event of events) {
    const last = groups.at(-1);
    if (last && last.session === event.session) last.events.push(event);
    else groups.push({ session: event.session, events: [event] });
  }
  return groups;
}

export function Timeline(props: { events: TimelineEvent[]; olderHref: string | null }) {
  if (props.events.length === 0) return <p class="empty">No events yet.</p>;
  return (
    <>
      <ol class="timeline" id="timeline">
        {groupBySession(props.events).map((group) => {
          const campaign = campaignOf(group.events);
          const started = group.events.at(-1)?.ts;
          return (
            <li class="session">
              <div class="session-head">
                <span>Session {formatDateTime(started)}</span>
                {campaign ? (
                  <span class="campaign">{campaign}</span>
                ) : group.events.some((e) => e.type === 'page') ? (
                  <span class="muted">direct</span>
                ) : null}
              </div>
              <ul class="timeline">
                {group.events.map((event) => {
                  const { kind, label, text } = describeEvent(event);
                  return (
                    <li class="event" data-kind={kind} data-event={event.id}>
                      <span class={`event-kind kind-${kind}`}>{label}</span>
                      <span class="event-text">{text}</span>
                      <time class="event-time" datetime={new Date(event.ts).toISOString()}>
                        {formatDateTime(event.ts).slice(11)}
                      </time>
                    </li>
                  );
                })}
              </ul>
            </li>
          );
        })}
      </ol>
      {props.olderHref ? (
        <p>
          <a href={props.olderHref}>Older events →</a>
        </p>
      ) : null}
    </>
  );
}
