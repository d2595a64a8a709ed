import { ERRORS, type VersionResponsePdu } from "../../generated/index.ts";
import { ClientFailure } from "../client-failure.ts";
import type { ReceiveContext } from "./receive-context.ts";

/** VERSION_RESPONSE: the agreed version and timers, or no common version. */
export function receiveVersionResponse(pdu: VersionResponsePdu, context: ReceiveContext): void {
  const { session } = context;
  const offered = session.offeredVersions.join(",");
  if (pdu.status === "NO_COMMON_VERSION") {
    session.enter(context.next);
    session.end(
      new ClientFailure(
        "NO_COMMON_VERSION",
        `no common protocol version: offered ${offered}, ` +
          `the server speaks ${pdu.supportedVersions.join(",")}`,
      ),
    );
    return;
  }
  if (!session.offeredVersions.includes(pdu.chosenVersion)) {
    // Nothing was negotiated, so the ERROR goes with header version 0, and closes (REQ-4.5).
    session.refuse(
      "WRONG_VERSION",
      `the server chose protocol version ${pdu.chosenVersion}, which was not offered ` +
        `(offered ${offered}; error ${ERRORS.WRONG_VERSION.code} sent)`,
      true,
    );
    return;
  }
  session.enter(context.next);
  session.agreed({
    version: pdu.chosenVersion,
    pingIntervalMs: pdu.pingIntervalMs,
    pingTimeoutMs: pdu.pingTimeoutMs,
    serverVersions: pdu.supportedVersions,
  });
}
