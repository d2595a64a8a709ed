/**
 * Where an option's text comes from: the flag, else its environment variable, else the config
 * file (--config or PARROT_CONFIG), else nowhere (the caller's default). Each answer carries its
 * source ("--port", "PARROT_PORT", "parrot.yaml:3: port") so that an error names it.
 */
import { parseArgs } from "node:util";
import { ConfigError } from "./config-error.ts";
import { ConfigFileError, type FileOption, readConfigFile } from "./config-file.ts";
import { FILE_KEYS, SERVER_FLAGS } from "./server-flags.ts";

export interface OptionText {
  text: string;
  /** The flag, variable or "FILE:LINE: key" it came from. */
  source: string;
}

export interface OptionSources {
  help: boolean;
  /** A value option's text, by its long name. */
  value(name: string): OptionText | undefined;
  /** Whether a switch is on. */
  isOn(name: string): boolean;
}

/** Reads argv (without "server"), env and the config file they name. Throws ConfigError. */
export function readOptionSources(argv: readonly string[], env: NodeJS.ProcessEnv): OptionSources {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: parseArgsOptions(),
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const flagOf = (name: string) => {
    const flag = SERVER_FLAGS.find((candidate) => candidate.name === name);
    if (flag === undefined) throw new Error(`no server flag --${name} in server-flags.ts`);
    return flag;
  };
  const fromFile = configFileOptions(values["config"], env);
  const pick = (name: string): OptionText | undefined => {
    const fromFlag = values[name];
    if (fromFlag !== undefined) return { text: String(fromFlag), source: `--${name}` };
    const variable = flagOf(name).variable;
    const fromEnv = env[variable];
    if (fromEnv !== undefined && fromEnv !== "") return { text: fromEnv, source: variable };
    return fromFile.get(name);
  };
  return {
    help: values["help"] === true,
    value: (name) => {
      if (flagOf(name).kind !== "value") throw new Error(`--${name} is a switch`);
      return pick(name);
    },
    isOn: (name) => {
      if (flagOf(name).kind !== "switch") throw new Error(`--${name} takes a value`);
      return switchIsOn(pick(name));
    },
  };
}

function parseArgsOptions() {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const flag of SERVER_FLAGS) {
    options[flag.name] = {
      type: flag.kind === "value" ? "string" : "boolean",
      ...(flag.short === undefined ? {} : { short: flag.short }),
    };
  }
  return options;
}

/** A switch: given as a flag (text "true"), PARROT_...=1, or `key: true` in the file. */
function switchIsOn(option: OptionText | undefined): boolean {
  if (option === undefined) return false;
  if (option.text === "true" || option.text === "1") return true;
  if (option.text === "false" || option.text === "0") return false;
  throw new ConfigError(`${option.source}: "${option.text}" is neither true nor false (1 or 0)`);
}

/** The --config (or PARROT_CONFIG) file's options; none without one. */
function configFileOptions(
  flag: string | boolean | undefined,
  env: NodeJS.ProcessEnv,
): Map<string, FileOption> {
  const path = typeof flag === "string" ? flag : env["PARROT_CONFIG"] || undefined;
  if (path === undefined) return new Map();
  try {
    return readConfigFile(path, FILE_KEYS);
  } catch (error) {
    if (error instanceof ConfigFileError) throw new ConfigError(error.message);
    throw error;
  }
}
