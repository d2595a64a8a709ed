/**
 * Version negotiation (spec/README.md §4) and PDUs sent where the spec does not allow them: before
 * negotiation, with the wrong header version, from the wrong role.
 */
import { Then, When } from "@cucumber/cucumber";
import {
  encode,
  MESSAGE_RULES,
  type MessageTypeName,
  SUPPORTED_VERSIONS,
} from "../../generated/index.ts";
import type { ClientSession } from "../support/client-session.ts";
import { describePdu } from "../support/raw-peer.ts";
import { samplePdu } from "../support/sample-pdus.ts";
import type { ParrotWorld } from "../support/world.ts";

When(
  "{string} offers every version the suite knows and the unknown versions {int} and {int}",
  function (this: ParrotWorld, name: string, first: number, second: number) {
    this.session(name).offerVersions([...SUPPORTED_VERSIONS, first, second]);
  },
);

When(
  "{string} offers the versions {versions}",
  function (this: ParrotWorld, name: string, versions: number[]) {
    this.session(name).offerVersions(versions);
  },
);

Then(
  "{string} gets VERSION_RESPONSE OK choosing the highest version both lists contain",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const response = await session.readVersionResponse();
    checkSupportedList(session);
    const common = session.offered.filter((v) => response.supportedVersions.includes(v));
    if (common.length === 0) {
      session.fail(
        `the server lists [${response.supportedVersions.join(", ")}], none of which the suite offered ` +
          `([${session.offered.join(", ")}]); it cannot be judged on choosing the highest common version`,
      );
    }
    const highest = Math.max(...common);
    if (response.status !== "OK" || response.chosenVersion !== highest) {
      session.fail(
        `offered [${session.offered.join(", ")}] to a server listing ` +
          `[${response.supportedVersions.join(", ")}]: expected OK choosing ${highest}, got ${describePdu(response)}`,
      );
    }
  },
);

Then(
  "{string} gets VERSION_RESPONSE OK choosing version {int}",
  async function (this: ParrotWorld, name: string, version: number) {
    const session = this.session(name);
    const response = await session.readVersionResponse();
    checkSupportedList(session);
    if (response.status !== "OK" || response.chosenVersion !== version) {
      session.fail(
        `expected VERSION_RESPONSE OK choosing ${version}, got ${describePdu(response)}`,
      );
    }
  },
);

// REQ-12.1: a version 2 server lists [1, 2]; a later one may list more, so listed means included.
Then(
  "the VERSION_RESPONSE to {string} lists the versions {versions}",
  function (this: ParrotWorld, name: string, versions: number[]) {
    const session = this.session(name);
    const listed = session.versionResponse?.supportedVersions ?? [];
    const missing = versions.filter((version) => !listed.includes(version));
    if (missing.length > 0) {
      session.fail(
        `supported_versions is [${listed.join(", ")}]; it must list ${versions.join(" and ")}`,
      );
    }
  },
);

Then(
  "{string} gets VERSION_RESPONSE NO_COMMON_VERSION with chosen version 0, listing the server's versions",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const response = await session.readVersionResponse();
    if (response.status !== "NO_COMMON_VERSION" || response.chosenVersion !== 0) {
      session.fail(
        `expected NO_COMMON_VERSION with chosen version 0, got ${describePdu(response)}`,
      );
    }
    checkSupportedList(session);
    const shared = session.offered.filter((v) => response.supportedVersions.includes(v));
    if (shared.length > 0) {
      session.fail(
        `NO_COMMON_VERSION, yet the server lists the offered version(s) ${shared.join(", ")}`,
      );
    }
  },
);

Then(
  "the VERSION_RESPONSE to {string} advertises a ping interval above 0 and a longer ping timeout",
  function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const response = session.versionResponse;
    if (!response) throw new Error(`scenario bug: "${name}" has no VERSION_RESPONSE yet`);
    if (!(response.pingIntervalMs > 0 && response.pingTimeoutMs > response.pingIntervalMs)) {
      session.fail(
        `advertised ping interval ${response.pingIntervalMs} ms and ping timeout ` +
          `${response.pingTimeoutMs} ms; REQ-7.6 requires interval > 0 and timeout > interval`,
      );
    }
  },
);

// The PONG is judged by expectPdu, which requires the negotiated version in its header (REQ-4.9).
Then(
  "the server answers {string} in the chosen version",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    await session.pingRoundTrip(session.takeToken(), "a PONG in the negotiated version");
  },
);

When(
  "{string} sends a {word} PDU with header version {int} before negotiating",
  function (this: ParrotWorld, name: string, type: string, version: number) {
    this.session(name).peer.send(samplePdu(type as MessageTypeName, version));
  },
);

When(
  "{string} sends a VERSION_REQUEST PDU offering the versions {versions}",
  function (this: ParrotWorld, name: string, versions: number[]) {
    this.session(name).peer.send({ type: "VERSION_REQUEST", version: 0, versions });
  },
);

// Both PINGs go out in one write, so a server that handled the second before closing would be caught
// answering it (REQ-8.3: no further PDU is processed after a closing ERROR).
When(
  "{string} sends a PING with header version {int} and, in the same write, a well-formed PING",
  function (this: ParrotWorld, name: string, version: number) {
    const session = this.session(name);
    const wrong = encode({ type: "PING", version, token: 1 });
    const right = encode({ type: "PING", version: session.headerVersion, token: 2 });
    session.peer.sendRaw(
      Buffer.concat([wrong, right]),
      `PING v${version} token=1 (wrong header version) + PING v${session.headerVersion} token=2, one write`,
    );
  },
);

When(
  "{string} sends a {word} PDU with header version {int}",
  function (this: ParrotWorld, name: string, type: string, version: number) {
    this.session(name).peer.send(samplePdu(type as MessageTypeName, version));
  },
);

// The header version is the one the spec prescribes for the type here (0 for VERSION_REQUEST and
// VERSION_RESPONSE, REQ-4.9), so that the only thing wrong with the PDU is the type, the role or the state.
When("{string} sends a {word} PDU", function (this: ParrotWorld, name: string, type: string) {
  const session = this.session(name);
  const pduType = type as MessageTypeName;
  const version = MESSAGE_RULES[pduType].headerVersion === "zero" ? 0 : session.headerVersion;
  session.peer.send(samplePdu(pduType, version));
});

/** REQ-4.3: every VERSION_RESPONSE lists the server's versions, ascending. */
function checkSupportedList(session: ClientSession): void {
  const listed = session.versionResponse?.supportedVersions ?? [];
  const ascending = listed.every((v, i) => i === 0 || v > (listed[i - 1] ?? -1));
  if (listed.length === 0 || !ascending) {
    session.fail(
      `supported_versions must list the server's versions in ascending order: [${listed}]`,
    );
  }
}
