/**
 * Temp copies of spec/ for tests that break the spec on purpose, and a way to run the generator's
 * command line on them exactly as `make generate` does.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import type { ProtocolSpec } from "../../tools/codegen/protocol-loader.ts";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const SPEC_DIR = join(REPO, "spec");

export interface TempDir {
  path: string;
  remove(): void;
}

export function tempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `parrot-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A temp output directory for generated code that a test imports. It sits in the repository, beside
 * generated/, because generated code imports the hand-written runtime as `../codec/`; that runtime
 * reads the committed generated/constants.ts, so such a test may change payload layouts only.
 */
export function generatedTempDir(prefix: string): TempDir {
  const path = mkdtempSync(join(REPO, `.generated-test-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A temp copy of spec/ (pdu.ksy, protocol.json, protocol.schema.json). */
export function specCopy(): TempDir {
  const dir = tempDir("spec");
  for (const f of ["pdu.ksy", "protocol.json", "protocol.schema.json"]) {
    cpSync(join(SPEC_DIR, f), join(dir.path, f));
  }
  return dir;
}

/** protocol.json as data to break on purpose: its known shape, plus room for unknown keys. */
export type EditableProtocol = ProtocolSpec & Record<string, unknown>;

export function readProtocol(): EditableProtocol {
  return JSON.parse(readFileSync(join(SPEC_DIR, "protocol.json"), "utf8")) as EditableProtocol;
}

export function readKsyText(): string {
  return readFileSync(join(SPEC_DIR, "pdu.ksy"), "utf8");
}

/** pdu.ksy with one YAML node replaced (value undefined deletes it), as text. */
export function editKsy(path: (string | number)[], value: unknown): string {
  const doc = parseDocument(readKsyText());
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, value);
  return doc.toString();
}

export function writeFile(dir: TempDir, name: string, text: string): void {
  writeFileSync(join(dir.path, name), text);
}

/** Runs tools/codegen/main.ts like `make generate` does. */
export function runGenerator(args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "tools/codegen/main.ts", ...args],
    {
      cwd: REPO,
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
