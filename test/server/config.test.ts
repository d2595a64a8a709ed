// `parrot server` options: defaults from the spec, environment variables, flags winning over them,
// fractional seconds, and clear errors.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, parseServerConfig, type ServerConfig } from "../../cli/server/config.ts";
import { TIMER_DEFAULTS_MS } from "../../generated/index.ts";
import { DEFAULT_VERSIONS } from "../../server/parrot-server.ts";

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): ServerConfig {
  const config = parseServerConfig(argv, env);
  assert.notEqual(config, "help");
  return config as ServerConfig;
}

describe("server config", () => {
  test("defaults: localhost:55667, the spec's timers, no limit, plain TCP, every version", () => {
    assert.deepEqual(parse([]), {
      host: "localhost",
      port: 55667,
      usersFile: ".parrot/users.txt",
      pingIntervalMs: TIMER_DEFAULTS_MS.pingInterval,
      pingTimeoutMs: TIMER_DEFAULTS_MS.pingTimeout,
      handshakeTimeoutMs: TIMER_DEFAULTS_MS.handshakeTimeout,
      maxConnections: Number.POSITIVE_INFINITY,
      tls: undefined,
      logLevel: "info",
      versions: [...DEFAULT_VERSIONS],
      cluster: undefined,
      allowPlaintext: false,
      admin: undefined,
      history: { count: 500, offlineQueue: 100 },
    });
    assert.deepEqual(DEFAULT_VERSIONS, [1, 2, 3]);
  });

  test("flags, with fractional seconds", () => {
    const config = parse([
      "-l",
      "0.0.0.0",
      "-p",
      "0",
      "--users",
      "u.txt",
      "--ping-interval",
      "0.5",
      "--ping-timeout",
      "0.75",
      "--handshake-timeout",
      "2.5",
      "--max-connections",
      "10",
      "--tls-cert",
      "c.pem",
      "--tls-key",
      "k.pem",
      "--log-level",
      "debug",
      "--versions",
      "1",
      "--history-count",
      "20",
      "--offline-queue",
      "0",
    ]);
    assert.deepEqual(config, {
      host: "0.0.0.0",
      port: 0,
      usersFile: "u.txt",
      pingIntervalMs: 500,
      pingTimeoutMs: 750,
      handshakeTimeoutMs: 2500,
      maxConnections: 10,
      tls: { certFile: "c.pem", keyFile: "k.pem" },
      logLevel: "debug",
      versions: [1],
      cluster: undefined,
      allowPlaintext: false,
      admin: undefined,
      history: { count: 20, offlineQueue: 0 },
    });
  });

  test("off loopback without TLS only with --allow-plaintext (or PARROT_ALLOW_PLAINTEXT=1)", () => {
    for (const host of ["0.0.0.0", "::", "192.0.2.1"]) {
      assert.throws(
        () => parseServerConfig(["-l", host], {}),
        /off loopback and there is no TLS.*--allow-plaintext/,
      );
      assert.equal(parse(["-l", host, "--allow-plaintext"]).allowPlaintext, true);
      assert.equal(parse([], { PARROT_LISTEN: host, PARROT_ALLOW_PLAINTEXT: "1" }).host, host);
      assert.equal(parse(["-l", host, "--tls-cert", "c", "--tls-key", "k"]).host, host);
    }
    for (const host of ["localhost", "127.0.0.1", "127.8.9.10", "::1"]) {
      assert.equal(parse(["-l", host]).host, host);
    }
  });

  test("environment variables apply, and flags win over them", () => {
    const env = {
      PARROT_LISTEN: "::1",
      PARROT_PORT: "4000",
      PARROT_USERS: "env.txt",
      PARROT_LOG_LEVEL: "warn",
      PARROT_VERSIONS: "2, 1,2",
    };
    const fromEnv = parse([], env);
    assert.equal(fromEnv.host, "::1");
    assert.equal(fromEnv.port, 4000);
    assert.equal(fromEnv.usersFile, "env.txt");
    assert.equal(fromEnv.logLevel, "warn");
    assert.deepEqual(fromEnv.versions, [1, 2], "sorted, duplicates dropped");
    assert.deepEqual(parse(["--versions", "1"], env).versions, [1]);
    assert.equal(parse(["-p", "5000"], env).port, 5000);
  });

  test("one ping timer given: the other follows at the spec's 1.5 ratio", () => {
    assert.deepEqual(pick(parse(["--ping-interval", "2"])), {
      pingIntervalMs: 2000,
      pingTimeoutMs: 3000,
    });
    assert.deepEqual(pick(parse(["--ping-timeout", "3"])), {
      pingIntervalMs: 2000,
      pingTimeoutMs: 3000,
    });
  });

  test("--help", () => {
    assert.equal(parseServerConfig(["--help"], {}), "help");
  });

  for (const [argv, message] of [
    [["-p", "70000"], /--port: "70000" is not a whole number from 0 to 65535/],
    [["-p", "http"], /--port/],
    [["--ping-interval", "0"], /--ping-interval/],
    [["--ping-interval", "abc"], /--ping-interval/],
    [["--ping-interval", "5", "--ping-timeout", "5"], /must be longer than the ping interval/],
    [["--max-connections", "0"], /--max-connections/],
    [["--tls-cert", "c.pem"], /go together/],
    [["--log-level", "loud"], /--log-level: "loud" is not one of/],
    [["--history-count", "0"], /--history-count: "0" is not a whole number from 1 to 1000000/],
    [
      ["--offline-queue", "65536"],
      /--offline-queue: "65536" is not a whole number from 0 to 65535/,
    ],
    [["--versions", "4"], /--versions: "4" is not a version this server implements \(1, 2, 3\)/],
    [["--versions", "1,,2"], /--versions: "" is not a version/],
    [["--versions", "v1"], /--versions: "v1"/],
    [["--nope"], /Unknown option/],
    [["extra"], /Unexpected argument/],
  ] as const) {
    test(`refuses ${argv.join(" ")}`, () => {
      assert.throws(
        () => parseServerConfig(argv, {}),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test("a bad environment variable is named in the error", () => {
    assert.throws(() => parseServerConfig([], { PARROT_PORT: "-1" }), /PARROT_PORT/);
  });
});

function pick(config: ServerConfig) {
  return { pingIntervalMs: config.pingIntervalMs, pingTimeoutMs: config.pingTimeoutMs };
}
