/** VERSION_REQUEST (spec §4): the highest version both sides speak, or NO_COMMON_VERSION. */
import type { PduOfType } from "../../generated/index.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function versionRequest(
  pdu: PduOfType<"VERSION_REQUEST">,
  session: HandlerContext,
): HandlerResult {
  const offered = new Set(pdu.versions);
  const supported = [...session.shared.supportedVersions].sort((a, b) => a - b);
  const { pingIntervalMs, pingTimeoutMs } = session.shared.timers;
  const chosen = supported.filter((version) => offered.has(version)).at(-1);
  if (chosen === undefined) {
    session.log.info({ offered: pdu.versions, supported }, "negotiation failed: no common version");
    return {
      outcome: "NO_COMMON_VERSION",
      reply: {
        type: "VERSION_RESPONSE",
        status: "NO_COMMON_VERSION",
        chosenVersion: 0,
        pingIntervalMs,
        pingTimeoutMs,
        supportedVersions: supported,
      },
    };
  }
  session.negotiatedVersion = chosen;
  session.log.info({ version: chosen, offered: pdu.versions }, "negotiated");
  return {
    outcome: "OK",
    reply: {
      type: "VERSION_RESPONSE",
      status: "OK",
      chosenVersion: chosen,
      pingIntervalMs,
      pingTimeoutMs,
      supportedVersions: supported,
    },
  };
}
