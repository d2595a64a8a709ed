// `parrot server --quic-port` and `parrot client --transport quic` as a user runs them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parseClientCommandLine } from "../../cli/client/client-options.ts";
import { parseServerConfig } from "../../cli/server/config.ts";
import { runParrot, startTlsServerProcess } from "../../tools/launch/parrot-process.ts";
import { makeSelfSignedCert, type SelfSignedCert } from "../../tools/launch/self-signed-cert.ts";
import { runClient } from "../client/client-process.ts";

let cert: SelfSignedCert;

before(() => {
  cert = makeSelfSignedCert();
});

after(() => cert.remove());

test("options: PARROT_QUIC_PORT works like --quic-port; --transport takes only registered kinds", () => {
  const config = parseServerConfig([], {
    PARROT_QUIC_PORT: "4433",
    PARROT_TLS_CERT: "cert.pem",
    PARROT_TLS_KEY: "key.pem",
  });
  assert.ok(config !== "help");
  assert.equal(config.quicPort, 4433);
  const parsed = parseClientCommandLine(["--transport", "quic", "--ca", "ca.pem"], {});
  assert.ok(parsed.kind === "run");
  assert.equal(parsed.options.transport, "quic");
  assert.equal(parsed.options.tls, true);
  assert.throws(() => parseClientCommandLine(["--transport", "carrier-pigeon"], {}), /quic/);
});

test("--quic-port without a certificate is refused at start-up with a clear message", async () => {
  const run = runParrot(["server", "-l", "127.0.0.1", "-p", "0", "--quic-port", "0"]);
  assert.equal(await run.exited, 2);
  assert.match(run.stderr(), /--quic-port needs --tls-cert and --tls-key/);
});

test("parrot server serves QUIC beside TLS; parrot client --transport quic chats over it", async () => {
  const server = await startTlsServerProcess(cert, ["--quic-port", "0"]);
  try {
    assert.equal(server.address.transport, "tls");
    const quicLine = await new Promise<RegExpExecArray>((resolve) => {
      const find = () => {
        const match = /listening on 127\.0\.0\.1:(\d+) \(quic\)\n/.exec(server.stdout());
        if (match !== null) resolve(match);
      };
      server.child.stdout!.on("data", find);
      find();
    });
    const port = quicLine[1]!;
    const args = ["--transport", "quic", "-s", "127.0.0.1", "-p", port, "--user", "user1"];
    const chat = await runClient([...args, "--ca", cert.certFile, "--send", "hi over QUIC"], {
      env: { PARROT_PASSWORD: "pass1" },
    });
    assert.equal(chat.code, 0, chat.stderr);
    assert.equal(chat.stdout, "hi over QUIC\n");
    // Without --ca the self-signed certificate is not trusted: the client cannot connect (exit 3).
    const untrusted = await runClient([...args, "--send", "never sent"], {
      env: { PARROT_PASSWORD: "pass1" },
    });
    assert.equal(untrusted.code, 3, untrusted.stderr);
    assert.match(untrusted.stderr, /TLS/);
  } finally {
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  }
});
