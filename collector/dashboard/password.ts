/**
 * Dashboard password hashes: scrypt from node:crypto, stored as one string
 *
 *     scrypt$<N>$<r>$<p>$<salt, base64url>$<hash, base64url>
 *
 * (N = CPU/memory cost, a power of two; r = block size; p = parallelism; 16-byte salt; 32-byte
 * hash). `npm run hash-password` prints one. The parameters travel with the hash, so raising the
 * defaults later does not invalidate hashes made today. Parameters are bounded when the config is
 * read, so a config cannot make one sign-in allocate gigabytes.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface PasswordHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/** 2^15 × 8 × 128 B = 32 MiB and about 50–100 ms per sign-in on a small server. */
export const DEFAULT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const FORMAT = /^scrypt\$(\d{1,8})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/;

/** Parsed hash, or the reason it cannot be used (the config names the field). */
export function parsePasswordHash(text: string): PasswordHash | string {
  const match = FORMAT.exec(text);
  if (!match) return 'must look like scrypt$N$r$p$salt$hash (npm run hash-password prints one)';
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (N < 2 ** 14 || N > 2 ** 20 || (N & (N - 1)) !== 0)
    return 'N must be a power of two from 16384 to 1048576';
  if (r < 1 || r > 32) return 'r must be 1–32';
  if (p < 1 || p > 16) return 'p must be 1–16';
  const salt = Buffer.from(match[4]!, 'base64url');
  const hash = Buffer.from(match[5]!, 'base64url');
  if (hash.length < 16) return 'hash is too short';
  return { N, r, p, salt, hash };
}

const derive = (
  password: string,
  salt: Buffer,
  length: number,
  params: { N: number; r: number; p: number },
) =>
  new Promise<Buffer>((resolve, reject) => {
    // maxmem must exceed 128·N·r or node refuses; bounded by the parse above.
    const maxmem = 256 * params.N * params.r + 1024 * 1024;
    scrypt(password, salt, length, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });

export async function hashPassword(password: string, params = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, HASH_BYTES, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, stored.salt, stored.hash.length, stored);
  return timingSafeEqual(candidate, stored.hash);
}
