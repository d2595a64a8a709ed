/**
 * classify() against protocol.json globalRules: the order of the checks, where each rule applies,
 * and that the flow tables cover every PDU a server can receive.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type Classification,
  classify,
  ERRORS,
  MESSAGE_RULES,
  MESSAGE_TYPE_NAMES,
  MessageType,
  type MessageTypeName,
  REJECTIONS,
  type Role,
  STATE_NAMES,
  type StateName,
  TRANSITIONS,
} from "../../generated/index.ts";

const V = 1; // the negotiated version in these cases, unless a type needs a later one

function errorOf(c: Classification): string {
  return c.kind === "reject" ? c.error : c.kind;
}

/** The lowest version a session must have negotiated for `type` to exist in it. */
function versionFor(type: MessageTypeName): number {
  return Math.max(V, MESSAGE_RULES[type].since);
}

/** The header version a correct peer writes for this type in this state. */
function rightVersion(type: MessageTypeName, state: StateName): number {
  return MESSAGE_RULES[type].headerVersion === "zero" || state === "CONNECTED"
    ? 0
    : versionFor(type);
}

function negotiated(state: StateName, type: MessageTypeName): number | null {
  return state === "CONNECTED" ? null : versionFor(type);
}

const V2_TYPES = MESSAGE_TYPE_NAMES.filter((t) => MESSAGE_RULES[t].since === 2);

describe("classify", () => {
  test("ERROR is a peer error in every state, with any header version", () => {
    for (const receiver of ["client", "server"] as Role[]) {
      for (const state of STATE_NAMES) {
        for (const version of [0, 1, 2, 255]) {
          const c = classify(receiver, state, negotiated(state, "ERROR"), {
            version,
            type: "ERROR",
          });
          assert.equal(c.kind, "peer-error", `${receiver} ${state} v${version}`);
        }
      }
    }
  });

  test("a server in CONNECTED refuses anything but VERSION_REQUEST first, whatever its version", () => {
    for (const type of MESSAGE_TYPE_NAMES.filter((t) => t !== "VERSION_REQUEST" && t !== "ERROR")) {
      for (const version of [0, 1, 9]) {
        // Even a server-only type with a wrong version: this rule comes before both checks.
        assert.equal(
          errorOf(classify("server", "CONNECTED", null, { version, type })),
          "NEGOTIATION_REQUIRED",
        );
      }
    }
  });

  test("the header version is checked before the sender role", () => {
    const wrongVersionAndSender = classify("server", "AUTHENTICATED", V, {
      version: 2,
      type: "CHAT_ECHO",
    });
    assert.equal(errorOf(wrongVersionAndSender), "WRONG_VERSION");
    assert.equal(
      errorOf(classify("server", "AUTHENTICATED", V, { version: V, type: "CHAT_ECHO" })),
      "UNEXPECTED_MESSAGE",
    );
    assert.equal(
      errorOf(classify("server", "CONNECTED", null, { version: 1, type: "VERSION_REQUEST" })),
      "WRONG_VERSION",
    );
  });

  test("VERSION_REQUEST and VERSION_RESPONSE always carry header version 0", () => {
    assert.equal(
      errorOf(classify("server", "NEGOTIATED", V, { version: 0, type: "VERSION_REQUEST" })),
      "ALREADY_NEGOTIATED",
    );
    assert.equal(
      errorOf(classify("server", "NEGOTIATED", V, { version: V, type: "VERSION_REQUEST" })),
      "WRONG_VERSION",
    );
    assert.equal(
      classify("client", "CONNECTED", null, { version: 0, type: "VERSION_RESPONSE" }).kind,
      "accept",
    );
  });

  test("the sender role is checked before the state's rejections", () => {
    // PONG is never sent by a client; in CONNECTED the server's NEGOTIATION_REQUIRED still wins.
    assert.equal(
      errorOf(classify("server", "NEGOTIATED", V, { version: V, type: "PONG" })),
      "UNEXPECTED_MESSAGE",
    );
    assert.equal(
      errorOf(classify("client", "AUTHENTICATED", V, { version: V, type: "CHAT" })),
      "UNEXPECTED_MESSAGE",
    );
  });

  test("per-state rejections", () => {
    assert.equal(
      errorOf(classify("server", "NEGOTIATED", V, { version: V, type: "CHAT" })),
      "AUTHENTICATION_REQUIRED",
    );
    assert.equal(
      errorOf(classify("server", "AUTHENTICATED", V, { version: V, type: "LOGIN_REQUEST" })),
      "ALREADY_AUTHENTICATED",
    );
    assert.equal(
      errorOf(classify("server", "AUTHENTICATED", V, { version: 0, type: "VERSION_REQUEST" })),
      "ALREADY_NEGOTIATED",
    );
  });

  test("accepting returns every transition for that PDU, to be picked by outcome", () => {
    const c = classify("server", "NEGOTIATED", V, { version: V, type: "LOGIN_REQUEST" });
    assert.equal(c.kind, "accept");
    if (c.kind !== "accept") return;
    assert.deepEqual(
      c.transitions.map((t) => [t.outcome, t.next]),
      [
        ["OK", "AUTHENTICATED"],
        ["BAD_CREDENTIALS", "NEGOTIATED"],
        ["ALREADY_LOGGED_IN", "NEGOTIATED"],
      ],
    );
  });

  test("every transition in the table is reachable with the right header version", () => {
    for (const t of TRANSITIONS) {
      const c = classify(t.receiver, t.state, negotiated(t.state, t.receives), {
        version: rightVersion(t.receives, t.state),
        type: t.receives,
      });
      assert.ok(
        c.kind === "accept" && c.transitions.includes(t),
        `${t.receiver} ${t.state} ${t.receives} ${t.outcome}`,
      );
    }
  });

  test("every rejection in the table is what classify answers", () => {
    for (const r of REJECTIONS) {
      for (const type of r.receives) {
        const c = classify(r.receiver, r.state, negotiated(r.state, type), {
          version: rightVersion(type, r.state),
          type,
        });
        assert.equal(errorOf(c), r.error, `${r.receiver} ${r.state} ${type}`);
      }
    }
  });

  test("a server never falls through the tables for a client PDU in a live state", () => {
    // spec/README.md §8.2: the UNEXPECTED_MESSAGE fallback only ever applies to clients.
    for (const state of STATE_NAMES.filter((s) => s !== "CLOSED")) {
      for (const type of MESSAGE_TYPE_NAMES.filter((t) => MESSAGE_RULES[t].sender === "client")) {
        const covered =
          TRANSITIONS.some(
            (t) => t.receiver === "server" && t.state === state && t.receives === type,
          ) ||
          REJECTIONS.some(
            (r) => r.receiver === "server" && r.state === state && r.receives.includes(type),
          );
        assert.ok(covered, `server in ${state} has no rule for ${type}`);
      }
    }
  });

  test("a client PDU no transition accepts falls back to UNEXPECTED_MESSAGE", () => {
    assert.equal(
      errorOf(classify("client", "NEGOTIATED", V, { version: V, type: "CHAT_ECHO" })),
      "UNEXPECTED_MESSAGE",
    );
    assert.equal(
      errorOf(classify("client", "AUTHENTICATED", V, { version: 0, type: "VERSION_RESPONSE" })),
      "UNEXPECTED_MESSAGE",
    );
  });
});

describe("classify across versions 1 and 2", () => {
  test("version 2 has types, and every one of them is in 0x20-0x3f", () => {
    assert.ok(V2_TYPES.length > 0);
    for (const t of V2_TYPES) {
      assert.ok(MessageType[t] >= 0x20 && MessageType[t] <= 0x3f, t);
    }
  });

  test("in a version 1 session a version 2 type is UNSUPPORTED_IN_VERSION, for either receiver", () => {
    for (const state of ["NEGOTIATED", "AUTHENTICATED"] as const) {
      for (const type of V2_TYPES) {
        const receiver: Role = MESSAGE_RULES[type].sender === "client" ? "server" : "client";
        const c = classify(receiver, state, 1, { version: 1, type });
        assert.equal(errorOf(c), "UNSUPPORTED_IN_VERSION", `${receiver} ${state} ${type}`);
        assert.equal(ERRORS.UNSUPPORTED_IN_VERSION.closes, false);
      }
    }
  });

  test("in a version 1 session the header version still comes first: a v2 header is WRONG_VERSION", () => {
    assert.equal(
      errorOf(classify("server", "AUTHENTICATED", 1, { version: 2, type: "ROOM_JOIN" })),
      "WRONG_VERSION",
    );
  });

  test("in a version 2 session, version 2 client types need a login", () => {
    for (const type of V2_TYPES.filter((t) => MESSAGE_RULES[t].sender === "client")) {
      assert.equal(
        errorOf(classify("server", "NEGOTIATED", 2, { version: 2, type })),
        "AUTHENTICATION_REQUIRED",
        type,
      );
      const c = classify("server", "AUTHENTICATED", 2, { version: 2, type });
      assert.equal(c.kind, "accept", type);
    }
  });

  test("in a version 2 session, version 1 types keep working with header version 2", () => {
    for (const type of ["CHAT", "PING", "LOGOUT"] as const) {
      assert.equal(classify("server", "AUTHENTICATED", 2, { version: 2, type }).kind, "accept");
      assert.equal(
        errorOf(classify("server", "AUTHENTICATED", 2, { version: 1, type })),
        "WRONG_VERSION",
      );
    }
  });

  test("a client in a version 2 session accepts every version 2 server type once logged in", () => {
    for (const type of V2_TYPES.filter((t) => MESSAGE_RULES[t].sender === "server")) {
      assert.equal(classify("client", "AUTHENTICATED", 2, { version: 2, type }).kind, "accept");
      assert.equal(
        errorOf(classify("client", "NEGOTIATED", 2, { version: 2, type })),
        "UNEXPECTED_MESSAGE",
        `${type} before login`,
      );
    }
  });

  test("a rate-limited TYPING is refused with an ERROR that does not close, and not relayed", () => {
    const c = classify("server", "AUTHENTICATED", 2, { version: 2, type: "TYPING" });
    assert.ok(c.kind === "accept");
    const limited = c.transitions.find((t) => t.outcome === "RATE_LIMITED");
    assert.equal(limited?.replies, "ERROR");
    assert.deepEqual(limited?.fanOut, []);
    assert.equal(ERRORS.RATE_LIMITED.closes, false);
    const relayed = c.transitions.find((t) => t.outcome === "OK");
    assert.deepEqual(relayed?.fanOut, [{ sends: "TYPING_NOTICE", to: "typingTarget" }]);
  });

  test("every fan-out PDU is a server type of version 2 or later, so a v1-only peer can never be sent one", () => {
    for (const t of TRANSITIONS) {
      for (const f of t.fanOut) {
        assert.equal(MESSAGE_RULES[f.sends].sender, "server", `${t.receives} ${t.outcome}`);
        assert.ok(MESSAGE_RULES[f.sends].since >= 2, `${t.receives} ${t.outcome}`);
      }
    }
  });
});
