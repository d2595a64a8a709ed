/** A `parrot server` option that cannot be used; its message names the flag, variable or file line. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
