/** Emits generated/constants.ts: header constants, enums with their name lookups, string limits. */
import type { CodecModel, EnumModel } from "./codec-model.ts";
import { banner, docComment, lit } from "./emitted-file.ts";
import { upperSnake } from "./naming.ts";

export function emitConstants(model: CodecModel): string {
  const out: string[] = [banner(["spec/pdu.ksy"])];
  out.push(
    "",
    '/** First two bytes of every frame (ASCII "PR"); anything else is refused as BAD_MAGIC. */',
    `export const MAGIC = 0x${model.magic.toString(16)};`,
    "",
    "/** Bytes in the fixed header that precedes every payload. */",
    `export const HEADER_LENGTH = ${model.headerLength};`,
    "",
    "/** Largest payload a header may declare; a larger one is refused before it is buffered. */",
    `export const MAX_PAYLOAD_LENGTH = ${model.maxPayloadLength};`,
    "",
  );
  for (const e of model.enums) out.push(emitEnum(e));
  out.push(
    "/**",
    " * Largest byte length (UTF-8) of every string field, per message type (for a list of names, of",
    " * each name). encode() refuses longer strings with STRING_TOO_LONG, so check here before",
    " * sending user input.",
    " */",
    "export const MAX_STRING_BYTES = {",
  );
  for (const m of model.messages) {
    const strs = m.fields.flatMap((f) =>
      f.kind === "str"
        ? [`${f.prop}: ${f.maxBytes}`]
        : f.kind === "strlist"
          ? [`${f.prop}: ${f.itemMaxBytes}`]
          : [],
    );
    out.push(`  ${m.name}: {${strs.length === 0 ? "" : ` ${strs.join(", ")} `}},`);
  }
  out.push("} as const;", "");
  return out.join("\n");
}

function emitEnum(e: EnumModel): string {
  const out: string[] = [];
  out.push(`export const ${e.tsName} = {`);
  for (const entry of e.entries) {
    out.push(`${docComment(entry.doc, "  ")}  ${entry.name}: ${entry.value},`);
  }
  out.push("} as const;", "");
  out.push(`export type ${e.tsName}Name = keyof typeof ${e.tsName};`, "");
  out.push(
    `/** Every ${e.tsName} name, in wire-value order. */`,
    `export const ${upperSnake(e.id)}_NAMES: readonly ${e.tsName}Name[] = [`,
    ...e.entries.map((entry) => `  ${lit(entry.name)},`),
    "];",
    "",
  );
  const fn = e.tsName.charAt(0).toLowerCase() + e.tsName.slice(1);
  out.push(
    `/** The ${e.tsName} name of a wire value, or undefined if the spec does not define it. */`,
    `export function ${fn}Name(value: number): ${e.tsName}Name | undefined {`,
    "  switch (value) {",
  );
  for (const entry of e.entries) {
    out.push(`    case ${entry.value}:`, `      return ${lit(entry.name)};`);
  }
  out.push("    default:", "      return undefined;", "  }", "}", "");
  return out.join("\n");
}
