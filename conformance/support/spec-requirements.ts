/**
 * The numbered requirements of the prose spec (spec/README.md), read from its bullets
 * (`- **REQ-4.2** (client) The server MUST ...`): id, level keyword and who it binds.
 *
 * The report uses the levels; the coverage test uses the list to check that every MUST a server can be
 * judged on over the wire is cited by a scenario.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export type Keyword = "MUST" | "MUST NOT" | "SHOULD" | "SHOULD NOT" | "MAY";

export interface SpecRequirement {
  id: string;
  keyword: Keyword;
  /** MUST and MUST NOT are MUST-level; SHOULD and SHOULD NOT are SHOULD-level. */
  level: "MUST" | "SHOULD" | "MAY";
  /**
   * "(client)": binds clients only. "(internal)": binds a server but is invisible on the wire.
   * "(quic)": binds endpoints of the QUIC binding (spec §14); the suite has no scenarios for it.
   */
  scope: "wire" | "client" | "internal" | "quic";
  text: string;
  /** The heading it is under ("7.1 Keep-alive") and that heading's anchor on a rendered README. */
  section?: { title: string; anchor: string };
  /** The chapter (level-2 heading) it is in: "7. Keep-alive and timers". */
  chapter?: string;
}

export const SPEC_README = fileURLToPath(new URL("../../spec/README.md", import.meta.url));

const BULLET = /^- \*\*(REQ-\d+\.\d+)\*\*\s*(?:\((client|internal|quic)\))?\s*(.*)$/;
const HEADING = /^(#{2,3}) (.+?)\s*$/;
const KEYWORD = /\b(MUST NOT|MUST|SHOULD NOT|SHOULD|MAY)\b/;

export function readSpecRequirements(file = SPEC_README): SpecRequirement[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const requirements: SpecRequirement[] = [];
  let section = { title: "", anchor: "" };
  let chapter = "";
  for (let i = 0; i < lines.length; i++) {
    const heading = HEADING.exec(lines[i] ?? "");
    if (heading) section = { title: heading[2]!, anchor: anchorOf(heading[2]!) };
    if (heading?.[1] === "##") chapter = heading[2]!;
    const match = BULLET.exec(lines[i] ?? "");
    if (!match) continue;
    // A bullet continues on indented lines until a blank line or the next bullet.
    let text = match[3] ?? "";
    for (let j = i + 1; j < lines.length && /^\s+\S/.test(lines[j] ?? ""); j++) {
      text += ` ${(lines[j] ?? "").trim()}`;
    }
    const keyword = KEYWORD.exec(text)?.[1] as Keyword | undefined;
    if (!keyword) throw new Error(`${file}: ${match[1]} has no MUST/SHOULD/MAY keyword`);
    requirements.push({
      id: match[1]!,
      keyword,
      level: keyword.startsWith("MUST") ? "MUST" : keyword.startsWith("SHOULD") ? "SHOULD" : "MAY",
      scope: (match[2] as "client" | "internal" | "quic" | undefined) ?? "wire",
      text,
      section,
      chapter,
    });
  }
  return requirements;
}

/** The anchor GitHub (and most Markdown renderers) give a heading: "7.1 Keep-alive" → "71-keep-alive". */
function anchorOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- ]/gu, "")
    .replaceAll(" ", "-");
}
