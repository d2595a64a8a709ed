/**
 * spec/protocol.json against its schema and against pdu.ksy: the real file passes, and each kind of
 * mistake a protocol change is likely to make fails naming the JSON path at fault.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { buildCodecModel } from "../../tools/codegen/codec-model.ts";
import { loadKsy } from "../../tools/codegen/ksy-loader.ts";
import { crossCheckProtocol } from "../../tools/codegen/protocol-crosscheck.ts";
import { type ProtocolSpec, validateProtocol } from "../../tools/codegen/protocol-loader.ts";
import type { SpecError } from "../../tools/codegen/spec-error.ts";
import {
  type EditableProtocol,
  readProtocol,
  runGenerator,
  SPEC_DIR,
  specCopy,
  tempDir,
  writeFile,
} from "./spec-copy.ts";
import { specFault } from "./spec-fault.ts";

const codec = buildCodecModel(loadKsy(join(SPEC_DIR, "pdu.ksy")));
const schema: unknown = JSON.parse(readFileSync(join(SPEC_DIR, "protocol.schema.json"), "utf8"));
const names = {
  messages: codec.messageTypeEnum.entries.map((e) => e.name),
  errors: codec.errorCodeEnum.entries.map((e) => e.name),
};

/** Validates like the generator: schema first, then the cross-checks with pdu.ksy. */
function check(data: unknown): void {
  const spec: ProtocolSpec = validateProtocol(data, schema, names, "protocol.json");
  crossCheckProtocol(spec, codec, "protocol.json");
}

/** The SpecError a broken copy raises (fails the test if it raises none). */
function problemsOf(edit: (p: EditableProtocol) => void): SpecError {
  const p = readProtocol();
  edit(p);
  return specFault(() => check(p), "the broken copy was accepted");
}

function assertProblem(e: SpecError, at: string, pattern: RegExp): void {
  const hit = e.problems.find((p) => p.at === at && pattern.test(p.problem));
  assert.ok(hit, `expected a problem at ${at} matching ${pattern}, got:\n${e.message}`);
}

describe("protocol.json", () => {
  test("the committed file passes the schema and the cross-checks", () => {
    check(readProtocol());
  });

  test("a transition to an unknown state names the path and the allowed states", () => {
    const e = problemsOf((p) => {
      p.transitions[3]!.next = "NOWHERE";
    });
    assertProblem(
      e,
      "/transitions/3/next",
      /must be one of "CONNECTED", "NEGOTIATED", "AUTHENTICATED", "CLOSED"/,
    );
    assert.match(e.message, /^protocol\.json: \/transitions\/3\/next must be one of/m);
  });

  test("an error without closes", () => {
    const e = problemsOf((p) => {
      delete (p.errors["BAD_MAGIC"] as { closes?: boolean }).closes;
    });
    assertProblem(e, "/errors/BAD_MAGIC", /must have property "closes"/);
  });

  test("an error existing since a version the protocol does not list", () => {
    const e = problemsOf((p) => {
      p.errors["RATE_LIMITED"]!.since = 9;
    });
    assertProblem(e, "/errors/RATE_LIMITED/since", /9 is not a version listed in \/versions/);
  });

  test("an unknown top-level key", () => {
    assertProblem(
      problemsOf((p) => {
        p["extras"] = {};
      }),
      "/",
      /must not have property "extras"/,
    );
  });

  test("a rejection with an error code pdu.ksy does not define", () => {
    assertProblem(
      problemsOf((p) => {
        p.rejections[0]!.error = "NOPE";
      }),
      "/rejections/0/error",
      /must be one of .*"BAD_MAGIC"/,
    );
  });

  test("a message type pdu.ksy does not define", () => {
    assertProblem(
      problemsOf((p) => {
        p.messages["SHOUT"] = p.messages["CHAT"]!;
      }),
      "/messages",
      /property name "SHOUT" must be one of/,
    );
  });

  test("a message type pdu.ksy defines that is missing", () => {
    assertProblem(
      problemsOf((p) => {
        delete p.messages["CHAT"];
      }),
      "/messages",
      /lacks CHAT/,
    );
  });

  test("an error code missing from the table", () => {
    assertProblem(
      problemsOf((p) => {
        delete p.errors["SERVER_FULL"];
      }),
      "/errors",
      /lacks SERVER_FULL/,
    );
  });

  test("a payload limit that disagrees with pdu.ksy", () => {
    assertProblem(
      problemsOf((p) => {
        p.limits.maxPayloadLength.value = 9000;
      }),
      "/limits/maxPayloadLength/value",
      /8192/,
    );
  });

  test("an outcome that is not a status value of the reply", () => {
    assertProblem(
      problemsOf((p) => {
        p.transitions[2]!.outcome = "WELCOME";
      }),
      "/transitions/2/outcome",
      /must be one of OK, BAD_CREDENTIALS, ALREADY_LOGGED_IN/,
    );
  });

  test("a message sent by the wrong role", () => {
    assertProblem(
      problemsOf((p) => {
        p.transitions[0]!.receives = "CHAT_ECHO";
      }),
      "/transitions/0/receives",
      /never sent to a server/,
    );
  });

  test("a fan-out of a message the receiver never sends", () => {
    const i = readProtocol().transitions.findIndex((t) => t.receives === "ROOM_SAY");
    assertProblem(
      problemsOf((p) => {
        p.transitions[i]!.fanOut = [{ sends: "ROOM_JOIN", to: "roomMembers" }];
      }),
      `/transitions/${i}/fanOut/0/sends`,
      /a server never sends ROOM_JOIN/,
    );
  });

  test("a fan-out to an audience protocol.json does not declare", () => {
    const i = readProtocol().transitions.findIndex((t) => t.receives === "ROOM_SAY");
    assertProblem(
      problemsOf((p) => {
        p.transitions[i]!.fanOut = [{ sends: "ROOM_MESSAGE", to: "everyone" }];
      }),
      `/transitions/${i}/fanOut/0/to`,
      /must be one of "namedUser"/,
    );
  });

  test("a server event that sends a client message", () => {
    assertProblem(
      problemsOf((p) => {
        p.serverEvents[0]!.fanOut = [{ sends: "TYPING", to: "typingTarget" }];
      }),
      "/serverEvents/0/fanOut/0/sends",
      /a server never sends TYPING/,
    );
  });

  test("a list limit that disagrees with the count fields in pdu.ksy", () => {
    assertProblem(
      problemsOf((p) => {
        p.limits.maxListEntries.value = 100;
      }),
      "/limits/maxListEntries/value",
      /room_list\.room_count has valid max 200/,
    );
  });

  test("a room name pattern that is not a regular expression", () => {
    assertProblem(
      problemsOf((p) => {
        p.patterns.roomName.regex = "^[a-z$";
      }),
      "/patterns/roomName/regex",
      /not a regular expression/,
    );
  });

  test("an ERROR reply whose outcome is not an error code", () => {
    const i = readProtocol().transitions.findIndex((t) => t.outcome === "RATE_LIMITED");
    assertProblem(
      problemsOf((p) => {
        p.transitions[i]!.outcome = "SLOW_DOWN";
      }),
      `/transitions/${i}/outcome`,
      /must be one of BAD_MAGIC, .*RATE_LIMITED/,
    );
  });

  test("a rejection for a message the state also accepts", () => {
    assertProblem(
      problemsOf((p) => {
        p.rejections[2]!.receives = ["CHAT", "PING"];
      }),
      "/rejections/2/receives/1",
      /already handled by \/transitions\/5/,
    );
  });
});

describe("make generate on a broken spec", () => {
  test("exits 1 naming the JSON path, and writes nothing", () => {
    const spec = specCopy();
    const out = tempDir("out");
    try {
      const p = readProtocol();
      p.transitions[3]!.next = "NOWHERE";
      writeFile(spec, "protocol.json", JSON.stringify(p, null, 2));
      const run = runGenerator(["--spec", spec.path, "--out", out.path]);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /protocol\.json: \/transitions\/3\/next must be one of/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "a spec fault is reported without a stack trace");
      assert.equal(existsSync(join(out.path, "index.ts")), false);
    } finally {
      spec.remove();
      out.remove();
    }
  });
});
