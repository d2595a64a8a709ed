/** Emits generated/pdu-types.ts: one interface per message type and the Pdu union. */
import type { CodecModel, FieldModel } from "./codec-model.ts";
import { banner, docComment, lit } from "./emitted-file.ts";

const VERSION_DOC =
  "Header version: 0 on VERSION_REQUEST/VERSION_RESPONSE and before negotiation, the negotiated version after.";

export function emitPduTypes(model: CodecModel): string {
  const enumTypes = model.enums
    .filter(
      (e) =>
        e === model.messageTypeEnum ||
        model.messages.some((m) => m.fields.some((f) => f.kind === "int" && f.enumModel === e)),
    )
    .map((e) => `${e.tsName}Name`)
    .sort();
  const out: string[] = [banner(["spec/pdu.ksy"])];
  out.push(`import type { ${enumTypes.join(", ")} } from "./constants.ts";`, "");
  for (const m of model.messages) {
    out.push(docComment(m.doc).trimEnd());
    out.push(`export interface ${m.pascal}Pdu {`);
    out.push(`  type: ${lit(m.name)};`);
    out.push(`${docComment(VERSION_DOC, "  ")}  version: number;`);
    for (const f of m.fields) {
      const t = tsType(f);
      if (t !== undefined) out.push(`${docComment(f.doc, "  ")}  ${f.prop}: ${t};`);
    }
    out.push("}", "");
  }
  out.push("/** Any Parrot PDU; `type` tells them apart. */");
  out.push("export type Pdu =");
  model.messages.forEach((m, i) => {
    out.push(`  | ${m.pascal}Pdu${i === model.messages.length - 1 ? ";" : ""}`);
  });
  out.push(
    "",
    '/** The PDU interface of one message type, e.g. PduOfType<"CHAT"> is ChatPdu. */',
    `export type PduOfType<T extends ${model.messageTypeEnum.tsName}Name> = Extract<Pdu, { type: T }>;`,
    "",
  );
  return out.join("\n");
}

/** The property type of a field, or undefined for lengths and counts (derived when encoding). */
function tsType(f: FieldModel): string | undefined {
  switch (f.kind) {
    case "int":
      return f.enumModel === undefined ? "number" : `${f.enumModel.tsName}Name`;
    case "length":
      return undefined;
    case "str":
      return "string";
    case "u1array":
      return "number[]";
    case "strlist":
      return "string[]";
  }
}
