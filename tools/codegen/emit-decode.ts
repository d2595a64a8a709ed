/**
 * Emits generated/decode.ts: one specialised decoder per message type. Checks run in the ksy's seq
 * order, each with the error code its field's `-parrot-error` names, so our codec fails where the
 * Kaitai parser fails and with the code the spec gives. The header checks and the UTF-8 readers are
 * the hand-written runtime in codec/, which the emitted code imports.
 */
import { SHORT_STRING_BYTES } from "../../codec/utf8-read.ts";
import type { CodecModel, FieldModel, IntField, LengthField, MessageModel } from "./codec-model.ts";
import { banner, lit } from "./emitted-file.ts";
import { readUint } from "./int-io.ts";
import { OffsetExpr } from "./offset-expr.ts";

export function emitDecode(model: CodecModel): string {
  const enumsUsed = enumsInPayloads(model);
  const constants = enumsUsed.map((e) => `${e.charAt(0).toLowerCase()}${e.slice(1)}Name`);
  const types = ["Pdu", ...model.messages.map((m) => `${m.pascal}Pdu`)].sort();
  const out: string[] = [banner(["spec/pdu.ksy"])];
  out.push(
    'import { Buffer } from "node:buffer";',
    `import { HEADER_LENGTH${constants.length === 0 ? "" : `, ${constants.sort().join(", ")}`} } from "./constants.ts";`,
    'import { DecodeError } from "../codec/codec-errors.ts";',
    'import { readWholeFrameHeader, unknownMessageType } from "../codec/frame-header.ts";',
    'import { latin1, readUtf8, scanUtf8, utf8 } from "../codec/utf8-read.ts";',
    `import type { ${types.join(", ")} } from "./pdu-types.ts";`,
    "",
    "/**",
    " * Decodes exactly one whole frame (header and payload, as FrameSplitter yields them). Throws",
    ` * DecodeError with the spec's code: ${model.magicError}, ${model.payloadLengthError}, MALFORMED_PAYLOAD (truncated,`,
    " * trailing bytes, a value out of range, payload_length not matching the frame), INVALID_UTF8,",
    ` * STRING_TOO_LONG, or ${model.messageTypeError} (with version and messageType set).`,
    " */",
    "export function decode(frame: Uint8Array): Pdu {",
    "  const buf = Buffer.isBuffer(frame)",
    "    ? frame",
    "    : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);",
    "  const header = readWholeFrameHeader(buf);",
    "  const version = header.version;",
    "  const end = buf.length;",
    "  switch (header.messageType) {",
  );
  for (const m of model.messages) {
    out.push(`    case ${m.value}:`, `      return decode${m.pascal}(buf, version, end);`);
  }
  out.push("    default:", "      throw unknownMessageType(header);", "  }", "}", "");
  for (const m of model.messages) out.push(emitMessageDecoder(m));
  return out.join("\n");
}

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
          `${I}  ${len} <= ${SHORT_STRING_BYTES} && scanUtf8(buf, ${start}, ${stop}) > 0`,
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
