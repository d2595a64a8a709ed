/**
 * A server instance a scenario starts for itself, the same way the run started the server under test
 * (the --launch command, or the reference): for what cannot be tried on the shared one, its shutdown
 * (REQ-9.4) and its connection limit (REQ-9.5). Unsupported when the run judges a --target.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type LaunchedServer,
  launchCommand,
  launchReference,
  SMALL_CONNECTION_LIMIT,
} from "./launcher.ts";
import type { TargetAddress } from "./suite-parameters.ts";
import { Unsupported } from "./unsupported.ts";
import type { ParrotWorld } from "./world.ts";

export interface OwnInstance {
  server: LaunchedServer;
  target: TargetAddress;
  /** Stops it (SIGTERM, like an operator); resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** How many instances scenarios have started: each gets its own `{node}`, after the run's nodes. */
let instancesStarted = 0;

export async function startOwnInstance(world: ParrotWorld, limited: boolean): Promise<OwnInstance> {
  const launch = world.parameters.launch;
  if (launch === undefined) {
    throw new Unsupported(
      "the suite did not start the server (--target), so it cannot start another",
    );
  }
  if (limited && launch.command !== null && !launch.command.includes("{max_connections}")) {
    throw new Unsupported(
      "the --launch command takes no {max_connections}: the connection limit is unknown",
    );
  }
  const options = {
    accountsFile: world.parameters.accountsFile,
    timeoutMs: launch.timeoutMs,
    logFile: join(mkdtempSync(join(tmpdir(), "parrot-own-instance-")), "server.log"),
    // Served over the run's transport, so the scenario dials it as it dials the server under test.
    ...(world.parameters.target.transport === undefined
      ? {}
      : { transport: world.parameters.target.transport }),
    ...(world.parameters.target.path === undefined ? {} : { wsPath: world.parameters.target.path }),
    node: world.parameters.targets.length + ++instancesStarted,
  };
  const limit = limited ? SMALL_CONNECTION_LIMIT : undefined;
  const server =
    launch.command === null
      ? await launchReference(options, limit)
      : await launchCommand(launch.command, options, limit);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= server.stop();
    return stopped;
  };
  world.onCleanup(() => void stop());
  return {
    server,
    target: {
      ...world.parameters.target,
      host: server.host,
      port: server.port,
      // A launched QUIC instance has a throwaway certificate of its own.
      ...(server.ca === undefined ? {} : { ca: server.ca }),
    },
    stop,
  };
}
