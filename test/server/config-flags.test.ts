// Every `parrot server` option three ways (issue 12): its flag, its environment variable and its
// config file key give the same options, and the README's option table lists each of them.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseServerConfig, type ServerConfig } from "../../cli/server/config.ts";
import { SERVER_FLAGS, type ServerFlag } from "../../cli/server/server-flags.ts";
import { tempDir } from "../../tools/launch/test-accounts.ts";

/**
 * A value each option accepts, other than its default, and the options it needs beside it. A new
 * row in server-flags.ts without one here fails the first test.
 */
const SAMPLES: Record<string, { value: string; needs?: Record<string, string> }> = {
  listen: { value: "127.0.0.2" },
  port: { value: "4000" },
  users: { value: "/srv/parrot/users.txt" },
  "ping-interval": { value: "2.5" },
  "ping-timeout": { value: "90" },
  "handshake-timeout": { value: "0.5" },
  "max-connections": { value: "12" },
  versions: { value: "1" },
  "tls-cert": { value: "cert.pem", needs: { "tls-key": "key.pem" } },
  "tls-key": { value: "key.pem", needs: { "tls-cert": "cert.pem" } },
  "ws-port": { value: "8080" },
  "ws-path": { value: "/chat", needs: { "ws-port": "8080" } },
  "quic-port": { value: "4433", needs: { "tls-cert": "cert.pem", "tls-key": "key.pem" } },
  "log-level": { value: "debug" },
  cluster: { value: "redis://127.0.0.1:6379/2" },
  "node-id": { value: "node-a", needs: { cluster: "redis://127.0.0.1:6379" } },
  "cluster-lease": { value: "4", needs: { cluster: "redis://127.0.0.1:6379" } },
  history: { value: "file:/var/lib/parrot/history.sqlite" },
  "history-count": { value: "50" },
  "history-age": { value: "3600" },
  "offline-queue": { value: "7" },
  "history-page": { value: "20" },
  "admin-listen": { value: "127.0.0.1:9464" },
  "allow-plaintext": { value: "true", needs: { listen: "0.0.0.0" } },
};

const FILE_FLAGS = SERVER_FLAGS.filter((flag) => flag.inFile);

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): ServerConfig {
  const config = parseServerConfig(argv, env);
  assert.notEqual(config, "help");
  return config as ServerConfig;
}

function flagArguments(flag: ServerFlag, value: string): string[] {
  return flag.kind === "switch" ? [`--${flag.name}`] : [`--${flag.name}`, value];
}

function byName(name: string): ServerFlag {
  const flag = SERVER_FLAGS.find((candidate) => candidate.name === name);
  assert.ok(flag, name);
  return flag;
}

describe("every option: flag, environment variable and config key", () => {
  test("every option a file may set has a sample here", () => {
    assert.deepEqual(FILE_FLAGS.map((flag) => flag.name).sort(), Object.keys(SAMPLES).sort());
  });

  for (const flag of FILE_FLAGS) {
    test(`--${flag.name}, ${flag.variable} and "${flag.name}:" agree`, async () => {
      const sample = SAMPLES[flag.name];
      assert.ok(sample);
      const needs = Object.entries(sample.needs ?? {});
      const needArgs = needs.flatMap(([name, value]) => flagArguments(byName(name), value));
      const fromFlag = parse([...flagArguments(flag, sample.value), ...needArgs]);
      const fromEnv = parse(needArgs, {
        [flag.variable]: flag.kind === "switch" ? "1" : sample.value,
      });
      const path = join(await tempDir(), "parrot.yaml");
      writeFileSync(path, `${flag.name}: ${sample.value}\n`);
      const fromFile = parse(["--config", path, ...needArgs]);
      assert.deepEqual(fromEnv, fromFlag);
      assert.deepEqual(fromFile, fromFlag);
      if (flag.kind === "value") {
        // The option changed something: the sample is not the default (or the options it needs
        // are refused without it).
        let without: ServerConfig | "help" | undefined;
        try {
          without = parseServerConfig(needArgs, {});
        } catch {
          without = undefined;
        }
        assert.notDeepEqual(fromFlag, without);
      }
    });
  }

  test("every option in one file gives what the same flags give", async () => {
    const lines: string[] = [];
    const argv: string[] = [];
    for (const flag of FILE_FLAGS) {
      const value = SAMPLES[flag.name]?.value;
      assert.ok(value !== undefined);
      lines.push(`${flag.name}: ${value}`);
      argv.push(...flagArguments(flag, value));
    }
    const path = join(await tempDir(), "parrot.yaml");
    writeFileSync(path, `${lines.join("\n")}\n`);
    assert.deepEqual(parse(["--config", path]), parse(argv));
  });

  test("a switch takes true or false in a file and 1 or 0 in the environment, nothing else", async () => {
    const path = join(await tempDir(), "parrot.yaml");
    writeFileSync(path, "allow-plaintext: yes\n");
    assert.throws(() => parse(["--config", path]), /parrot\.yaml:1: allow-plaintext: "yes"/);
    assert.throws(() => parse([], { PARROT_ALLOW_PLAINTEXT: "on" }), /PARROT_ALLOW_PLAINTEXT/);
    assert.equal(parse([], { PARROT_ALLOW_PLAINTEXT: "0" }).allowPlaintext, false);
  });

  test("the README's option table lists every option with its variable and config key", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const lines = readme.split("\n");
    const header = lines.findIndex((line) => /^\| flag +\| environment +\| config key/.test(line));
    assert.ok(header >= 0, "README has the server's option table");
    const end = lines.indexOf("", header);
    const rows = lines.slice(header + 2, end);
    for (const flag of SERVER_FLAGS) {
      const row = rows.find((line) => line.includes(`\`--${flag.name}`));
      assert.ok(row, `README has no row for --${flag.name}`);
      assert.ok(row.includes(`\`${flag.variable}`), `--${flag.name}: ${flag.variable}`);
      const key = flag.inFile ? `\`${flag.name}:` : "—";
      assert.ok(row.split("|")[3]?.includes(key), `--${flag.name}: config key ${key}`);
    }
  });
});
