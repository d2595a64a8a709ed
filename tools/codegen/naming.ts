/**
 * How spec identifiers (lower_snake in pdu.ksy, UPPER_SNAKE in protocol.json) become TypeScript
 * identifiers. Kept in one place so every emitter agrees on the spelling of the same field.
 */

/** `message_type` -> `MESSAGE_TYPE`: enum entry names on the wire side of the API. */
export function upperSnake(id: string): string {
  return id.toUpperCase();
}

/** `ping_interval_ms` -> `pingIntervalMs`: PDU field names. */
export function camelCase(id: string): string {
  return id.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `version_request` / `VERSION_REQUEST` -> `VersionRequest`: type and function names. */
export function pascalCase(id: string): string {
  const camel = camelCase(id.toLowerCase());
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}
