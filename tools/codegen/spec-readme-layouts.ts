/**
 * Keeps the payload diagrams of spec/README.md (§3.1, §12.3) equal to pdu.ksy: `make generate`
 * rewrites every block between a begin marker naming message types and the end marker,
 *
 *     <!-- layout of CHAT CHAT_ECHO: written by make generate from pdu.ksy -->
 *     ```
 *     ...
 *     ```
 *     <!-- end of layout -->
 *
 * with the diagram of the first type drawn from the codec model. The other types named share its
 * layout, which is checked. Prose around the blocks (titles, ranges, meanings) stays hand-written;
 * the CI check that `make generate` changes nothing then covers the diagrams.
 */
import type { CodecModel } from "./codec-model.ts";
import { layoutDiagram, sameLayout } from "./layout-diagram.ts";
import { SpecError } from "./spec-error.ts";

const BEGIN = /^<!-- layout of ([A-Z0-9_ ]+): written by make generate from pdu\.ksy -->$/;
const END = "<!-- end of layout -->";

/** `readme` with every layout block redrawn; throws SpecError (file:line) on a bad marker. */
export function rewriteLayouts(readme: string, model: CodecModel, file: string): string {
  const lines = readme.split("\n");
  const out: string[] = [];
  const fail = (i: number, problem: string): never => {
    throw new SpecError(`${file}:${i + 1}`, "", problem);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line);
    const begin = BEGIN.exec(line);
    if (begin === null) {
      if (line === END) fail(i, `${END} without a begin marker`);
      continue;
    }
    const names = begin[1]!.trim().split(/\s+/);
    const messages = names.map(
      (name) => model.messages.find((m) => m.name === name) ?? fail(i, `no message type ${name}`),
    );
    const [first, ...rest] = messages;
    for (const m of rest) {
      if (!sameLayout(first!, m)) fail(i, `${m.name}'s layout differs from ${first!.name}'s`);
    }
    if (first!.fields.length === 0) fail(i, `${first!.name} has an empty payload: no diagram`);
    const end = lines.indexOf(END, i + 1);
    const next = lines.findIndex((l, j) => j > i && BEGIN.test(l));
    if (end < 0 || (next >= 0 && next < end)) fail(i, `layout block without ${END}`);
    out.push("```", ...layoutDiagram(first!), "```", END);
    i = end;
  }
  return out.join("\n");
}
