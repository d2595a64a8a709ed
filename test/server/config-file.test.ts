// `parrot server --config FILE`: YAML with the flags' names, below the environment and the flags,
// the documented example valid, and every error naming the file's line (issue 12).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ConfigError, parseServerConfig, type ServerConfig } from "../../cli/server/config.ts";
import { tempDir } from "../../tools/launch/test-accounts.ts";

const EXAMPLE = fileURLToPath(new URL("../../contrib/parrot.yaml", import.meta.url));

async function configFile(text: string): Promise<string> {
  const path = join(await tempDir(), "parrot.yaml");
  writeFileSync(path, text);
  return path;
}

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): ServerConfig {
  const config = parseServerConfig(argv, env);
  assert.notEqual(config, "help");
  return config as ServerConfig;
}

function refusal(argv: string[]): string {
  try {
    parseServerConfig(argv, {});
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail("accepted");
}

describe("config file", () => {
  test("the documented example sets every option (the cluster ones commented out)", () => {
    assert.deepEqual(parse(["--config", EXAMPLE]), {
      host: "0.0.0.0",
      port: 55667,
      usersFile: "/var/lib/parrot/users.txt",
      pingIntervalMs: 10_000,
      pingTimeoutMs: 15_000,
      handshakeTimeoutMs: 60_000,
      maxConnections: 10_000,
      tls: { certFile: "/etc/parrot/cert.pem", keyFile: "/etc/parrot/key.pem" },
      logLevel: "info",
      versions: [1, 2, 3],
      allowPlaintext: false,
      admin: { host: "127.0.0.1", port: 9464 },
      webSocket: { port: 55680, path: "/parrot" },
      quicPort: 55667,
      // Commented out in the example: it needs a Redis.
      cluster: undefined,
      // The history options may be in a file too (cli/server/history-option.ts); the example has none.
      history: {
        store: { kind: "memory" },
        limits: { historyCount: 500, historyAgeMs: 0, offlineQueue: 100 },
        pageSize: 100,
      },
    });
  });

  test("flags > environment > file > defaults", async () => {
    const path = await configFile("port: 4000\nlog-level: warn\nping-interval: 0.5\n");
    assert.equal(parse(["--config", path]).port, 4000);
    assert.equal(parse(["--config", path]).pingIntervalMs, 500);
    assert.equal(parse(["--config", path], { PARROT_PORT: "5000" }).port, 5000);
    assert.equal(parse(["--config", path, "-p", "6000"], { PARROT_PORT: "5000" }).port, 6000);
    assert.equal(parse([], { PARROT_CONFIG: path }).logLevel, "warn");
    assert.equal(parse(["--config", path]).handshakeTimeoutMs, 60_000, "default kept");
  });

  test("allow-plaintext from the file", async () => {
    const open = await configFile("listen: 0.0.0.0\nallow-plaintext: true\n");
    assert.equal(parse(["--config", open]).allowPlaintext, true);
    const closed = await configFile("listen: 0.0.0.0\n");
    assert.match(refusal(["--config", closed]), /off loopback and there is no TLS/);
  });

  test("errors name the file and line", async () => {
    const syntax = await configFile("port: 4000\nlisten: [unclosed\n");
    assert.match(refusal(["--config", syntax]), /parrot\.yaml:\d+: /);
    const unknown = await configFile("port: 4000\n\nprot: 4001\n");
    assert.match(refusal(["--config", unknown]), /parrot\.yaml:3: unknown option "prot"/);
    const bad = await configFile("# comment\nport: 4000\nmax-connections: lots\n");
    assert.match(
      refusal(["--config", bad]),
      /parrot\.yaml:3: max-connections: "lots" is not a whole number/,
    );
    const empty = await configFile("port:\n");
    assert.match(refusal(["--config", empty]), /parrot\.yaml:1: port needs a value/);
    assert.match(refusal(["--config", "/nonexistent/parrot.yaml"]), /cannot read config file/);
  });
});
