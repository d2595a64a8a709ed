/**
 * The server's flow tables (spec/protocol.json, through generated/protocol.ts: classify, TRANSITIONS,
 * REJECTIONS, GLOBAL_RULES) turned into expectations: for a client PDU of every type in every state of
 * every protocol version, what the server must answer, whether it closes, and which state follows.
 *
 * Model-based testing in the manner of Paho's MQTT tests: the rows of flow-model.feature are written
 * from this file (conformance/tools/write-flow-model-feature.ts, kept current by
 * test/conformance/flow-model.test.ts), and the steps judge each row by asking this file again at run
 * time, so a change to protocol.json changes both the rows and the verdicts.
 */
import {
  classify,
  ERRORS,
  type ErrorCodeName,
  MESSAGE_RULES,
  type MessageTypeName,
  type Pdu,
  SUPPORTED_VERSIONS,
  type Transition,
} from "../../generated/index.ts";
import { acceptableAnswers } from "./later-version-answer.ts";
import { samplePdu } from "./sample-pdus.ts";

/** The states a client can put a connection in and then send a PDU: every one but CLOSED. */
export const MODEL_STATES = ["CONNECTED", "NEGOTIATED", "AUTHENTICATED"] as const;
export type ModelState = (typeof MODEL_STATES)[number];

/** What the server must do with one PDU. */
export type FlowExpectation =
  /** `or`: another code allowed instead (a type of a version the server does not speak). */
  | { kind: "reject"; error: ErrorCodeName; closes: boolean; or?: ErrorCodeName }
  /** A peer's ERROR whose code does not close: logged, never answered (REQ-8.5). */
  | { kind: "ignore" }
  | { kind: "accept"; transitions: readonly Transition[] };

export interface FlowRow {
  /** The protocol version of the row's scenario tag (@v1, @v2). */
  version: number;
  state: ModelState;
  type: MessageTypeName;
  /** The requirement whose rule decides the row. */
  requirement: string;
}

/** The code a peer's ERROR carries in the model: one that does not close, so the state is observable. */
export const NON_CLOSING_PEER_ERROR: ErrorCodeName = "UNKNOWN_MESSAGE_TYPE";

const ALL_TYPES = Object.keys(MESSAGE_RULES) as MessageTypeName[];

/** Every row: each state × each message type × each protocol version the spec has. */
export function flowRows(): FlowRow[] {
  const rows: FlowRow[] = [];
  for (const version of SUPPORTED_VERSIONS) {
    for (const state of MODEL_STATES) {
      for (const type of ALL_TYPES) {
        // Before negotiation no version is in effect; a type is tried in the version that has it.
        if (state === "CONNECTED" && MESSAGE_RULES[type].since !== version) continue;
        rows.push({ version, state, type, requirement: rowRequirement(version, state, type) });
      }
    }
  }
  return rows;
}

/** The version negotiated in `state` of a `version` row; null before negotiation. */
export function negotiatedIn(state: ModelState, version: number): number | null {
  return state === "CONNECTED" ? null : version;
}

/** The header version §4.3 prescribes for `type` on a connection that negotiated `negotiated`. */
export function prescribedHeaderVersion(type: MessageTypeName, negotiated: number | null): number {
  return MESSAGE_RULES[type].headerVersion === "zero" ? 0 : (negotiated ?? 0);
}

/**
 * What the tables say. `serverVersions` are the versions the server lists: a type from a version the
 * server does not speak is one it need not know, so it may answer UNKNOWN_MESSAGE_TYPE (REQ-3.5, §11).
 */
export function expectationFor(
  row: Pick<FlowRow, "version" | "state" | "type">,
  serverVersions: readonly number[] = SUPPORTED_VERSIONS,
): FlowExpectation {
  const negotiated = negotiatedIn(row.state, row.version);
  const classification = classify("server", row.state, negotiated, {
    version: prescribedHeaderVersion(row.type, negotiated),
    type: row.type,
  });
  switch (classification.kind) {
    case "reject": {
      if (row.state === "CONNECTED") return reject(classification.error);
      const [, or] = acceptableAnswers(row.type, classification.error, serverVersions);
      return or === undefined
        ? reject(classification.error)
        : { ...reject(classification.error), or };
    }
    case "peer-error":
      return { kind: "ignore" };
    case "accept":
      return { kind: "accept", transitions: classification.transitions };
  }
}

function reject(error: ErrorCodeName): FlowExpectation & { kind: "reject" } {
  return { kind: "reject", error, closes: ERRORS[error].closes };
}

/** The PDU a row sends: well formed, with the prescribed header version; only its place is tested. */
export function modelPdu(row: Pick<FlowRow, "version" | "state" | "type">): Pdu {
  const negotiated = negotiatedIn(row.state, row.version);
  const version = prescribedHeaderVersion(row.type, negotiated);
  switch (row.type) {
    case "VERSION_REQUEST":
      // After negotiation, offer another version than the one in force: nothing may change (REQ-4.8).
      return {
        type: "VERSION_REQUEST",
        version,
        versions: negotiated === null ? [row.version] : otherVersions(negotiated),
      };
    case "ERROR":
      return { type: "ERROR", version, code: NON_CLOSING_PEER_ERROR, text: "flow model" };
    default:
      return samplePdu(row.type, version);
  }
}

function otherVersions(negotiated: number): number[] {
  const others = SUPPORTED_VERSIONS.filter((v) => v !== negotiated);
  return others.length > 0 ? others : [negotiated + 1];
}

/** The outcome a reply PDU shows: its status, an ERROR's code, or OK for replies without one. */
export function replyOutcome(pdu: Pdu): string {
  switch (pdu.type) {
    case "VERSION_RESPONSE":
    case "LOGIN_RESPONSE":
    case "DIRECT_STATUS":
    case "ROOM_RESULT":
    case "WHO_LIST":
    case "DIRECT_STATUS_V3":
    case "HISTORY_PAGE":
      return pdu.status;
    case "ERROR":
      return pdu.code;
    default:
      return "OK";
  }
}

/** A short account of an expectation, for the feature's rows and failure messages. */
export function describeExpectation(expectation: FlowExpectation): string {
  switch (expectation.kind) {
    case "reject":
      return `ERROR ${expectation.error}${expectation.or ? ` (or ${expectation.or})` : ""}${expectation.closes ? ", close" : ", state unchanged"}`;
    case "ignore":
      return "no reply, state unchanged";
    case "accept": {
      const outcomes = expectation.transitions.map(
        (t) => `${t.replies ?? "no reply"} ${t.outcome} -> ${t.next}`,
      );
      return [...new Set(outcomes)].join(" or ");
    }
  }
}

/** The rule of spec/README.md that decides a row, cited by its scenario. */
function rowRequirement(version: number, state: ModelState, type: MessageTypeName): string {
  const expectation = expectationFor({ version, state, type });
  if (expectation.kind === "ignore") return "REQ-8.5";
  if (expectation.kind === "reject") {
    const byError: Partial<Record<ErrorCodeName, string>> = {
      NEGOTIATION_REQUIRED: "REQ-4.7",
      ALREADY_NEGOTIATED: "REQ-4.8",
      ALREADY_AUTHENTICATED: "REQ-5.8",
      UNEXPECTED_MESSAGE: "REQ-8.6",
      UNSUPPORTED_IN_VERSION: "REQ-8.7",
      AUTHENTICATION_REQUIRED: authenticationRequirement(MESSAGE_RULES[type].since),
    };
    const requirement = byError[expectation.error];
    if (!requirement) throw new Error(`flow model: no requirement for ${expectation.error}`);
    return requirement;
  }
  const byType: Partial<Record<MessageTypeName, string>> = {
    VERSION_REQUEST: "REQ-4.2",
    LOGIN_REQUEST: "REQ-5.2",
    CHAT: "REQ-6.1",
    PING: "REQ-7.2",
    LOGOUT: "REQ-9.2",
    DIRECT_SEND: "REQ-12.11",
    ROOM_JOIN: "REQ-12.13",
    ROOM_LEAVE: "REQ-12.15",
    ROOM_SAY: "REQ-12.17",
    ROOM_LIST_REQUEST: "REQ-12.19",
    WHO_REQUEST: "REQ-12.20",
    TYPING: "REQ-12.22",
    PRESENCE_SUBSCRIBE: "REQ-12.32",
    DIRECT_SEND_V3: "REQ-15.19",
    HISTORY_REQUEST: "REQ-15.11",
    ROOM_RESUME: "REQ-15.15",
  };
  const requirement = byType[type];
  if (!requirement) throw new Error(`flow model: no requirement for accepting ${type}`);
  return requirement;
}

/** Which section's rule refuses a type of `since` before login: §6 (v1), §12 (v2), §15 (v3). */
function authenticationRequirement(since: number): string {
  if (since >= 3) return "REQ-15.4";
  return since === 2 ? "REQ-12.5" : "REQ-6.6";
}

export function isModelState(state: string): state is ModelState {
  return (MODEL_STATES as readonly string[]).includes(state);
}
