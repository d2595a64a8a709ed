/**
 * The --launch command that starts a broken variant (start-variant.ts) the way the suite starts any
 * implementation: same flags as `parrot server`, the fixture accounts, the launcher's short timers.
 */
import { join } from "node:path";

export function variantCommand(file: string, usersFile: string): string {
  return [
    "node --import tsx",
    join("test", "conformance", "broken-servers", file),
    `-l {host} -p 0 --users ${usersFile}`,
    "--ping-interval {ping_interval} --ping-timeout {ping_timeout}",
    "--handshake-timeout {handshake_timeout} --log-level warn",
  ].join(" ");
}
