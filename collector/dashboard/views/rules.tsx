/**
 * The rules pages: versions, drafts and the publish log; a draft's editor (a form field per rule,
 * plus the JSON for power users); the impact preview. Plain forms, no script: every value is
 * rendered as text by JSX (a `<script>` in a rule label stays text).
 */
import type { Frame } from '../context';
import { CSRF_FIELD } from '../csrf';
import { Layout } from './layout';

export interface RulesetJson {
  version: number;
  mql_threshold: number;
  engagement: { id: string; label?: string; points: number }[];
  fit: { id: string; label?: string; points: number }[];
  [key: string]: unknown;
}

export interface DraftJson {
  id: string;
  name: string;
  base_version: number | null;
  author: string;
  published_version: number | null;
  ruleset: RulesetJson;
}

export interface ScenarioJson {
  name: string;
  passed: boolean;
  stage: string;
  score: number;
  message: string;
}

export interface LogJson {
  id: number;
  action: string;
  version: number;
  actor: string;
  note: string;
  at: number;
  rescore: { status: string; done: number; total: number };
}

const Csrf = (props: { frame: Frame }) => (
  <input type="hidden" name={CSRF_FIELD} value={props.frame.session.csrf} />
);

export function RulesPage(props: {
  frame: Frame;
  live: { version: number; author: string | null; note: string | null };
  drafts: { id: string; name: string; author: string; published_version: number | null }[];
  log: LogJson[];
  canEdit: boolean;
}) {
  return (
    <Layout title="Rules" section="rules" frame={props.frame}>
      <section class="card">
        <h2>Live ruleset: v{props.live.version}</h2>
        <p class="hint">
          by {props.live.author ?? 'unknown'}
          {props.live.note ? ` — ${props.live.note}` : ''}
        </p>
        {props.canEdit ? (
          <form method="post" action="/dashboard/rules/drafts" class="inline-form">
            <Csrf frame={props.frame} />
            <label>
              New draft <input type="text" name="name" required maxlength={200} placeholder="What changes" />
            </label>
            <button type="submit" class="button">
              Start from live
            </button>
          </form>
        ) : null}
      </section>
      <section class="card">
        <h2>Drafts</h2>
        <ul id="drafts">
          {props.drafts.map((d) => (
            <li>
              <a href={`/dashboard/rules/drafts/${encodeURIComponent(d.id)}`}>{d.name}</a> by {d.author}
              {d.published_version ? ` (published as v${d.published_version})` : ''}
            </li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>Publish log</h2>
        <table id="publish-log">
          <thead>
            <tr>
              <th>version</th>
              <th>action</th>
              <th>who</th>
              <th>when</th>
              <th>note</th>
              <th>rescore</th>
            </tr>
          </thead>
          <tbody>
            {props.log.map((e) => (
              <tr>
                <td>v{e.version}</td>
                <td>{e.action}</td>
                <td>{e.actor}</td>
                <td>{new Date(e.at).toISOString().slice(0, 16).replace('T', ' ')}</td>
                <td>{e.note}</td>
                <td class="rescore">
                  {e.rescore.status === 'none'
                    ? '—'
                    : `${e.rescore.status} ${e.rescore.done}/${e.rescore.total}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}

function RuleRows(props: { family: 'engagement' | 'fit'; rules: RulesetJson['engagement'] }) {
  return (
    <>
      {props.rules.map((rule, i) => (
        <tr>
          <td>
            <code>{rule.id}</code>
          </td>
          <td>
            <input type="text" name={`${props.family}.${i}.label`} value={rule.label ?? ''} maxlength={200} />
          </td>
          <td>
            <input
              type="number"
              step="any"
              name={`${props.family}.${i}.points`}
              value={String(rule.points)}
            />
          </td>
        </tr>
      ))}
    </>
  );
}

export function DraftPage(props: {
  frame: Frame;
  draft: DraftJson;
  scenarios: ScenarioJson[];
  canEdit: boolean;
  canPublish: boolean;
}) {
  const { draft } = props;
  const base = `/dashboard/rules/drafts/${encodeURIComponent(draft.id)}`;
  const editable = props.canEdit && draft.published_version === null;
  return (
    <Layout title={`Draft: ${draft.name}`} section="rules" frame={props.frame}>
      <section class="card">
        <p class="hint">
          Started from {draft.base_version ? `v${draft.base_version}` : 'imported JSON'} by {draft.author}
          {draft.published_version ? `; published as v${draft.published_version}` : ''}
        </p>
        <form method="post" action={base} id="draft-form">
          <Csrf frame={props.frame} />
          <label>
            Name <input type="text" name="name" value={draft.name} maxlength={200} />
          </label>
          <label>
            MQL threshold{' '}
            <input
              type="number"
              step="any"
              name="mql_threshold"
              value={String(draft.ruleset.mql_threshold)}
            />
          </label>
          <table class="rules">
            <thead>
              <tr>
                <th>rule</th>
                <th>label</th>
                <th>points</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th colspan={3}>Engagement</th>
              </tr>
              <RuleRows family="engagement" rules={draft.ruleset.engagement} />
              <tr>
                <th colspan={3}>Fit</th>
              </tr>
              <RuleRows family="fit" rules={draft.ruleset.fit} />
            </tbody>
          </table>
          {editable ? (
            <button type="submit" class="button">
              Save
            </button>
          ) : null}
        </form>
      </section>
      <section class="card">
        <h2>Scenarios</h2>
        <ul id="scenarios">
          {props.scenarios.map((s) => (
            <li class={s.passed ? 'ok' : 'failed'}>
              {s.passed ? 'passes' : 'FAILS'}: {s.name} — {s.stage}, score {s.score}
              {s.message ? ` (${s.message})` : ''}
            </li>
          ))}
        </ul>
      </section>
      {props.canEdit ? (
        <section class="card">
          <form method="post" action={`${base}/preview`}>
            <Csrf frame={props.frame} />
            <button type="submit" class="button" id="preview">
              Preview impact
            </button>
          </form>
        </section>
      ) : null}
      {props.canPublish && draft.published_version === null ? (
        <section class="card">
          <form method="post" action={`${base}/publish`}>
            <Csrf frame={props.frame} />
            <label>
              Change note <input type="text" name="note" required maxlength={1000} />
            </label>
            <button type="submit" class="button" id="publish">
              Publish
            </button>
          </form>
        </section>
      ) : null}
      <section class="card">
        <h2>JSON</h2>
        <form method="post" action={`${base}/json`}>
          <Csrf frame={props.frame} />
          <textarea name="json" rows={16} cols={80} readonly={!editable}>
            {JSON.stringify(draft.ruleset, null, 2)}
          </textarea>
          {editable ? (
            <button type="submit" class="button">
              Import JSON
            </button>
          ) : null}
        </form>
      </section>
    </Layout>
  );
}

export interface PreviewJson {
  contacts: number;
  events: number;
  took_ms: number;
  live_version: number;
  current: { mqls: number; sqls: number };
  draft: { mqls: number; sqls: number };
  moves: Record<string, number>;
  changes: { id: string; email: string | null; from: string; to: string }[];
  distribution: { bands: string[]; current: number[]; draft: number[] };
  mqls_per_week: { week: string; current: number; draft: number }[];
  scenarios: ScenarioJson[];
}

export function PreviewPage(props: { frame: Frame; draft: DraftJson; preview: PreviewJson }) {
  const { preview } = props;
  return (
    <Layout title={`Preview: ${props.draft.name}`} section="rules" frame={props.frame}>
      <section class="card" id="preview-summary">
        <p>
          {preview.contacts} contacts, {preview.events} events, in {preview.took_ms} ms
        </p>
        <table>
          <thead>
            <tr>
              <th />
              <th>live v{preview.live_version}</th>
              <th>draft</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>MQLs</td>
              <td class="mqls-live">{preview.current.mqls}</td>
              <td class="mqls-draft">{preview.draft.mqls}</td>
            </tr>
            <tr>
              <td>SQLs</td>
              <td>{preview.current.sqls}</td>
              <td>{preview.draft.sqls}</td>
            </tr>
            {preview.distribution.bands.map((band, i) => (
              <tr>
                <td>score {band}</td>
                <td>{preview.distribution.current[i]}</td>
                <td>{preview.distribution.draft[i]}</td>
              </tr>
            ))}
            {preview.mqls_per_week.map((w) => (
              <tr>
                <td>MQLs, week of {w.week}</td>
                <td>{w.current}</td>
                <td>{w.draft}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card">
        <h2>{preview.changes.length} contacts change stage</h2>
        <ul id="changes">
          {preview.changes.map((change) => (
            <li>
              <a href={`/dashboard/contacts/${encodeURIComponent(change.id)}`}>{change.email ?? change.id}</a>
              : {change.from} → {change.to}
            </li>
          ))}
        </ul>
        <a href={`/dashboard/rules/drafts/${encodeURIComponent(props.draft.id)}`}>Back to the draft</a>
      </section>
    </Layout>
  );
}
