/**
 * Turning an option's text into a value: whole numbers, seconds, version lists, [ADDR:]PORT.
 * Each error names where the text came from (option-sources.ts) and what was expected.
 */
import { DEFAULT_VERSIONS } from "../../server/parrot-server.ts";
import { ConfigError } from "./config-error.ts";
import type { OptionText } from "./option-sources.ts";

// A u4 in VERSION_RESPONSE carries the advertised timers.
export const MAX_TIMER_MS = 0xffff_ffff;

export function parseInteger(option: OptionText, min: number, max: number): number {
  const value = Number(option.text);
  if (!/^[0-9]+$/.test(option.text.trim()) || value < min || value > max) {
    throw new ConfigError(
      `${option.source}: "${option.text}" is not a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

export function parsePort(option: OptionText): number {
  return parseInteger(option, 0, 65535);
}

/** Seconds, fractions allowed, as whole milliseconds from 1 to what a u4 carries. */
export function parseSeconds(option: OptionText): number {
  const seconds = Number(option.text);
  const ms = Math.round(seconds * 1000);
  if (option.text.trim() === "" || !Number.isFinite(seconds) || ms < 1 || ms > MAX_TIMER_MS) {
    throw new ConfigError(
      `${option.source}: "${option.text}" is not a number of seconds from 0.001 to ${MAX_TIMER_MS / 1000}`,
    );
  }
  return ms;
}

/** "2, 1,2" -> [1, 2]: versions this server implements, ascending, once each. */
export function parseVersions(option: OptionText): number[] {
  const items = option.text.split(",").map((item) => item.trim());
  const versions = new Set<number>();
  for (const item of items) {
    const version = Number(item);
    if (!/^[0-9]+$/.test(item) || !DEFAULT_VERSIONS.includes(version)) {
      throw new ConfigError(
        `${option.source}: "${item}" is not a version this server implements (${DEFAULT_VERSIONS.join(", ")})`,
      );
    }
    versions.add(version);
  }
  return [...versions].sort((a, b) => a - b);
}

/** "PORT", "ADDR:PORT" or "[V6]:PORT"; loopback when no address is given. */
export function parseListenAddress(option: OptionText): { host: string; port: number } {
  const match = /^(?:(?:\[([^\]]+)\]|([^:[\]]+)):)?([0-9]+)$/.exec(option.text.trim());
  if (match === null) {
    throw new ConfigError(
      `${option.source}: "${option.text}" is not [ADDR:]PORT, e.g. 127.0.0.1:9464`,
    );
  }
  const host = match[1] ?? match[2] ?? "127.0.0.1";
  return { host, port: parsePort({ text: match[3]!, source: option.source }) };
}
