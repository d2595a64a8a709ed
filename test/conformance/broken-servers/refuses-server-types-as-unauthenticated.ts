/**
 * Broken on purpose, in one cell of the flow tables: on a version 2 connection that has not logged in,
 * a type only servers send is refused with AUTHENTICATION_REQUIRED instead of UNEXPECTED_MESSAGE
 * (REQ-8.6: the sender role is checked before the state). The hand-written scenarios try server types
 * of version 1 only; the flow model tries every type in every state.
 */
import { MESSAGE_RULES } from "../../../generated/index.ts";
import { serverClassify } from "../../../server/server-options.ts";
import type { ServerClassifier } from "../../../server/session-context.ts";
import { startVariant } from "./start-variant.ts";

const classify: ServerClassifier = (state, negotiatedVersion, header) => {
  const rule = MESSAGE_RULES[header.type];
  if (
    state === "NEGOTIATED" &&
    negotiatedVersion === 2 &&
    rule.sender === "server" &&
    rule.since === 2
  ) {
    return { kind: "reject", error: "AUTHENTICATION_REQUIRED" };
  }
  return serverClassify(state, negotiatedVersion, header);
};

await startVariant("refuses-server-types-as-unauthenticated", () => ({ classify }));
