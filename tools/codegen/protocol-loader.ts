/**
 * Reads spec/protocol.json and validates it with ajv against spec/protocol.schema.json, narrowed to
 * the names that actually exist (states declared in the file, message and error names from pdu.ksy),
 * so a typo fails with the JSON path at fault and the list of allowed names.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { SpecError } from "./spec-error.ts";

export type Role = "client" | "server";

/** PDUs a server sends to other sessions because of a transition or a server event. */
export type FanOutSpec = { sends: string; to: string; doc?: string }[];

export interface ProtocolSpec {
  protocol: "parrot";
  doc: string;
  versions: { version: number; doc: string }[];
  roles: Record<Role, { doc: string }>;
  states: Record<string, { doc: string }>;
  initialState: string;
  messages: Record<
    string,
    {
      sender: Role | "both";
      since: number;
      headerVersion: "zero" | "negotiated" | "current";
      doc?: string;
    }
  >;
  audiences: Record<string, { doc: string }>;
  transitions: {
    receiver: Role;
    state: string;
    receives: string;
    outcome: string;
    replies: string | null;
    next: string;
    fanOut?: FanOutSpec;
    doc: string;
  }[];
  rejections: { receiver: Role; state: string; receives: string[]; error: string; doc: string }[];
  globalRules: {
    wrongSender: string;
    notInVersion: string;
    wrongHeaderVersion: string;
    noRule: string;
    doc: string;
  };
  serverEvents: { event: string; fanOut: FanOutSpec; doc: string }[];
  patterns: Record<"roomName", { regex: string; doc: string }>;
  timers: Record<
    | "pingInterval"
    | "pingTimeout"
    | "handshakeTimeout"
    | "timeoutTolerance"
    | "shutdownGrace"
    | "typingTimeout",
    { defaultMs: number; owner: Role; doc: string }
  >;
  limits: Record<
    | "maxPayloadLength"
    | "maxLoginAttempts"
    | "maxVersionsOffered"
    | "maxRoomsPerUser"
    | "maxMembersPerRoom"
    | "maxListEntries"
    | "maxHistoryPage"
    | "typingMinIntervalMs",
    { value: number; doc: string }
  >;
  errors: Record<string, { closes: boolean; doc: string }>;
}

/** Names the schema's placeholders are narrowed to. */
export interface KnownNames {
  messages: readonly string[];
  errors: readonly string[];
}

export function loadProtocol(
  path: string,
  schemaPath: string,
  names: KnownNames,
  displayName = path,
): ProtocolSpec {
  let data: unknown;
  let schema: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new SpecError(displayName, "", `cannot read JSON: ${(e as Error).message}`);
  }
  try {
    schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  } catch (e) {
    throw new SpecError(schemaPath, "", `cannot read JSON schema: ${(e as Error).message}`);
  }
  return validateProtocol(data, schema, names, displayName);
}

/** Validates an already parsed protocol.json (tests feed it modified copies). */
export function validateProtocol(
  data: unknown,
  schema: unknown,
  names: KnownNames,
  file: string,
): ProtocolSpec {
  const narrowed = narrowSchema(schema, data, names);
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(narrowed);
  if (!validate(data)) {
    const problems = dedupe((validate.errors ?? []).filter(isUseful).map(describe));
    throw SpecError.many(file, problems);
  }
  return data as ProtocolSpec;
}

type Schema = Record<string, unknown> & { definitions: Record<string, unknown> };

function narrowSchema(schema: unknown, data: unknown, names: KnownNames): Schema {
  const copy = structuredClone(schema) as Schema;
  const declared = (key: string): string[] | undefined => {
    const v =
      typeof data === "object" && data !== null && key in data
        ? (data as Record<string, unknown>)[key]
        : undefined;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? Object.keys(v) : undefined;
  };
  const states = declared("states");
  if (states !== undefined) copy.definitions["stateName"] = { enum: states };
  const audiences = declared("audiences");
  if (audiences !== undefined) copy.definitions["audienceName"] = { enum: audiences };
  copy.definitions["messageName"] = { enum: [...names.messages] };
  copy.definitions["messageNameOrNull"] = { enum: [...names.messages, null] };
  copy.definitions["errorName"] = { enum: [...names.errors] };
  return copy;
}

/** ajv also reports the combinators around a failure; the leaf errors say it all. */
function isUseful(e: ErrorObject): boolean {
  return e.keyword !== "anyOf" && e.keyword !== "oneOf" && e.keyword !== "propertyNames";
}

function describe(e: ErrorObject): { at: string; problem: string } {
  const at = e.instancePath === "" ? "/" : e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "enum": {
      const allowed = (params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v));
      const what = e.propertyName === undefined ? "" : `property name "${e.propertyName}" `;
      return { at, problem: `${what}must be one of ${allowed.join(", ")}` };
    }
    case "additionalProperties":
      return { at, problem: `must not have property "${String(params["additionalProperty"])}"` };
    case "required":
      return { at, problem: `must have property "${String(params["missingProperty"])}"` };
    default:
      return { at, problem: e.message ?? e.keyword };
  }
}

function dedupe<T extends { at: string; problem: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = `${i.at} ${i.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
