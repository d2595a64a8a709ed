/**
 * Version 3's client types (spec §15) before the server implements them. IMPLEMENTED_VERSIONS
 * does not list 3 yet, so no connection negotiates it and classify() answers these types with
 * UNSUPPORTED_IN_VERSION before a handler is looked up: this is unreachable, and throws (an
 * INTERNAL_ERROR for that connection) should a variant reach it anyway.
 */
import type { Pdu } from "../../generated/index.ts";
import type { Handled } from "../session-context.ts";

export function version3Pending(pdu: Pdu): Handled {
  throw new Error(`${pdu.type}: version 3 is not implemented by this server yet`);
}
