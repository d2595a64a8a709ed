/**
 * Throwaway accounts for the benchmarks (bench000001, bench000002, ...), provisioned through the real
 * `parrot useradd --batch` so the server reads exactly the file format it reads in production, with a cheap
 * scrypt cost (N = 1024) so provisioning and logging in 10 000 sessions takes seconds, not minutes. The
 * plaintext list is kept next to the users file for the load generator and the ping fleet.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Credentials } from "./parrot-login.ts";

/** Cheap on purpose: the bench measures sessions, not password hashing. */
export const BENCH_SCRYPT_N = 1024;
/** What `parrot useradd` uses by default, for the login burst at the production cost. */
export const PRODUCTION_SCRYPT_N = 16384;

export interface BenchUsers {
  usersFile: string;
  credentialsFile: string;
  count: number;
  provisionMs: number;
}

export function benchCredentials(index: number): Credentials {
  const serial = String(index + 1).padStart(6, "0");
  return { username: `bench${serial}`, password: `pw-${serial}-not-secret` };
}

export async function provisionBenchUsers(
  count: number,
  dir: string,
  repoRoot: string,
  scryptN = BENCH_SCRYPT_N,
): Promise<BenchUsers> {
  const usersFile = join(dir, `users-scrypt-${scryptN}.txt`);
  const credentialsFile = join(dir, `credentials-${count}.txt`);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const { username, password } = benchCredentials(i);
    lines.push(`${username} ${password}`);
  }
  const input = `${lines.join("\n")}\n`;
  writeFileSync(credentialsFile, input, { mode: 0o600 });

  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "cli/parrot.ts",
        "useradd",
        "--users",
        usersFile,
        "--batch",
        "--scrypt-n",
        String(scryptN),
      ],
      { cwd: repoRoot, stdio: ["pipe", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4096);
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`parrot useradd --batch exited with ${code}:\n${stderr}`)),
    );
    child.stdin.end(input);
  });
  return { usersFile, credentialsFile, count, provisionMs: performance.now() - started };
}

/** The first `count` accounts of a credentials file written by provisionBenchUsers. */
export function readCredentials(file: string, count: number): Credentials[] {
  const credentials: Credentials[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (credentials.length === count) break;
    const [username, password] = line.split(" ");
    if (username && password) credentials.push({ username, password });
  }
  if (credentials.length < count) {
    throw new Error(`${file} holds ${credentials.length} accounts, ${count} needed`);
  }
  return credentials;
}
