/**
 * `parrot server --config FILE`: a YAML file whose keys are the long flags without their dashes
 * (`port: 4000`, `tls-cert: /etc/parrot/cert.pem`, `versions: [1, 2]`, `allow-plaintext: true`).
 * Flags win over the environment, which wins over the file (config.ts). Every error names the
 * file and line: a syntax error, an unknown key, a value that is not a scalar or a list of them.
 * `contrib/parrot.yaml` is a documented example.
 */
import { readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";

/** One option as the file gives it: its text as a flag would carry it, and where it came from. */
export interface FileOption {
  text: string;
  /** "FILE:LINE: KEY", for error messages. */
  source: string;
}

export class ConfigFileError extends Error {
  override name = "ConfigFileError";
}

/** Reads FILE; `keys` are the options a file may set. Throws ConfigFileError. */
export function readConfigFile(path: string, keys: readonly string[]): Map<string, FileOption> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigFileError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (offset: number | undefined) => lines.linePos(offset ?? 0).line;
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const line = firstError.linePos?.[0].line ?? lineOf(firstError.pos[0]);
    throw new ConfigFileError(`${path}:${line}: ${firstError.message.split("\n")[0]}`);
  }
  const options = new Map<string, FileOption>();
  if (document.contents === null) return options;
  if (!isMap(document.contents)) {
    throw new ConfigFileError(`${path}:1: expected "key: value" lines`);
  }
  for (const pair of document.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const at = `${path}:${lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined)}`;
    if (!keys.includes(key)) {
      throw new ConfigFileError(`${at}: unknown option "${key}" (known: ${keys.join(", ")})`);
    }
    const value = pair.value;
    let optionText: string | undefined;
    if (isScalar(value) && value.value !== null) optionText = String(value.value);
    if (isSeq(value) && value.items.every((item) => isScalar(item))) {
      optionText = value.items.map((item) => String((item as { value: unknown }).value)).join(",");
    }
    if (optionText === undefined) {
      throw new ConfigFileError(`${at}: ${key} needs a value (a number, a word or a list)`);
    }
    options.set(key, { text: optionText, source: `${at}: ${key}` });
  }
  return options;
}
