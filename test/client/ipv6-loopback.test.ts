// The client on IPv6 loopback (issue 12): "-s [::1]" is the address ::1, not a host name, and
// loopback (so no plain-TCP warning); "localhost" reaches a server listening on ::1 only, even
// where the system resolves localhost to 127.0.0.1 alone.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { runClient } from "./client-process.ts";

const hasIpv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once("error", () => resolve(false));
  probe.listen(0, "::1", () => probe.close(() => resolve(true)));
});

describe("client on IPv6 loopback", { skip: !hasIpv6Loopback && "no ::1 here" }, () => {
  let target: RunningParrotServer;
  before(async () => {
    target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS, host: "::1" });
  });
  after(async () => {
    await target?.close();
  });

  test("-s '[::1]' connects to ::1, with no plain-TCP warning", async () => {
    const run = await runClient(
      ["-s", "[::1]", "-p", String(target.address.port), "--user", "carol", "--send", "over v6"],
      { env: { PARROT_PASSWORD: "carol-pw" } },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "over v6\n");
    assert.doesNotMatch(run.stderr, /in clear/);
  });

  test("-s localhost reaches a server that listens on ::1 only", async () => {
    const run = await runClient(
      [
        "-s",
        "localhost",
        "-p",
        String(target.address.port),
        "--user",
        "dave",
        "--send",
        "found you",
      ],
      { env: { PARROT_PASSWORD: "dave-pw" } },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "found you\n");
  });
});
