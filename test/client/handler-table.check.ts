/**
 * Compile-time proof, checked by `make check` (tsc), that the client's handler table must name a
 * handler for every message type the client receives: a copy of the real table with one entry
 * taken out is not a ClientHandlers. If the generated type stopped requiring every entry, the
 * `@ts-expect-error` below would have no error to expect, and tsc would fail on that instead.
 */
import { CLIENT_HANDLERS } from "../../client/handlers/client-handlers.ts";
import type { ReceiveContext } from "../../client/handlers/receive-context.ts";
import type { ClientHandlers } from "../../generated/index.ts";

const { PONG: _pong, ...withoutPong } = CLIENT_HANDLERS;

// @ts-expect-error: PONG has no handler, so this is not a complete client handler table.
export const incompleteTable: ClientHandlers<ReceiveContext, void> = withoutPong;

// The whole table is one.
export const completeTable: ClientHandlers<ReceiveContext, void> = CLIENT_HANDLERS;
