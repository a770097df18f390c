/**
 * Who may sign in: anyone holding a secret API key (its access decides whether sales buttons
 * work) or a user/password from the config's `dashboard.users` (full access unless the entry
 * says `"access": "read"`). A session stores only a fingerprint of the credential, never the credential, and is
 * re-checked against the config on every request — so removing a key or changing a password
 * ends the sessions that used it.
 */
import { findKey } from '../auth';
import type { ApiKey, Config, DashboardUser } from '../config';
import { DEFAULT_PARAMS, type PasswordHash, parsePasswordHash, verifyPassword } from './password';
import { safeEqual, sign } from './secret';

export type Access = ApiKey['access'];

export interface Credential {
  kind: 'key' | 'user';
  /** Shown in the header and recorded as the actor of stage moves. */
  name: string;
  access: Access;
  fingerprint: string;
}

const keyFingerprint = (secret: Buffer, key: string) => sign(secret, `key\0${key}`).slice(0, 24);
/** Changing the password (or its hash) changes the fingerprint, which ends that user's sessions. */
const userFingerprint = (secret: Buffer, user: DashboardUser) =>
  sign(secret, `user\0${user.user}\0${user.passwordHash ?? user.password ?? ''}`).slice(0, 24);

/** Checked when no user name matched, so a wrong name costs as long as a wrong password. */
const DECOY: PasswordHash = {
  ...DEFAULT_PARAMS,
  salt: Buffer.alloc(16, 1),
  hash: Buffer.alloc(32, 2),
};

export function credentialsOf(config: Config, secret: Buffer): Credential[] {
  return [
    ...config.apiKeys.map((key) => ({
      kind: 'key' as const,
      name: key.name,
      access: key.access,
      fingerprint: keyFingerprint(secret, key.key),
    })),
    ...config.dashboardUsers.map((u) => ({
      kind: 'user' as const,
      name: u.user,
      access: u.access,
      fingerprint: userFingerprint(secret, u),
    })),
  ];
}

export function checkKey(config: Config, secret: Buffer, presented: string): Credential | undefined {
  const key = findKey(config, presented.trim());
  if (!key) return undefined;
  return { kind: 'key', name: key.name, access: key.access, fingerprint: keyFingerprint(secret, key.key) };
}

export async function checkUser(
  config: Config,
  secret: Buffer,
  user: string,
  password: string,
): Promise<Credential | undefined> {
  let entry: DashboardUser | undefined;
  // Compare every name, even after a match, so timing does not reveal which user names exist.
  for (const candidate of config.dashboardUsers) if (safeEqual(candidate.user, user)) entry = candidate;
  const stored = entry?.passwordHash === undefined ? undefined : parsePasswordHash(entry.passwordHash);
  let match = false;
  if (typeof stored === 'object') match = await verifyPassword(password, stored);
  else {
    if (entry?.password !== undefined) match = safeEqual(entry.password, password);
    // When any user has a hash, every other path pays for one scrypt too: an unknown name or a
    // plaintext user must not answer faster than a hashed one.
    if (config.dashboardUsers.some((u) => u.passwordHash !== undefined))
      await verifyPassword(password, DECOY);
  }
  if (!entry || !match) return undefined;
  return {
    kind: 'user',
    name: entry.user,
    access: entry.access,
    fingerprint: userFingerprint(secret, entry),
  };
}
