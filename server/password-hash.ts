/**
 * Password hashing with scrypt (node:crypto), the memory-hard KDF REQ-10.1 asks for.
 *
 * A stored hash is "scrypt:N:r:p:saltBase64:hashBase64": the parameters travel with each hash so
 * the cost can be raised later without invalidating existing users. Each password gets its own
 * random 16-byte salt. Verification recomputes the hash with the stored parameters and compares
 * with crypto.timingSafeEqual (REQ-10.2).
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

export interface PasswordHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

/** About 50 ms and 16 MiB per hash on a laptop; tests use N=1024. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 16384, r: 8, p: 1 };
export const SALT_BYTES = 16;
export const HASH_BYTES = 32;

// Bounds on what a users file may ask for, so a typo cannot make every login allocate gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

export class PasswordHashFormatError extends Error {
  override name = "PasswordHashFormatError";
}

/**
 * scrypt keys its HMAC with the password, and HMAC pads a short key with zero bytes: "pass1" and
 * "pass1\0" derive the same hash. So no password may contain U+0000 (spec REQ-5.12, REQ-5.13).
 */
const NUL = "\u0000";

export class PasswordWithNulError extends Error {
  override name = "PasswordWithNulError";
  constructor() {
    super("a password may not contain U+0000 (NUL): spec REQ-5.13");
  }
}

export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<PasswordHash> {
  if (password.includes(NUL)) throw new PasswordWithNulError();
  checkParams(params);
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, params, HASH_BYTES);
  return { params: { ...params }, salt, hash };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  // Derived all the same, so a password with a NUL costs what a wrong one does (REQ-10.3).
  const candidate = await derive(password, stored.salt, stored.params, stored.hash.length);
  return timingSafeEqual(candidate, stored.hash) && !password.includes(NUL);
}

/**
 * A hash no password matches (its bytes are random, not derived), with the given parameters:
 * checking an unknown user's password against it costs the same as a wrong password (REQ-10.3).
 */
export function unmatchableHash(params: ScryptParams): PasswordHash {
  return { params: { ...params }, salt: randomBytes(SALT_BYTES), hash: randomBytes(HASH_BYTES) };
}

/**
 * The costliest of `params` (scrypt's work grows with N * r * p, its memory with N * r), or
 * `fallback` when there are none. An unknown user's password is checked with these, so that it
 * never answers faster than a real account (REQ-10.3).
 */
export function costliestParams(
  params: Iterable<ScryptParams>,
  fallback: ScryptParams,
): ScryptParams {
  let costliest: ScryptParams | undefined;
  for (const candidate of params) {
    if (costliest === undefined || compareCost(candidate, costliest) > 0) costliest = candidate;
  }
  return costliest ?? fallback;
}

function compareCost(a: ScryptParams, b: ScryptParams): number {
  return a.N * a.r * a.p - b.N * b.r * b.p || a.N * a.r - b.N * b.r;
}

export function formatPasswordHash(stored: PasswordHash): string {
  const { N, r, p } = stored.params;
  return `scrypt:${N}:${r}:${p}:${stored.salt.toString("base64")}:${stored.hash.toString("base64")}`;
}

/** Parses "scrypt:N:r:p:salt:hash"; throws PasswordHashFormatError saying what is wrong. */
export function parsePasswordHash(text: string): PasswordHash {
  const fields = text.split(":");
  if (fields.length !== 6) {
    throw new PasswordHashFormatError(
      `expected scrypt:N:r:p:salt:hash (6 fields), got ${fields.length}`,
    );
  }
  const [scheme, nText, rText, pText, saltText, hashText] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (scheme !== "scrypt") throw new PasswordHashFormatError(`unknown scheme "${scheme}"`);
  const params = {
    N: parseCount(nText, "N"),
    r: parseCount(rText, "r"),
    p: parseCount(pText, "p"),
  };
  checkParams(params);
  const salt = parseBase64(saltText, "salt");
  const hash = parseBase64(hashText, "hash");
  if (hash.length < 16) throw new PasswordHashFormatError("hash is shorter than 16 bytes");
  return { params, salt, hash };
}

export function checkParams(params: ScryptParams): void {
  const { N, r, p } = params;
  if (!Number.isInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0) {
    throw new PasswordHashFormatError(
      `scrypt N must be a power of two from 2 to ${MAX_N}, got ${N}`,
    );
  }
  if (!Number.isInteger(r) || r < 1 || r > MAX_R) {
    throw new PasswordHashFormatError(`scrypt r must be 1..${MAX_R}, got ${r}`);
  }
  if (!Number.isInteger(p) || p < 1 || p > MAX_P) {
    throw new PasswordHashFormatError(`scrypt p must be 1..${MAX_P}, got ${p}`);
  }
}

function derive(
  password: string,
  salt: Buffer,
  params: ScryptParams,
  keyLength: number,
): Promise<Buffer> {
  // node refuses anything above maxmem (32 MiB by default); scrypt needs 128 * N * r bytes.
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...params, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

function parseCount(text: string, name: string): number {
  if (!/^[0-9]{1,8}$/.test(text))
    throw new PasswordHashFormatError(`scrypt ${name} is not a number`);
  return Number(text);
}

function parseBase64(text: string, name: string): Buffer {
  if (text.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new PasswordHashFormatError(`${name} is not base64`);
  }
  return Buffer.from(text, "base64");
}
