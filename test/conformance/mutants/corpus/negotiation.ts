/** Planted faults: negotiation. See ../corpus.ts. */
import { classifyInstead, type Mutant, p, VERSION } from "./shared.ts";

export const NEGOTIATION: Mutant[] = [
  // --- negotiation and header versions (§4) ---
  {
    id: "chooses-lowest-version",
    breaks: "REQ-4.2",
    fault: "the lowest common version is chosen",
    patches: [
      p(
        VERSION,
        ".filter((version) => offered.has(version)).at(-1);",
        ".filter((version) => offered.has(version)).at(0);",
      ),
    ],
  },
  {
    id: "lists-only-chosen-version",
    breaks: "REQ-4.3",
    fault: "VERSION_RESPONSE OK lists only the chosen version",
    patches: [
      p(
        VERSION,
        "chosenVersion: chosen,\n      pingIntervalMs,\n      pingTimeoutMs,\n      supportedVersions: supported,",
        "chosenVersion: chosen,\n      pingIntervalMs,\n      pingTimeoutMs,\n      supportedVersions: [chosen],",
      ),
    ],
  },
  {
    id: "versions-sorted-descending",
    breaks: "REQ-4.3",
    fault: "the supported versions are sorted the wrong way",
    patches: [
      p(
        VERSION,
        "[...session.shared.supportedVersions].sort((a, b) => a - b);",
        "[...session.shared.supportedVersions].sort((a, b) => b - a);",
      ),
    ],
  },
  {
    id: "no-common-version-chooses-first",
    breaks: "REQ-4.4",
    fault: "NO_COMMON_VERSION carries a chosen version other than 0",
    patches: [p(VERSION, "chosenVersion: 0,", "chosenVersion: supported[0] ?? 0,")],
  },
  {
    id: "advertises-interval-equal-to-timeout",
    breaks: "REQ-7.6",
    fault: "the advertised ping interval is the ping timeout",
    patches: [
      p(
        VERSION,
        "chosenVersion: chosen,\n      pingIntervalMs,",
        "chosenVersion: chosen,\n      pingIntervalMs: pingTimeoutMs,",
      ),
    ],
  },
  {
    id: "error-before-negotiation-header-1",
    breaks: "REQ-4.9",
    fault: "PDUs sent before negotiation carry header version 1",
    patches: [
      p(
        "server/header-version.ts",
        '=== "zero" ? 0 : (negotiatedVersion ?? 0);',
        '=== "zero" ? 0 : (negotiatedVersion ?? 1);',
      ),
    ],
  },
  {
    id: "version-response-negotiated-header",
    breaks: "REQ-4.9",
    fault: "VERSION_RESPONSE carries the version it has just negotiated",
    patches: [
      p(
        "server/header-version.ts",
        '=== "zero" ? 0 : (negotiatedVersion ?? 0);',
        '=== "zero" ? (negotiatedVersion ?? 0) : (negotiatedVersion ?? 0);',
      ),
    ],
  },
  {
    id: "wrong-header-version-accepted-for-ping",
    breaks: "REQ-4.10",
    fault: "a PING is accepted whatever its header version",
    patches: [
      classifyInstead(
        'header.type === "PING" && state !== "CONNECTED" ? classify("server", state, negotiatedVersion, { ...header, version: negotiatedVersion ?? 0 }) :',
      ),
    ],
  },
];
