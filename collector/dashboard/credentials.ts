/**
 * Who may sign in: anyone holding a secret API key (its role decides which buttons work) or a
 * user/password from the config's `dashboard.users` (role `sales` unless the entry names another). A session stores only a fingerprint of the credential, never the credential, and is
 * re-checked against the config on every request — so removing a key or changing a password
 * ends the sessions that used it.
 */
import { findKey } from '../auth';
import type { Config } from '../config';
import type { Role } from '../roles';
import { safeEqual, sign } from './secret';

export interface Credential {
  kind: 'key' | 'user';
  /** Shown in the header and recorded as the actor of stage moves. */
  name: string;
  role: Role;
  fingerprint: string;
}

const keyFingerprint = (secret: Buffer, key: string) => sign(secret, `key\0${key}`).slice(0, 24);
const userFingerprint = (secret: Buffer, user: string, password: string) =>
  sign(secret, `user\0${user}\0${password}`).slice(0, 24);

export function credentialsOf(config: Config, secret: Buffer): Credential[] {
  return [
    ...config.apiKeys.map((key) => ({
      kind: 'key' as const,
      name: key.name,
      role: key.role,
      fingerprint: keyFingerprint(secret, key.key),
    })),
    ...config.dashboardUsers.map((u) => ({
      kind: 'user' as const,
      name: u.user,
      role: u.role,
      fingerprint: userFingerprint(secret, u.user, u.password),
    })),
  ];
}

export function checkKey(config: Config, secret: Buffer, presented: string): Credential | undefined {
  const key = findKey(config, presented.trim());
  if (!key) return undefined;
  return { kind: 'key', name: key.name, role: key.role, fingerprint: keyFingerprint(secret, key.key) };
}

export function checkUser(
  config: Config,
  secret: Buffer,
  user: string,
  password: string,
): Credential | undefined {
  let found: Credential | undefined;
  // Check every entry, even after a match, so timing does not reveal which user names exist.
  for (const entry of config.dashboardUsers) {
    const match = safeEqual(entry.user, user) && safeEqual(entry.password, password);
    if (match) {
      found = {
        kind: 'user',
        name: entry.user,
        role: entry.role,
        fingerprint: userFingerprint(secret, entry.user, entry.password),
      };
    }
  }
  return found;
}
