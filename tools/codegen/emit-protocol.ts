/**
 * Emits generated/protocol.ts: protocol.json's flows, timers, limits and error table as typed
 * constants, and the handler-map types per role. classify()'s lookup tables are
 * emit-classification.ts's; classify() itself is hand-written (codec/classify.ts).
 */
import type { CodecModel } from "./codec-model.ts";
import { banner, docComment, lit } from "./emitted-file.ts";
import { outcomesOf, PEER_ERROR_MESSAGE } from "./protocol-crosscheck.ts";
import type { FanOutSpec, ProtocolSpec, Role } from "./protocol-loader.ts";

export const ROLES: readonly Role[] = ["client", "server"];

export function emitProtocol(p: ProtocolSpec, codec: CodecModel): string {
  const msgT = `${codec.messageTypeEnum.tsName}Name`;
  const errT = `${codec.errorCodeEnum.tsName}Name`;
  const states = Object.keys(p.states);
  // Every status value (handlers switch on them), plus the error codes transitions name as outcomes.
  const outcomes = [
    ...new Set([
      ...codec.messages
        .filter((m) => m.name !== PEER_ERROR_MESSAGE)
        .flatMap((m) => outcomesOf(codec, m.name)),
      ...p.transitions.map((t) => t.outcome),
    ]),
  ];
  const audiences = Object.keys(p.audiences);
  const fanOut = (f: FanOutSpec | undefined): string =>
    `[${(f ?? []).map((x) => `{ sends: ${lit(x.sends)}, to: ${lit(x.to)} }`).join(", ")}]`;
  const out: string[] = [banner(["spec/pdu.ksy", "spec/protocol.json"])];
  const o = (...lines: string[]) => out.push(...lines);

  o(`import type { ${errT}, ${msgT} } from "./constants.ts";`);
  o('import type { PduOfType } from "./pdu-types.ts";', "");
  o(docComment(p.doc).trimEnd());
  o('export type Role = "client" | "server";', "");
  o("/** Connection states; see STATE_DOCS. */");
  o(`export type StateName = ${states.map(lit).join(" | ")};`, "");
  o(`export const STATE_NAMES: readonly StateName[] = [${states.map(lit).join(", ")}];`, "");
  o("export const STATE_DOCS: Readonly<Record<StateName, string>> = {");
  for (const s of states) o(`  ${s}: ${lit(p.states[s]!.doc)},`);
  o("};", "");
  o(`export const INITIAL_STATE: StateName = ${lit(p.initialState)};`, "");
  o("/** Protocol versions this implementation speaks, ascending. */");
  const versions = p.versions.map((v) => v.version).sort((a, b) => a - b);
  o(`export const SUPPORTED_VERSIONS: readonly number[] = [${versions.join(", ")}];`, "");

  o(
    "/**",
    " * Who may send a message, from which protocol version, and which header version it carries:",
    ' * "zero" always 0, "negotiated" the connection\'s version (0 before negotiation), "current" any.',
    " */",
    "export interface MessageRule {",
    '  readonly sender: Role | "both";',
    "  readonly since: number;",
    '  readonly headerVersion: "zero" | "negotiated" | "current";',
    "}",
    "",
    `export const MESSAGE_RULES: Readonly<Record<${msgT}, MessageRule>> = {`,
  );
  for (const m of codec.messageTypeEnum.entries) {
    const r = p.messages[m.name]!;
    o(
      `  ${m.name}: { sender: ${lit(r.sender)}, since: ${r.since}, headerVersion: ${lit(r.headerVersion)} },`,
    );
  }
  o("};", "");
  for (const role of ROLES) o(...emitReceivedTypes(p, codec, role));

  o("/** Who receives a fan-out PDU; see AUDIENCE_DOCS. */");
  o(`export type AudienceName = ${audiences.map(lit).join(" | ")};`, "");
  o("export const AUDIENCE_DOCS: Readonly<Record<AudienceName, string>> = {");
  for (const a of audiences) o(`  ${a}: ${lit(p.audiences[a]!.doc)},`);
  o("};", "");
  o(
    "/**",
    " * A PDU the server sends to `to` (other sessions, or every member including the actor) as a",
    " * consequence of a transition or server event, after the reply if there is one.",
    " */",
    "export interface FanOut {",
    `  readonly sends: ${msgT};`,
    "  readonly to: AudienceName;",
    "}",
    "",
  );
  o(
    "/** Values a transition's outcome may take: the reply's status, an ERROR reply's code, or OK. */",
  );
  o(`export type OutcomeName = ${outcomes.map(lit).join(" | ")};`, "");
  o(
    "export interface Transition {",
    "  readonly receiver: Role;",
    "  readonly state: StateName;",
    `  readonly receives: ${msgT};`,
    "  readonly outcome: OutcomeName;",
    `  readonly replies: ${msgT} | null;`,
    "  readonly next: StateName;",
    "  /** Sent after the reply; empty when the transition concerns only the receiving session. */",
    "  readonly fanOut: readonly FanOut[];",
    "  readonly doc: string;",
    "}",
    "",
    "export const TRANSITIONS: readonly Transition[] = [",
  );
  for (const t of p.transitions) {
    o(
      "  {",
      `    receiver: ${lit(t.receiver)},`,
      `    state: ${lit(t.state)},`,
      `    receives: ${lit(t.receives)},`,
      `    outcome: ${lit(t.outcome)},`,
      `    replies: ${t.replies === null ? "null" : lit(t.replies)},`,
      `    next: ${lit(t.next)},`,
      `    fanOut: ${fanOut(t.fanOut)},`,
      `    doc: ${lit(t.doc)},`,
      "  },",
    );
  }
  o("];", "");

  o(
    "export interface Rejection {",
    "  readonly receiver: Role;",
    "  readonly state: StateName;",
    `  readonly receives: readonly ${msgT}[];`,
    `  readonly error: ${errT};`,
    "  readonly doc: string;",
    "}",
    "",
    "export const REJECTIONS: readonly Rejection[] = [",
  );
  for (const r of p.rejections) {
    o(
      "  {",
      `    receiver: ${lit(r.receiver)},`,
      `    state: ${lit(r.state)},`,
      `    receives: [${r.receives.map(lit).join(", ")}],`,
      `    error: ${lit(r.error)},`,
      `    doc: ${lit(r.doc)},`,
      "  },",
    );
  }
  o("];", "");

  o(docComment(p.globalRules.doc).trimEnd());
  o("export const GLOBAL_RULES: Readonly<{");
  o(
    `  wrongSender: ${errT};`,
    `  notInVersion: ${errT};`,
    `  wrongHeaderVersion: ${errT};`,
    `  noRule: ${errT};`,
    "}> = {",
  );
  o(
    `  wrongSender: ${lit(p.globalRules.wrongSender)},`,
    `  notInVersion: ${lit(p.globalRules.notInVersion)},`,
    `  wrongHeaderVersion: ${lit(p.globalRules.wrongHeaderVersion)},`,
    `  noRule: ${lit(p.globalRules.noRule)},`,
    "};",
    "",
  );

  o(
    "/** The wire code of an error, whether the receiver closes the connection after it, since when it exists, and why. */",
    "export interface ErrorRule {",
    "  readonly code: number;",
    "  readonly closes: boolean;",
    "  /** The first protocol version in which a peer may send this code (spec/README.md §8.1). */",
    "  readonly since: number;",
    "  readonly doc: string;",
    "}",
    "",
    `export const ERRORS: Readonly<Record<${errT}, ErrorRule>> = {`,
  );
  for (const e of codec.errorCodeEnum.entries) {
    const rule = p.errors[e.name]!;
    o(
      `  ${e.name}: { code: ${e.value}, closes: ${rule.closes}, since: ${rule.since}, doc: ${lit(rule.doc)} },`,
    );
  }
  o("};", "");

  const events = p.serverEvents.map((e) => e.event);
  o("/** Things a server does that no received PDU triggers. */");
  o(`export type ServerEventName = ${events.map(lit).join(" | ")};`, "");
  o(
    "export interface ServerEvent {",
    "  readonly event: ServerEventName;",
    "  readonly fanOut: readonly FanOut[];",
    "  readonly doc: string;",
    "}",
    "",
    "export const SERVER_EVENTS: Readonly<Record<ServerEventName, ServerEvent>> = {",
  );
  for (const e of p.serverEvents) {
    o(`  ${e.event}: { event: ${lit(e.event)}, fanOut: ${fanOut(e.fanOut)}, doc: ${lit(e.doc)} },`);
  }
  o("};", "");

  o("/** Syntax rules for names the protocol gives meaning to. */");
  o("export const PATTERNS: Readonly<{ roomName: RegExp }> = {");
  const roomName = p.patterns.roomName;
  o(`${docComment(roomName.doc, "  ")}  roomName: /${roomName.regex.replaceAll("/", "\\/")}/,`);
  o("};", "");

  const timerKeys = Object.keys(p.timers) as (keyof ProtocolSpec["timers"])[];
  o("/** Timer defaults in milliseconds; (owner) is the side that runs the timer. */");
  o("export const TIMER_DEFAULTS_MS: Readonly<{");
  for (const k of timerKeys) o(`  ${k}: number;`);
  o("}> = {");
  for (const k of timerKeys) {
    const t = p.timers[k];
    o(`${docComment(`(${t.owner}) ${t.doc}`, "  ")}  ${k}: ${t.defaultMs},`);
  }
  o("};", "");

  const limitKeys = Object.keys(p.limits) as (keyof ProtocolSpec["limits"])[];
  o("/** Protocol limits. */");
  o("export const LIMITS: Readonly<{");
  for (const k of limitKeys) o(`  ${k}: number;`);
  o("}> = {");
  for (const k of limitKeys) o(`${docComment(p.limits[k].doc, "  ")}  ${k}: ${p.limits[k].value},`);
  o("};", "");

  return out.join("\n");
}

/**
 * The message types one role receives (the other role sends them, or both do), and the handler
 * map keyed on them. server/ and client/ declare their handlers with this type, so a message type
 * added to the spec without a handler is a `tsc` error, not an INTERNAL_ERROR at run time.
 */
function emitReceivedTypes(p: ProtocolSpec, codec: CodecModel, role: Role): string[] {
  const Role = role === "server" ? "Server" : "Client";
  const received = codec.messageTypeEnum.entries
    .map((m) => m.name)
    .filter((name) => p.messages[name]!.sender !== role);
  return [
    `/** Message types the ${role} receives: those the other role (or both) may send. */`,
    `export type ${Role}ReceivedType = ${received.map(lit).join(" | ")};`,
    "",
    `export const ${role.toUpperCase()}_RECEIVED_TYPES: readonly ${Role}ReceivedType[] = [${received.map(lit).join(", ")}];`,
    "",
    "/**",
    ` * One handler for every message type the ${role} receives, each given the PDU of its own type.`,
    ` * A ${role} declares its handler table with this type, so a type with no handler fails \`tsc\`.`,
    " */",
    `export type ${Role}Handlers<Context, Result> = {`,
    `  readonly [T in ${Role}ReceivedType]: (pdu: PduOfType<T>, context: Context) => Result;`,
    "};",
    "",
  ];
}
