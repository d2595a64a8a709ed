/**
 * The encoder refuses what a decoder would refuse, with the same code; encodeUnchecked lets test
 * peers send over-limit PDUs anyway; encodeHeader/decodeHeader craft and read bare headers.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  DecodeError,
  decode,
  decodeHeader,
  EncodeError,
  encode,
  encodeHeader,
  encodeUnchecked,
  MAX_STRING_BYTES,
  type Pdu,
} from "../../generated/index.ts";

function encodeErrorCode(pdu: Pdu, run: (p: Pdu) => Buffer = encode): string {
  try {
    run(pdu);
  } catch (e) {
    assert.ok(e instanceof EncodeError, `expected EncodeError, got ${String(e)}`);
    return e.code;
  }
  return "encoded";
}

function decodeErrorCode(bytes: Uint8Array): string {
  try {
    decode(bytes);
  } catch (e) {
    assert.ok(e instanceof DecodeError);
    return e.code;
  }
  return "decoded";
}

describe("encode limits", () => {
  test("strings are limited in UTF-8 bytes, not characters", () => {
    const max = MAX_STRING_BYTES.CHAT.text;
    const parrots = "🦜".repeat(max / 4);
    assert.equal(
      encodeErrorCode({ type: "CHAT", version: 1, messageId: 1, text: parrots }),
      "encoded",
    );
    const over = `${parrots}a`;
    assert.equal(over.length < max, true, "fewer UTF-16 units than the byte limit");
    assert.equal(
      encodeErrorCode({ type: "CHAT", version: 1, messageId: 1, text: over }),
      "STRING_TOO_LONG",
    );
  });

  test("every string field of every type refuses one byte over its maximum", () => {
    const cases: Pdu[] = [
      {
        type: "LOGIN_REQUEST",
        version: 1,
        username: "u".repeat(MAX_STRING_BYTES.LOGIN_REQUEST.username + 1),
        password: "",
      },
      {
        type: "LOGIN_REQUEST",
        version: 1,
        username: "",
        password: "p".repeat(MAX_STRING_BYTES.LOGIN_REQUEST.password + 1),
      },
      {
        type: "LOGIN_RESPONSE",
        version: 1,
        status: "OK",
        text: "t".repeat(MAX_STRING_BYTES.LOGIN_RESPONSE.text + 1),
      },
      {
        type: "CHAT_ECHO",
        version: 1,
        messageId: 0,
        text: "t".repeat(MAX_STRING_BYTES.CHAT_ECHO.text + 1),
      },
      {
        type: "ERROR",
        version: 1,
        code: "INTERNAL_ERROR",
        text: "t".repeat(MAX_STRING_BYTES.ERROR.text + 1),
      },
    ];
    for (const pdu of cases) {
      assert.equal(encodeErrorCode(pdu), "STRING_TOO_LONG", pdu.type);
      // A test peer can still send it, and a decoder refuses it with the same code.
      assert.equal(decodeErrorCode(encodeUnchecked(pdu)), "STRING_TOO_LONG", pdu.type);
    }
  });

  test("version lists must hold 1 to 16 entries", () => {
    for (const versions of [[], Array.from({ length: 17 }, (_, i) => i)]) {
      const pdu: Pdu = { type: "VERSION_REQUEST", version: 0, versions };
      assert.equal(encodeErrorCode(pdu), "MALFORMED_PAYLOAD");
      assert.equal(decodeErrorCode(encodeUnchecked(pdu)), "MALFORMED_PAYLOAD");
    }
  });

  test("what the field widths cannot hold is refused even unchecked", () => {
    const huge = "x".repeat(0x10000);
    const cases: Pdu[] = [
      { type: "CHAT", version: 1, messageId: 1, text: huge },
      { type: "VERSION_REQUEST", version: 0, versions: Array.from({ length: 256 }, () => 1) },
      { type: "VERSION_REQUEST", version: 0, versions: [256] },
      { type: "PING", version: 256, token: 0 },
      { type: "PING", version: 1, token: -1 },
      { type: "PING", version: 1, token: 2 ** 32 },
      { type: "PING", version: 1, token: 1.5 },
      { type: "PING", version: 1, token: Number.NaN },
    ];
    for (const pdu of cases) {
      assert.notEqual(
        encodeErrorCode(pdu, encodeUnchecked),
        "encoded",
        JSON.stringify(pdu).slice(0, 80),
      );
    }
    assert.equal(encodeErrorCode(cases[0]!, encodeUnchecked), "STRING_TOO_LONG");
  });

  test("unknown enum names and message types are refused", () => {
    const badStatus = {
      type: "LOGIN_RESPONSE",
      version: 1,
      status: "MAYBE",
      text: "",
    } as unknown as Pdu;
    assert.equal(encodeErrorCode(badStatus), "MALFORMED_PAYLOAD");
    const inherited = { type: "ERROR", version: 1, code: "toString", text: "" } as unknown as Pdu;
    assert.equal(encodeErrorCode(inherited), "MALFORMED_PAYLOAD");
    const badType = { type: "SHOUT", version: 1 } as unknown as Pdu;
    assert.equal(encodeErrorCode(badType), "MALFORMED_PAYLOAD");
  });
});

describe("bare headers", () => {
  test("encodeHeader writes any type and length; decodeHeader reads them back", () => {
    const header = { version: 3, messageType: 0xff, payloadLength: 8192 };
    const bytes = encodeHeader(header);
    assert.equal(bytes.toString("hex"), "505203ff00002000");
    assert.deepEqual(decodeHeader(bytes), header);
  });

  test("decodeHeader refuses bad magic and oversized lengths with their codes", () => {
    assert.throws(
      () => decodeHeader(Buffer.from("HTTP/1.1")),
      (e) => e instanceof DecodeError && e.code === "BAD_MAGIC",
    );
    const big = encodeHeader({ version: 1, messageType: 5, payloadLength: 8193 });
    assert.throws(
      () => decodeHeader(big),
      (e) =>
        e instanceof DecodeError &&
        e.code === "FRAME_TOO_LARGE" &&
        e.version === 1 &&
        e.messageType === 5,
    );
  });

  test("an unknown message type carries the header's version and type for the reply", () => {
    // 0x31: in version 2's range 0x20-0x3f, but not assigned.
    const frame = Buffer.concat([
      encodeHeader({ version: 1, messageType: 0x31, payloadLength: 2 }),
      Buffer.from("hi"),
    ]);
    assert.throws(
      () => decode(frame),
      (e) =>
        e instanceof DecodeError &&
        e.code === "UNKNOWN_MESSAGE_TYPE" &&
        e.version === 1 &&
        e.messageType === 0x31,
    );
  });
});
