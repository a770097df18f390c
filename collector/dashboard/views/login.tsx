/** The sign-in page: user/password (when configured) or a secret API key. */
import { CSRF_FIELD } from '../csrf';
import { Document } from './layout';

export function LoginPage(props: { token: string; next: string; error?: string; hasUsers: boolean }) {
  return (
    <Document title="Sign in" bodyClass="login-body">
      <main class="login">
        <div class="login-brand">
          <img src="/dashboard/assets/icon.svg" alt="" width="36" height="36" />
          <span>leadtrail</span>
        </div>
        <div class="card login-card">
          <h1>Sign in</h1>
          {props.error ? (
            <p class="flash flash-error" role="alert">
              {props.error}
            </p>
          ) : null}
          {props.hasUsers ? (
            <form method="post" action="/dashboard/login" class="stack">
              <input type="hidden" name={CSRF_FIELD} value={props.token} />
              <input type="hidden" name="next" value={props.next} />
              <input type="hidden" name="method" value="user" />
              <label>
                User
                <input name="user" autocomplete="username" required />
              </label>
              <label>
                Password
                <input name="password" type="password" autocomplete="current-password" required />
              </label>
              <button type="submit" class="button primary">
                Sign in
              </button>
            </form>
          ) : null}
          {props.hasUsers ? <p class="or">or with a secret API key</p> : null}
          <form method="post" action="/dashboard/login" class="stack">
            <input type="hidden" name={CSRF_FIELD} value={props.token} />
            <input type="hidden" name="next" value={props.next} />
            <input type="hidden" name="method" value="key" />
            <label>
              API key
              <input name="key" type="password" autocomplete="off" placeholder="sk_…" required />
            </label>
            <button type="submit" class={props.hasUsers ? 'button' : 'button primary'}>
              Sign in with key
            </button>
          </form>
          <p class="hint">
            A read-only key can look at everything; moving leads between stages needs a full key.
          </p>
        </div>
      </main>
    </Document>
  );
}
