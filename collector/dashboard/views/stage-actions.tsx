/**
 * Sales' buttons: accept (SAL), qualify (SQL), reject (back to nurture as recycled) and
 * disqualify — the last two ask for a reason, which the next person to look will read. Each is a
 * POST form carrying the session's CSRF token.
 */

import { can } from '../../roles';
import { CSRF_FIELD } from '../csrf';
import type { Session } from '../session';

function MoveForm(props: {
  action: string;
  csrf: string;
  move: string;
  label: string;
  tone: string;
  title: string;
}) {
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
      <input type="hidden" name="move" value={props.move} />
      <button type="submit" class={`button ${props.tone}`} title={props.title} data-move={props.move}>
        {props.label}
      </button>
    </form>
  );
}

function ReasonForm(props: {
  action: string;
  csrf: string;
  move: string;
  label: string;
  placeholder: string;
}) {
  return (
    <details class="reject" data-move={props.move}>
      <summary>{props.label}…</summary>
      <form method="post" action={props.action}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <input type="hidden" name="move" value={props.move} />
        <label>
          Reason (required)
          <textarea name="reason" rows={2} maxlength={500} required placeholder={props.placeholder} />
        </label>
        <button type="submit" class="button danger">
          {props.label}
        </button>
      </form>
    </details>
  );
}

export function StageActions(props: { contactId: string; session: Session }) {
  if (!can(props.session.role, 'move_stage')) {
    return (
      <p class="hint">
        Signed in as {props.session.role}, read-only for stages: moving leads needs the sales or admin role.
      </p>
    );
  }
  const action = `/dashboard/contacts/${encodeURIComponent(props.contactId)}/stage`;
  const csrf = props.session.csrf;
  return (
    <div class="actions" id="stage-actions">
      <MoveForm
        action={action}
        csrf={csrf}
        move="accept"
        label="Accept (SAL)"
        tone="primary"
        title="Sales accepts this lead"
      />
      <MoveForm
        action={action}
        csrf={csrf}
        move="qualify"
        label="Qualify (SQL)"
        tone="ok"
        title="A qualified sales opportunity"
      />
      <ReasonForm
        action={action}
        csrf={csrf}
        move="reject"
        label="Reject"
        placeholder="Not ready yet, back to nurture: …"
      />
      <ReasonForm
        action={action}
        csrf={csrf}
        move="disqualify"
        label="Disqualify"
        placeholder="Not a fit: …"
      />
    </div>
  );
}
