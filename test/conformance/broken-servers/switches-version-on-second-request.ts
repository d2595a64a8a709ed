/**
 * Broken on purpose: a VERSION_REQUEST after negotiation is answered ALREADY_NEGOTIATED, as the spec
 * says, but the highest version it offers that the server speaks is adopted all the same (REQ-4.8: the
 * negotiated version stands). A second offer of the version in force changes nothing, so only an offer
 * of another version shows it. The classification swapped in lets such a request reach its handler.
 */
import type { OutcomeName, Transition } from "../../../generated/index.ts";
import { SERVER_HANDLERS } from "../../../server/handlers/index.ts";
import { errorPdu } from "../../../server/outgoing-pdu.ts";
import { serverClassify } from "../../../server/server-options.ts";
import type { ServerClassifier, ServerHandlerTable } from "../../../server/session-context.ts";
import { startVariant } from "./start-variant.ts";

const classify: ServerClassifier = (state, negotiatedVersion, header) => {
  if (header.type !== "VERSION_REQUEST" || state === "CONNECTED") {
    return serverClassify(state, negotiatedVersion, header);
  }
  const refusal: Transition = {
    receiver: "server",
    state,
    receives: "VERSION_REQUEST",
    outcome: "ALREADY_NEGOTIATED" as OutcomeName,
    replies: "ERROR",
    next: state,
    fanOut: [],
    doc: "a broken variant's own transition",
  };
  return { kind: "accept", transitions: [refusal] };
};

const adoptingVersionRequest: ServerHandlerTable["VERSION_REQUEST"] = (pdu, session) => {
  if (session.state === "CONNECTED") return SERVER_HANDLERS.VERSION_REQUEST(pdu, session);
  const common = pdu.versions.filter((v) => session.shared.supportedVersions.includes(v));
  if (common.length > 0) session.negotiatedVersion = Math.max(...common);
  return {
    outcome: "ALREADY_NEGOTIATED" as OutcomeName,
    reply: errorPdu("ALREADY_NEGOTIATED", "negotiation happens once per connection"),
  };
};

await startVariant("switches-version-on-second-request", () => ({
  classify,
  handlers: { VERSION_REQUEST: adoptingVersionRequest },
}));
