/**
 * Why a client run ended badly, as a value: `reason` is a stable name from the exit-code table that
 * code and tests branch on; `message` is the one line shown to the user on stderr.
 */
import type { ExitReason } from "./exit-codes.ts";

export class ClientFailure extends Error {
  override readonly name = "ClientFailure";

  constructor(
    readonly reason: Exclude<ExitReason, "OK">,
    message: string,
  ) {
    super(message);
  }
}
