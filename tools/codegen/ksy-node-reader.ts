/**
 * Reading one YAML node of pdu.ksy at a time, each check naming the node's path (and, through
 * `fail`, its line) when it refuses: the primitives ksy-loader.ts and ksy-frame-shape.ts share.
 */

export type Json = unknown;

export const IDENT = /^[a-z][a-z0-9_]*$/;
export const INT_TYPES: readonly string[] = ["u1", "u2", "u4"];
const EXTENSION_PREFIX = "-parrot-";
const KNOWN_EXTENSIONS: readonly string[] = ["-parrot-error"];

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The YAML path of `key` under `at`: `types.chat`, `seq[1]`. */
export function join(at: string, key: string | number): string {
  if (typeof key === "number") return `${at}[${key}]`;
  return at === "" ? key : `${at}.${key}`;
}

export class KsyNodeReader {
  constructor(readonly fail: (at: string, problem: string) => never) {}

  record(v: Json, at: string): Record<string, Json> {
    if (!isRecord(v)) return this.fail(at, "expected a mapping");
    return v;
  }

  string(v: Json, at: string): string {
    if (typeof v !== "string") return this.fail(at, "expected a string");
    return v;
  }

  optString(v: Json, at: string): string | undefined {
    return v === undefined ? undefined : this.string(v, at);
  }

  ident(v: Json, at: string): string {
    const s = this.string(v, at);
    if (!IDENT.test(s)) this.fail(at, `"${s}" is not a lower_snake identifier`);
    return s;
  }

  /** Refuses keys outside `allowed`; `doc` is always allowed, `-parrot-*` only if known. */
  allowKeys(obj: Record<string, Json>, at: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (key === "doc" || allowed.includes(key)) continue;
      if (key.startsWith(EXTENSION_PREFIX) && !KNOWN_EXTENSIONS.includes(key)) {
        this.fail(
          join(at, key),
          `unknown Parrot extension (known: ${KNOWN_EXTENSIONS.join(", ")})`,
        );
      }
      this.fail(
        join(at, key),
        `"${key}" is outside the Kaitai subset the Parrot generator supports (allowed here: ${["doc", ...allowed].join(", ")})`,
      );
    }
    if (obj["doc"] !== undefined) this.string(obj["doc"], join(at, "doc"));
  }
}
