// The command line a user types → options, or exit code 2 with a reason, before any socket opens.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseClientCommandLine } from "../../cli/client/client-options.ts";
import { ClientFailure } from "../../client/client-failure.ts";
import { SUPPORTED_VERSIONS } from "../../generated/index.ts";

function run(argv: string[], env: Record<string, string> = {}) {
  const parsed = parseClientCommandLine(argv, env);
  assert.equal(parsed.kind, "run");
  return parsed.kind === "run" ? parsed.options : assert.fail("unreachable");
}

function usageError(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseClientCommandLine(argv, env);
  } catch (error) {
    assert.ok(error instanceof ClientFailure, `expected a ClientFailure, got ${String(error)}`);
    assert.equal(error.reason, "USAGE");
    return error.message;
  }
  return assert.fail(`expected ${argv.join(" ")} to be a usage error`);
}

describe("parrot client command line", () => {
  test("defaults are the original project's: localhost:55667, plain TCP, every supported version", () => {
    const options = run([]);
    assert.equal(options.host, "localhost");
    assert.equal(options.port, 55667);
    assert.equal(options.tls, false);
    assert.deepEqual(options.versions, [...SUPPORTED_VERSIONS]);
    assert.deepEqual(options.sends, []);
  });

  test("-s '[::1]' is the IPv6 address ::1, as written in a URL", () => {
    assert.equal(run(["-s", "[::1]"]).host, "::1");
    assert.equal(run(["-s", "[2001:db8::7]"]).host, "2001:db8::7");
    assert.equal(run(["-s", "::1"]).host, "::1");
  });

  test("-s/-p as in the original project, and their long forms", () => {
    assert.deepEqual(
      [
        run(["-s", "example.org", "-p", "4000"]).host,
        run(["-s", "example.org", "-p", "4000"]).port,
      ],
      ["example.org", 4000],
    );
    assert.equal(run(["--server", "::1", "--port", "1"]).host, "::1");
  });

  test("environment supplies server, port and password; flags win over it", () => {
    const env = { PARROT_SERVER: "envhost", PARROT_PORT: "5000", PARROT_PASSWORD: "secret" };
    const fromEnv = run([], env);
    assert.equal(fromEnv.host, "envhost");
    assert.equal(fromEnv.port, 5000);
    assert.equal(fromEnv.password, "secret");
    const flagged = run(["-s", "flaghost", "-p", "6000"], env);
    assert.equal(flagged.host, "flaghost");
    assert.equal(flagged.port, 6000);
  });

  test("--send is repeatable and keeps order", () => {
    assert.deepEqual(run(["--send", "one", "--send", "two", "--send", ""]).sends, [
      "one",
      "two",
      "",
    ]);
  });

  test("--versions is offered as given, so a user can try out negotiation", () => {
    assert.deepEqual(run(["--versions", "3, 1,2"]).versions, [3, 1, 2]);
  });

  test("--ca and --insecure imply TLS", () => {
    assert.equal(run(["--ca", "ca.pem"]).tls, true);
    assert.equal(run(["--insecure"]).tls, true);
    assert.equal(run(["--tls"]).tls, true);
  });

  test("--help is recognised whatever else is given", () => {
    assert.deepEqual(parseClientCommandLine(["-p", "1", "--help"], {}), { kind: "help" });
  });

  test("bad input is a usage error naming what is wrong", () => {
    assert.match(usageError(["--bogus"]), /bogus/);
    assert.match(usageError(["extra-positional"]), /positional|argument/i);
    assert.match(usageError(["-p", "0"]), /invalid port "0"/);
    assert.match(usageError(["-p", "65536"]), /invalid port/);
    assert.match(usageError(["-p", "12ab"]), /invalid port/);
    assert.match(usageError([], { PARROT_PORT: "http" }), /invalid port "http"/);
    assert.match(usageError(["--versions", "1,x"]), /invalid --versions/);
    assert.match(usageError(["--versions", "0"]), /invalid --versions/);
    assert.match(usageError(["--versions", "256"]), /invalid --versions/);
    assert.match(usageError(["--versions", Array(17).fill("1").join(",")]), /at most 16/);
  });

  test("fields over the protocol's limits are refused before connecting", () => {
    assert.match(usageError(["--user", "u".repeat(33)]), /username is 33 bytes; .* 32/);
    assert.match(usageError([], { PARROT_PASSWORD: "p".repeat(129) }), /129 bytes/);
    assert.match(usageError(["--send", "é".repeat(2049)]), /4098 bytes; .* 4096/);
    assert.equal(run(["--send", "é".repeat(2048)]).sends[0]?.length, 2048);
  });
});
