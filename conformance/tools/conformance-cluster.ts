/**
 * `make conformance-cluster [ARGS="..."]`: the whole server suite across a cluster of reference nodes.
 *
 * Starts a real redis-server (Debian's package) on a free port in a temporary directory, provisions the
 * fixture accounts once, and runs conformance/run.ts with `--nodes 2` and a `--launch` command that
 * starts each node as `parrot server --cluster redis://...` (the launcher contract, with `{node}` as
 * its node id), so every scenario with several sessions has them on different nodes. What the cluster
 * cannot pass in this revision is listed, with the reason, in conformance/cluster.expected-failures.yaml
 * (reported apart, never hidden: an entry that passes is reported "unexpectedly passed").
 *
 * Everything it starts is stopped when the run ends, fails, or is interrupted (Ctrl-C, SIGTERM): the
 * suite stops its nodes itself, and Redis is stopped once the suite has exited. The exit code is the
 * suite's (0 conforms, 1 does not, 2 no verdict).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RedisServer } from "../../tools/launch/redis-server.ts";
import { provisionReferenceUsers } from "../support/launcher.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CONFORMANCE = join(REPO, "conformance");
const DEFAULT_NODES = "2";
const CLUSTER_EXPECTED_FAILURES = join(CONFORMANCE, "cluster.expected-failures.yaml");

/** The launcher-contract command of one reference node of the cluster on `redisUrl`. */
function clusterNodeCommand(redisUrl: string, usersFile: string): string {
  return [
    shellQuote(process.execPath),
    "--import tsx cli/parrot.ts server -l {host} -p 0",
    `--users ${shellQuote(usersFile)} --cluster ${shellQuote(redisUrl)} --node-id node{node}`,
    "--ping-interval {ping_interval} --ping-timeout {ping_timeout}",
    "--handshake-timeout {handshake_timeout} --max-connections {max_connections} --log-level info",
  ].join(" ");
}

async function main(args: readonly string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "parrot-conformance-cluster-"));
  let redis: RedisServer | undefined;
  try {
    redis = await RedisServer.start();
    const users = join(dir, "users.txt");
    await provisionReferenceUsers(users, join(CONFORMANCE, "fixtures", "accounts.json"));
    process.stdout.write(`Cluster store: redis-server on ${redis.url}\n`);
    return await runSuite([
      "--launch",
      clusterNodeCommand(redis.url, users),
      ...(args.includes("--nodes") ? [] : ["--nodes", DEFAULT_NODES]),
      ...(args.includes("--expected-failures")
        ? []
        : ["--expected-failures", CLUSTER_EXPECTED_FAILURES]),
      ...args,
    ]);
  } finally {
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * conformance/run.ts in a child process: it stops the nodes it launched on SIGINT and SIGTERM, so
 * both are passed on to it and this process waits for it to exit before stopping Redis.
 */
function runSuite(args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", join(CONFORMANCE, "run.ts"), ...args], {
    cwd: REPO,
    stdio: "inherit",
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 130 : 2));
    });
  });
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `conformance-cluster: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
    );
    process.exitCode = 2;
  },
);
