/**
 * Emits generated/encode.ts: one specialised encoder per message type. Each computes the exact frame
 * size first (Buffer.byteLength for strings), allocates once and writes in place. The header writer
 * and the UTF-8 writer are the hand-written runtime in codec/, which the emitted code imports.
 */
import {
  type CodecModel,
  type FieldModel,
  type MessageModel,
  maxPayloadBytes,
} from "./codec-model.ts";
import { banner, lit } from "./emitted-file.ts";
import { outOfRange, writeUint } from "./int-io.ts";
import { maxOf } from "./ksy-spec.ts";
import { OffsetExpr } from "./offset-expr.ts";

export function emitEncode(model: CodecModel): string {
  const enumsUsed = new Set<string>();
  for (const m of model.messages) {
    for (const f of m.fields)
      if (f.kind === "int" && f.enumModel) enumsUsed.add(f.enumModel.tsName);
  }
  const needsMax = model.messages.some((m) => maxPayloadBytes(m) > model.maxPayloadLength);
  const constants = [
    "HEADER_LENGTH",
    ...(needsMax ? ["MAX_PAYLOAD_LENGTH"] : []),
    ...enumsUsed,
  ].sort();
  const types = ["Pdu", ...model.messages.map((m) => `${m.pascal}Pdu`)].sort();
  const out: string[] = [banner(["spec/pdu.ksy"])];
  out.push(
    'import { Buffer } from "node:buffer";',
    `import { ${constants.join(", ")} } from "./constants.ts";`,
    'import { EncodeError } from "../codec/codec-errors.ts";',
    'import { writeHeader } from "../codec/frame-header.ts";',
    'import { writeUtf8 } from "../codec/utf8-write.ts";',
    `import type { ${types.join(", ")} } from "./pdu-types.ts";`,
    "",
    "/**",
    " * Encodes a PDU as one whole frame (header and payload). Throws EncodeError when the PDU breaks a",
    " * limit of the spec (e.g. STRING_TOO_LONG), so a correct peer never sends what a decoder refuses.",
    " */",
    "export function encode(pdu: Pdu): Buffer {",
    "  return encodeFrame(pdu, true);",
    "}",
    "",
    "/**",
    " * Like encode() but skips the spec's `valid` limits (string maxima, count bounds), keeping only",
    " * what the field widths force. For test peers that must send over-limit PDUs.",
    " */",
    "export function encodeUnchecked(pdu: Pdu): Buffer {",
    "  return encodeFrame(pdu, false);",
    "}",
    "",
    "function encodeFrame(pdu: Pdu, checked: boolean): Buffer {",
    `  if (${outOfRange("pdu.version", 1)}) {`,
    '    throw new EncodeError("MALFORMED_PAYLOAD", "version " + pdu.version + " does not fit a u1");',
    "  }",
    "  switch (pdu.type) {",
  );
  for (const m of model.messages) {
    const args = needsChecked(m, model) ? "pdu, checked" : "pdu";
    out.push(`    case ${lit(m.name)}:`, `      return encode${m.pascal}(${args});`);
  }
  out.push(
    "    default:",
    "      throw new EncodeError(",
    '        "MALFORMED_PAYLOAD",',
    '        "unknown message type " + String((pdu as { type: unknown }).type),',
    "      );",
    "  }",
    "}",
    "",
  );
  for (const m of model.messages) out.push(emitMessageEncoder(m, model));
  return out.join("\n");
}

/** Whether the message's encoder has limits that encodeUnchecked skips. */
function needsChecked(m: MessageModel, model: CodecModel): boolean {
  return m.fields.some(usesChecked) || maxPayloadBytes(m) > model.maxPayloadLength;
}

/** Whether the field has a `valid` limit that encodeUnchecked skips. */
function usesChecked(f: FieldModel): boolean {
  switch (f.kind) {
    case "int":
      return f.eq !== undefined || f.min !== undefined || f.max !== undefined;
    case "length":
      return false;
    case "str":
      return f.maxBytes < maxOf(f.lengthField.type) || (f.lengthField.min ?? 0) > 0;
    case "u1array":
      return f.countField.max !== undefined || (f.countField.min ?? 0) > 0;
    case "strlist":
      return (
        f.countField.max !== undefined ||
        (f.countField.min ?? 0) > 0 ||
        f.itemMaxBytes < maxOf(f.itemLength.type) ||
        (f.itemLength.min ?? 0) > 0
      );
  }
}

function emitMessageEncoder(m: MessageModel, model: CodecModel): string {
  const I = "  ";
  const where = (id: string) => `${m.name}.${id}`;
  const fail = (code: string, reason: string) =>
    `{ throw new EncodeError(${lit(code)}, ${reason}); }`;
  const prep: string[] = [];
  const write: string[] = [];
  let payload = new OffsetExpr(m.fixedBytes);
  let off = new OffsetExpr(8);
  let tmp = 0;
  // Names the start of a variable-length field once it depends on earlier lengths.
  const nameStart = (): OffsetExpr => {
    if (off.isConstant) return off;
    const name = `o${tmp++}`;
    write.push(`${I}const ${name} = ${off};`);
    return new OffsetExpr(0, [name]);
  };

  for (const f of m.fields) {
    if (f.kind === "int") {
      const v = f.prop;
      if (f.enumModel !== undefined) {
        prep.push(
          `${I}const ${v} = ${f.enumModel.tsName}[pdu.${v}];`,
          `${I}if (typeof ${v} !== "number") ${fail(f.error, `\`${where(f.id)} \${String(pdu.${v})} is not in enum ${f.enumModel.id}\``)}`,
        );
      } else {
        prep.push(
          `${I}const ${v} = pdu.${v};`,
          `${I}if (${outOfRange(v, f.bytes)}) ${fail("MALFORMED_PAYLOAD", `\`${where(f.id)} \${${v}} does not fit a ${f.type}\``)}`,
        );
        const conds: string[] = [];
        if (f.eq !== undefined) conds.push(`${v} !== ${f.eq}`);
        if (f.min !== undefined && f.min > 0) conds.push(`${v} < ${f.min}`);
        if (f.max !== undefined) conds.push(`${v} > ${f.max}`);
        if (conds.length > 0) {
          prep.push(
            `${I}if (checked && (${conds.join(" || ")})) ${fail(f.error, `\`${where(f.id)} \${${v}} breaks its valid constraint\``)}`,
          );
        }
      }
      write.push(...writeUint("buf", off, f.bytes, v, I));
      off = off.plus(f.bytes);
      continue;
    }
    if (f.kind === "length") {
      // Written from the str/array it sizes, whose prep step names it `${of}Length`.
      write.push(...writeUint("buf", off, f.bytes, `${f.of}Length`, I));
      off = off.plus(f.bytes);
      continue;
    }
    if (f.kind === "str") {
      const v = f.prop;
      const n = `${v}Length`;
      const lf = f.lengthField;
      const phys = maxOf(lf.type);
      prep.push(
        `${I}const ${v} = pdu.${v};`,
        `${I}if (typeof ${v} !== "string") ${fail("MALFORMED_PAYLOAD", lit(`${where(f.id)} must be a string`))}`,
        `${I}const ${n} = ${v}.length === 0 ? 0 : Buffer.byteLength(${v}, "utf8");`,
      );
      const limit = [`${n} > ${phys}`];
      const checkedLimit: string[] = [];
      if (f.maxBytes < phys) checkedLimit.push(`${n} > ${f.maxBytes}`);
      if ((lf.min ?? 0) > 0) checkedLimit.push(`${n} < ${lf.min}`);
      if (checkedLimit.length > 0) limit.push(`(checked && (${checkedLimit.join(" || ")}))`);
      prep.push(
        `${I}if (${limit.join(" || ")}) ${fail(lf.error, `\`${where(f.id)} is \${${n}} bytes, the limit is ${f.maxBytes}\``)}`,
      );
      const start = nameStart();
      write.push(`${I}writeUtf8(buf, ${v}, ${start}, ${n});`);
      off = start.plusTerm(n);
      payload = payload.plusTerm(n);
      continue;
    }
    if (f.kind === "strlist") {
      const v = f.prop;
      const n = `${v}Length`;
      const total = `${v}Bytes`;
      const cf = f.countField;
      const lf = f.itemLength;
      const limit = [`${n} > ${maxOf(cf.type)}`];
      const checkedLimit: string[] = [];
      if ((cf.min ?? 0) > 0) checkedLimit.push(`${n} < ${cf.min}`);
      if (cf.max !== undefined) checkedLimit.push(`${n} > ${cf.max}`);
      if (checkedLimit.length > 0) limit.push(`(checked && (${checkedLimit.join(" || ")}))`);
      const itemLimit = [`n > ${maxOf(lf.type)}`];
      const itemChecked: string[] = [];
      if (f.itemMaxBytes < maxOf(lf.type)) itemChecked.push(`n > ${f.itemMaxBytes}`);
      if ((lf.min ?? 0) > 0) itemChecked.push(`n < ${lf.min}`);
      if (itemChecked.length > 0) itemLimit.push(`(checked && (${itemChecked.join(" || ")}))`);
      prep.push(
        `${I}const ${v} = pdu.${v};`,
        `${I}if (!Array.isArray(${v})) ${fail("MALFORMED_PAYLOAD", lit(`${where(f.id)} must be an array`))}`,
        `${I}const ${n} = ${v}.length;`,
        `${I}if (${limit.join(" || ")}) ${fail(cf.error, `\`${where(f.id)} has \${${n}} entries, allowed ${cf.min ?? 0}..${cf.max ?? maxOf(cf.type)}\``)}`,
        `${I}let ${total} = 0;`,
        `${I}for (let i = 0; i < ${n}; i++) {`,
        `${I}  const item = ${v}[i];`,
        `${I}  if (typeof item !== "string") ${fail("MALFORMED_PAYLOAD", `\`${where(f.id)}[\${i}] must be a string\``)}`,
        `${I}  const n = item.length === 0 ? 0 : Buffer.byteLength(item, "utf8");`,
        `${I}  if (${itemLimit.join(" || ")}) ${fail(lf.error, `\`${where(f.id)}[\${i}] is \${n} bytes, the limit is ${f.itemMaxBytes}\``)}`,
        `${I}  ${total} += ${lf.bytes} + n;`,
        `${I}}`,
      );
      // Entries are variable-length, so the write cursor is a variable from here on.
      const p = `o${tmp++}`;
      const cursor = new OffsetExpr(0, [p]);
      write.push(
        `${I}let ${p} = ${off};`,
        `${I}for (let i = 0; i < ${n}; i++) {`,
        `${I}  const item = ${v}[i]!;`,
        // The frame was sized from these same strings, so the lengths agree.
        `${I}  const n = item.length === 0 ? 0 : Buffer.byteLength(item, "utf8");`,
        `${I}  writeUtf8(buf, item, ${cursor.plus(lf.bytes)}, n);`,
        ...writeUint("buf", cursor, lf.bytes, "n", `${I}  `),
        `${I}  ${p} += ${lf.bytes} + n;`,
        `${I}}`,
      );
      off = cursor;
      payload = payload.plusTerm(total);
      continue;
    }
    const v = f.prop;
    const n = `${v}Length`;
    const cf = f.countField;
    const limit = [`${n} > ${maxOf(cf.type)}`];
    const checkedLimit: string[] = [];
    if ((cf.min ?? 0) > 0) checkedLimit.push(`${n} < ${cf.min}`);
    if (cf.max !== undefined) checkedLimit.push(`${n} > ${cf.max}`);
    if (checkedLimit.length > 0) limit.push(`(checked && (${checkedLimit.join(" || ")}))`);
    prep.push(
      `${I}const ${v} = pdu.${v};`,
      `${I}if (!Array.isArray(${v})) ${fail("MALFORMED_PAYLOAD", lit(`${where(f.id)} must be an array`))}`,
      `${I}const ${n} = ${v}.length;`,
      `${I}if (${limit.join(" || ")}) ${fail(cf.error, `\`${where(f.id)} has \${${n}} entries, allowed ${cf.min ?? 0}..${cf.max ?? maxOf(cf.type)}\``)}`,
    );
    const start = nameStart();
    write.push(
      `${I}for (let i = 0; i < ${n}; i++) {`,
      `${I}  const item = ${v}[i]!;`,
      `${I}  if (${outOfRange("item", 1)}) ${fail("MALFORMED_PAYLOAD", `\`${where(f.id)}[\${i}] \${item} does not fit a u1\``)}`,
      `${I}  buf[${start} + i] = item;`,
      `${I}}`,
    );
    off = start.plusTerm(n);
    payload = payload.plusTerm(n);
  }

  const body = [...prep];
  body.push(`${I}const payloadLength = ${payload};`);
  if (maxPayloadBytes(m) > model.maxPayloadLength) {
    body.push(
      `${I}if (checked && payloadLength > MAX_PAYLOAD_LENGTH) ${fail(model.payloadLengthError, `\`${m.name} payload is \${payloadLength} bytes, the limit is \${MAX_PAYLOAD_LENGTH}\``)}`,
    );
  }
  body.push(
    `${I}const buf = Buffer.allocUnsafe(HEADER_LENGTH + payloadLength);`,
    `${I}writeHeader(buf, pdu.version, ${m.value}, payloadLength);`,
    ...write,
    `${I}return buf;`,
  );
  const params = needsChecked(m, model)
    ? `pdu: ${m.pascal}Pdu, checked: boolean`
    : `pdu: ${m.pascal}Pdu`;
  return [`function encode${m.pascal}(${params}): Buffer {`, ...body, "}", ""].join("\n");
}
