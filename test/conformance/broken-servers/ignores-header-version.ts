/**
 * Broken on purpose: ignores the header version of incoming PDUs. Each PDU is classified as if it carried
 * the version the spec prescribes, so WRONG_VERSION is never sent (REQ-4.10); everything else is the
 * reference.
 */
import { headerVersionFor } from "../../../server/header-version.ts";
import { serverClassify } from "../../../server/server-options.ts";
import type { ServerClassifier } from "../../../server/session-context.ts";
import { startVariant } from "./start-variant.ts";

const versionBlind: ServerClassifier = (state, negotiatedVersion, header) =>
  serverClassify(state, negotiatedVersion, {
    type: header.type,
    version: headerVersionFor(header.type, negotiatedVersion),
  });

await startVariant("ignores-header-version", () => ({ classify: versionBlind }));
