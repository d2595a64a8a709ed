/**
 * What a server may answer a well-formed PDU of a type from a version it does not speak (§11): it
 * need not know the type at all (UNKNOWN_MESSAGE_TYPE, REQ-3.5), or it knows it and answers as the
 * tables say (UNSUPPORTED_IN_VERSION, or UNEXPECTED_MESSAGE for a type of its own role). A server
 * that speaks the type's version must answer as the tables say.
 */
import { type ErrorCodeName, MESSAGE_RULES, type MessageTypeName } from "../../generated/index.ts";

export function acceptableAnswers(
  type: MessageTypeName,
  tablesSay: ErrorCodeName,
  serverVersions: readonly number[],
): ErrorCodeName[] {
  const known = serverVersions.some((version) => version >= MESSAGE_RULES[type].since);
  return known ? [tablesSay] : [tablesSay, "UNKNOWN_MESSAGE_TYPE"];
}
