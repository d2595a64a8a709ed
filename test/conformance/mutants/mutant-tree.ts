/**
 * A copy of the reference implementation with one planted fault: the source folders the server runs
 * from are copied to a scratch directory, one exact piece of text in one file is replaced, and the
 * copy's `parrot server` is what the suite launches. The working tree is never touched.
 *
 * A patch names its text exactly and must find it exactly once, so a corpus that no longer matches the
 * code fails loudly instead of planting nothing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "../run-suite.ts";

/** What the server needs to run: its own code, what it imports, and the CLI that starts it. */
const COPIED = [
  "server",
  "transport",
  "generated",
  "codec",
  "cli",
  "client",
  "package.json",
  "tsconfig.json",
];

export interface Patch {
  /** Repository-relative path of the file to change. */
  file: string;
  find: string;
  replace: string;
}

export class StalePatchError extends Error {
  override name = "StalePatchError";
}

/** Checks that `patch` applies to the working tree as it is now (exactly one match). */
export function checkPatch(patch: Patch): void {
  const text = readFileSync(join(REPO, patch.file), "utf8");
  const count = text.split(patch.find).length - 1;
  if (count !== 1) {
    throw new StalePatchError(
      `${patch.file}: the text to replace occurs ${count} times, not once: ${JSON.stringify(patch.find)}`,
    );
  }
}

/** A scratch copy with `patches` applied in order; `remove()` deletes it. */
export function plantMutant(patches: readonly Patch[]): { root: string; remove(): void } {
  for (const patch of patches) checkPatch(patch);
  const root = mkdtempSync(join(tmpdir(), "parrot-mutant-"));
  for (const entry of COPIED) cpSync(join(REPO, entry), join(root, entry), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"));
  for (const patch of patches) {
    const file = join(root, patch.file);
    const text = readFileSync(file, "utf8");
    if (text.split(patch.find).length !== 2) {
      throw new StalePatchError(
        `${patch.file}: an earlier patch of the same mutant changed ${JSON.stringify(patch.find)}`,
      );
    }
    writeFileSync(
      file,
      text.replace(patch.find, () => patch.replace),
    );
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
