/**
 * Emits generated/decode.ts: one specialised decoder per message type. Checks run in the ksy's seq
 * order, each with the error code its field's `-parrot-error` names, so our codec fails where the
 * Kaitai parser fails and with the code the spec gives.
 */
import type { CodecModel, FieldModel, IntField, LengthField, MessageModel } from "./codec-model.ts";
import { banner, lit } from "./emitted-file.ts";
import { readUint } from "./int-io.ts";
import { OffsetExpr } from "./offset-expr.ts";

export function emitDecode(model: CodecModel): string {
  const enumsUsed = enumsInPayloads(model);
  const constants = [
    "HEADER_LENGTH",
    "MAX_PAYLOAD_LENGTH",
    ...enumsUsed.map((e) => `${e.charAt(0).toLowerCase()}${e.slice(1)}Name`),
  ].sort();
  const types = ["Pdu", ...model.messages.map((m) => `${m.pascal}Pdu`)].sort();
  const out: string[] = [banner(["spec/pdu.ksy"])];
  out.push(
    'import { Buffer, isUtf8 } from "node:buffer";',
    `import { ${constants.join(", ")} } from "./constants.ts";`,
    'import { DecodeError } from "./decode-error.ts";',
    'import { badMagic, isBadMagic, readHeader, tooLarge } from "./header.ts";',
    `import type { ${types.join(", ")} } from "./pdu-types.ts";`,
    "",
    "/**",
    " * Decodes exactly one whole frame (header and payload, as FrameSplitter yields them). Throws",
    " * DecodeError with the spec's code: BAD_MAGIC, FRAME_TOO_LARGE, MALFORMED_PAYLOAD (truncated,",
    " * trailing bytes, a value out of range, payload_length not matching the frame), INVALID_UTF8,",
    ` * STRING_TOO_LONG, or ${model.messageTypeError} (with version and messageType set).`,
    " */",
    "export function decode(frame: Uint8Array): Pdu {",
    "  const buf = Buffer.isBuffer(frame)",
    "    ? frame",
    "    : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);",
    "  const end = buf.length;",
    "  if (end >= 2 && isBadMagic(buf, 0)) throw badMagic(buf, 0);",
    "  if (end < HEADER_LENGTH) {",
    '    throw new DecodeError("MALFORMED_PAYLOAD", end, "truncated header: " + end + " of " + HEADER_LENGTH + " bytes");',
    "  }",
    "  const header = readHeader(buf, 0);",
    "  if (header.payloadLength > MAX_PAYLOAD_LENGTH) throw tooLarge(header);",
    "  const { version, messageType, payloadLength } = header;",
    "  if (end !== HEADER_LENGTH + payloadLength) {",
    "    throw new DecodeError(",
    '      "MALFORMED_PAYLOAD",',
    "      Math.min(end, HEADER_LENGTH + payloadLength),",
    '      "payload_length " + payloadLength + " does not match the " + (end - HEADER_LENGTH) + " payload bytes in the frame",',
    "      version,",
    "      messageType,",
    "    );",
    "  }",
    "  switch (messageType) {",
  );
  for (const m of model.messages) {
    out.push(`    case ${m.value}:`, `      return decode${m.pascal}(buf, version, end);`);
  }
  out.push(
    "    default:",
    "      throw new DecodeError(",
    `        ${lit(model.messageTypeError)},`,
    "        3,",
    '        "message_type " + messageType + " is not defined",',
    "        version,",
    "        messageType,",
    "      );",
    "  }",
    "}",
    "",
  );
  for (const m of model.messages) out.push(emitMessageDecoder(m));
  out.push(UTF8_READ);
  return out.join("\n");
}

/** Up to this many bytes the ASCII scan runs in JS (measured: about twice as fast for chat-sized text). */
const SHORT_STRING = 64;

const UTF8_READ = `/** Buffer methods Node.js defines on Buffer.prototype, without toString()'s argument handling. */
interface RawSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** buf[start, end) as latin1, which is its UTF-8 reading when every byte is ASCII. */
function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as RawSlices).latin1Slice(start, end);
}

/** buf[start, end) as UTF-8 (already validated). */
function utf8(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as RawSlices).utf8Slice(start, end);
}

/**
 * buf[start, end) as a string, or undefined when those bytes are not UTF-8. Exported for the
 * differential test against isUtf8 + toString (not part of the package's API).
 *
 * Up to ${SHORT_STRING} bytes a JS scan looks for a non-ASCII byte first (cheaper than isUtf8's native call
 * plus the subarray it needs): an ASCII string is one latin1Slice, anything else isUtf8 from the first
 * non-ASCII byte on, then utf8Slice. A longer string: isUtf8 on the whole range, then utf8Slice.
 */
export function readUtf8(buf: Buffer, start: number, end: number): string | undefined {
  if (start === end) return "";
  if (end - start <= ${SHORT_STRING}) {
    let i = start;
    while (i < end && buf[i]! < 0x80) i++;
    if (i === end) return latin1(buf, start, end);
    if (!isUtf8(buf.subarray(i, end))) return undefined;
    return utf8(buf, start, end);
  }
  if (!isUtf8(buf.subarray(start, end))) return undefined;
  return utf8(buf, start, end);
}

/**
 * What buf[start, end) is: 1 all ASCII, 0 UTF-8 but not ASCII, -1 not UTF-8. A list's first pass
 * checks every entry with it; when all are ASCII the second pass cuts them from one latin1Slice.
 * Exported for the differential test.
 */
export function scanUtf8(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && buf[i]! < 0x80) i++;
  if (i === end) return 1;
  return isUtf8(buf.subarray(i, end)) ? 0 : -1;
}
`;

function enumsInPayloads(model: CodecModel): string[] {
  const names = new Set<string>();
  for (const m of model.messages) {
    for (const f of m.fields) if (f.kind === "int" && f.enumModel) names.add(f.enumModel.tsName);
  }
  return [...names].sort();
}

/** Whether reading this field can fail on its value (so the bounds check before it must stop). */
function isChecked(f: FieldModel): boolean {
  if (f.kind === "int") {
    return (
      f.enumModel !== undefined || f.eq !== undefined || f.min !== undefined || f.max !== undefined
    );
  }
  return f.kind === "length" && (f.min !== undefined || f.max !== undefined);
}

function emitMessageDecoder(m: MessageModel): string {
  const I = "  ";
  const body: string[] = [];
  // With two or more strings, one latin1Slice of the payload serves all the short ASCII ones.
  const sharedText = m.fields.filter((f) => f.kind === "str").length >= 2;
  if (sharedText) body.push(`${I}let payloadText: string | undefined;`);
  const fail = (code: string, offset: string, reason: string) =>
    `{ throw new DecodeError(${lit(code)}, ${offset}, ${reason}, version, ${m.value}); }`;
  const truncated = (offset: OffsetExpr) =>
    `${I}if (end < ${offset}) ${fail("MALFORMED_PAYLOAD", "end", `${lit(`truncated ${m.name} payload`)}`)}`;
  let off = new OffsetExpr(8);
  let tmp = 0;
  const values: string[] = [];
  // Consecutive integer fields share one bounds check, which ends at each field whose value can
  // fail validation so that a bad value and a truncation are reported in seq order.
  let i = 0;
  const fields = m.fields;
  while (i < fields.length) {
    const f = fields[i]!;
    if (f.kind === "int" || f.kind === "length") {
      let runEnd = i;
      let runBytes = 0;
      while (runEnd < fields.length) {
        const g = fields[runEnd]!;
        if (g.kind !== "int" && g.kind !== "length") break;
        runBytes += g.bytes;
        runEnd++;
        if (isChecked(g)) break;
      }
      body.push(truncated(off.plus(runBytes)));
      for (let j = i; j < runEnd; j++) {
        const g = fields[j] as IntField | LengthField;
        body.push(...emitIntRead(m, g, off, fail));
        if (g.kind === "int") values.push(g.enumModel ? `${g.prop}: ${enumNameVar(g)}` : g.prop);
        off = off.plus(g.bytes);
      }
      i = runEnd;
      continue;
    }
    if (f.kind === "strlist") {
      // Each entry's length is only known once read, so the cursor is a variable from here on.
      const p = `o${tmp++}`;
      const n = `${f.prop}ItemLength`;
      const cursor = new OffsetExpr(0, [p]);
      const where = `${m.name}.${f.id}[]`;
      const lf = f.itemLength;
      const conds: string[] = [];
      if (lf.min !== undefined && lf.min > 0) conds.push(`${n} < ${lf.min}`);
      if (lf.max !== undefined) conds.push(`${n} > ${lf.max}`);
      // Two passes: the first checks every entry in order (so errors come where they always did) and
      // notes whether all are ASCII; the second builds the strings, from one latin1Slice of the whole
      // list when they are (one native call per list instead of one per entry).
      const base = `${f.prop}Start`;
      const ascii = `${f.prop}Ascii`;
      const text = `${f.prop}Text`;
      const scan = `${f.prop}Scan`;
      body.push(
        `${I}const ${base} = ${off};`,
        `${I}let ${p} = ${base};`,
        `${I}let ${ascii} = true;`,
        `${I}for (let i = 0; i < ${f.countField.prop}; i++) {`,
        `${I}${truncated(cursor.plus(lf.bytes))}`,
        `${I}${I}const ${n} = ${readUint("buf", cursor, lf.bytes)};`,
      );
      if (conds.length > 0) {
        const range = `${lf.min ?? 0}..${lf.max ?? "max"}`;
        body.push(
          `${I}${I}if (${conds.join(" || ")}) ${fail(lf.error, p, `\`${where}.${lf.id} \${${n}} is outside ${range}\``)}`,
        );
      }
      const q = "q";
      const qCursor = new OffsetExpr(0, [q]);
      body.push(
        `${I}${I}${p} += ${lf.bytes};`,
        `${I}${truncated(cursor.plusTerm(n))}`,
        `${I}${I}const ${scan} = scanUtf8(buf, ${p}, ${p} + ${n});`,
        `${I}${I}if (${scan} < 0) ${fail("INVALID_UTF8", p, lit(`${where} is not valid UTF-8`))}`,
        `${I}${I}if (${scan} === 0) ${ascii} = false;`,
        `${I}${I}${p} += ${n};`,
        `${I}}`,
        `${I}const ${text} = ${ascii} ? latin1(buf, ${base}, ${p}) : "";`,
        `${I}const ${f.prop}: string[] = [];`,
        `${I}for (let i = 0, ${q} = ${base}; i < ${f.countField.prop}; i++) {`,
        `${I}${I}const n = ${readUint("buf", qCursor, lf.bytes)};`,
        `${I}${I}${q} += ${lf.bytes};`,
        `${I}${I}${f.prop}.push(${ascii} ? ${text}.slice(${q} - ${base}, ${q} - ${base} + n) : utf8(buf, ${q}, ${q} + n));`,
        `${I}${I}${q} += n;`,
        `${I}}`,
      );
      values.push(f.prop);
      off = cursor;
      i++;
      continue;
    }
    // Name the start of a variable-length field once it depends on earlier lengths.
    let startExpr = off;
    if (!off.isConstant) {
      const name = `o${tmp++}`;
      body.push(`${I}const ${name} = ${off};`);
      startExpr = new OffsetExpr(0, [name]);
    }
    const start = String(startExpr);
    if (f.kind === "str") {
      const len = f.lengthField.prop;
      const stop = `${start} + ${len}`;
      body.push(truncated(startExpr.plusTerm(len)));
      if (sharedText) {
        // Short ASCII strings are cut from one latin1Slice of the whole payload, made on first use.
        body.push(
          `${I}const ${f.prop} =`,
          `${I}  ${len} <= ${SHORT_STRING} && scanUtf8(buf, ${start}, ${stop}) > 0`,
          `${I}    ? (payloadText ??= latin1(buf, HEADER_LENGTH, end)).slice(${start} - HEADER_LENGTH, ${stop} - HEADER_LENGTH)`,
          `${I}    : readUtf8(buf, ${start}, ${stop});`,
        );
      } else {
        body.push(`${I}const ${f.prop} = readUtf8(buf, ${start}, ${stop});`);
      }
      body.push(
        `${I}if (${f.prop} === undefined) ${fail("INVALID_UTF8", start, lit(`${m.name}.${f.id} is not valid UTF-8`))}`,
      );
      values.push(f.prop);
      off = startExpr.plusTerm(len);
    } else {
      const count = f.countField.prop;
      body.push(
        truncated(startExpr.plusTerm(count)),
        `${I}const ${f.prop}: number[] = [];`,
        `${I}for (let i = 0; i < ${count}; i++) ${f.prop}.push(buf[${start} + i]!);`,
      );
      values.push(f.prop);
      off = startExpr.plusTerm(count);
    }
    i++;
  }
  body.push(
    `${I}if (end !== ${off}) ${fail("MALFORMED_PAYLOAD", String(off), `\`\${end - ${off.isConstant ? off : `(${off})`}} trailing bytes after the ${m.name} payload\``)}`,
  );
  const fields0 = ["type: " + lit(m.name), "version", ...values];
  body.push(`${I}return { ${fields0.join(", ")} };`);
  const unused = m.fields.length === 0 ? "_buf" : "buf";
  return [
    `function decode${m.pascal}(${unused}: Buffer, version: number, end: number): ${m.pascal}Pdu {`,
    ...body,
    "}",
    "",
  ].join("\n");
}

function emitIntRead(
  m: MessageModel,
  f: IntField | LengthField,
  off: OffsetExpr,
  fail: (code: string, offset: string, reason: string) => string,
): string[] {
  const I = "  ";
  const v = f.prop;
  const out = [`${I}const ${v} = ${readUint("buf", off, f.bytes)};`];
  const where = `${m.name}.${f.id}`;
  const at = String(off);
  if (f.kind === "int" && f.enumModel !== undefined) {
    const fn = enumLookup(f);
    const name = enumNameVar(f);
    out.push(
      `${I}const ${name} = ${fn}(${v});`,
      `${I}if (${name} === undefined) ${fail(f.error, at, `\`${where} \${${v}} is not in enum ${f.enumModel.id}\``)}`,
    );
  }
  if (f.kind === "int" && f.eq !== undefined) {
    out.push(
      `${I}if (${v} !== ${f.eq}) ${fail(f.error, at, `\`${where} is \${${v}}, must be ${f.eq}\``)}`,
    );
  }
  const conds: string[] = [];
  if (f.min !== undefined && f.min > 0) conds.push(`${v} < ${f.min}`);
  if (f.max !== undefined) conds.push(`${v} > ${f.max}`);
  if (conds.length > 0) {
    const range = `${f.min ?? 0}..${f.max ?? "max"}`;
    out.push(
      `${I}if (${conds.join(" || ")}) ${fail(f.error, at, `\`${where} \${${v}} is outside ${range}\``)}`,
    );
  }
  return out;
}

/** The generated number -> name lookup of an enum field's enum, e.g. `loginStatusName`. */
function enumLookup(f: IntField): string {
  const ts = f.enumModel!.tsName;
  return `${ts.charAt(0).toLowerCase()}${ts.slice(1)}Name`;
}

/** The local holding an enum field's name; it must not shadow the lookup (field named as its enum). */
function enumNameVar(f: IntField): string {
  const name = `${f.prop}Name`;
  return name === enumLookup(f) ? `${f.prop}AsName` : name;
}
