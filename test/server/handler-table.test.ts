// The server's handler table is complete, and the compiler says so: one handler per message type
// the server receives (generated SERVER_RECEIVED_TYPES). The @ts-expect-error below is the proof
// that a table missing one entry does not type-check (`make check` fails if it ever does).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SERVER_RECEIVED_TYPES } from "../../generated/index.ts";
import { SERVER_HANDLERS } from "../../server/handlers/index.ts";
import type { ServerHandlerTable } from "../../server/session-context.ts";

const { CHAT: _chat, ...withoutChat } = SERVER_HANDLERS;
// @ts-expect-error a table without CHAT is not a ServerHandlerTable
const incomplete: ServerHandlerTable = withoutChat;

describe("the server handler table", () => {
  test("has a handler for every type the server receives, and nothing else", () => {
    assert.deepEqual(Object.keys(SERVER_HANDLERS).sort(), [...SERVER_RECEIVED_TYPES].sort());
    for (const type of SERVER_RECEIVED_TYPES) {
      assert.equal(typeof SERVER_HANDLERS[type], "function", type);
    }
  });

  test("a table without one entry lacks exactly that entry", () => {
    assert.equal("CHAT" in incomplete, false);
  });
});
