// REQ-10.3 with accounts of different scrypt costs (issue 12, defect 3): an unknown user is
// refused as slowly as a wrong password on the costliest account, whatever order the accounts
// are in. Low costs keep it quick; the ratio, not the speed, is what is checked.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { silentLogger } from "../../server/logger.ts";
import { hashPassword } from "../../server/password-hash.ts";
import { UserStore } from "../../server/user-store.ts";
import { setUser, type UsersFileLine, writeUsersFile } from "../../server/users-file.ts";
import { tempDir } from "../../tools/launch/test-accounts.ts";

const CHEAP = { N: 16, r: 8, p: 1 };
const COSTLY = { N: 4096, r: 8, p: 1 };
const SAMPLES = 15;

async function millisecondsFor(check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  assert.equal(await check(), false);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

test("REQ-10.3: with a cheap account first, an unknown user costs what a wrong password on the costliest account costs", async () => {
  let lines: UsersFileLine[] = [];
  lines = setUser(lines, "cheap", await hashPassword("cheap-pass", CHEAP)).lines;
  lines = setUser(lines, "costly", await hashPassword("costly-pass", COSTLY)).lines;
  const path = join(await tempDir(), "users.txt");
  await writeUsersFile(path, lines);
  const store = await UserStore.open(path, { logger: silentLogger() });

  const unknown: number[] = [];
  const wrongPassword: number[] = [];
  // Interleaved, so a burst of load on the machine hits both series alike.
  for (let i = 0; i < SAMPLES; i++) {
    unknown.push(await millisecondsFor(() => store.verify(`nobody${i}`, "guess")));
    wrongPassword.push(await millisecondsFor(() => store.verify("costly", "guess")));
  }
  const ratio = median(unknown) / median(wrongPassword);
  // The same order of magnitude; the defect made it ~1/100 (a dummy hash at the cheap cost).
  assert.ok(
    ratio > 1 / 3 && ratio < 3,
    `unknown user median ${median(unknown).toFixed(2)} ms, wrong password ${median(wrongPassword).toFixed(2)} ms`,
  );
});
