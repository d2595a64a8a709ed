/**
 * Starts mosquitto, the broker a user might pick instead of Parrot, on a free loopback port with a throwaway
 * config, or says precisely why it cannot. Comparing against it keeps the Parrot figures honest: "fast" means
 * "at least as fast as the obvious off-the-shelf alternative on the same machine in the same run".
 */
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { launchServer, type ServerProcess } from "./server-process.ts";

export const MOSQUITTO_MISSING = "skipped: mosquitto not installed (apt-get install mosquitto)";

/** Debian installs the broker in /usr/sbin, which is not on every user's PATH. */
export function findMosquitto(): string | null {
  const dirs = [
    ...(process.env.PATH ?? "").split(delimiter),
    "/usr/sbin",
    "/usr/local/sbin",
    "/sbin",
  ];
  for (const dir of dirs) {
    if (dir === "") continue;
    const candidate = join(dir, "mosquitto");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** Asks the kernel for a free port. Mosquitto cannot listen on port 0 and report back, unlike our servers. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export async function startMosquitto(binary: string, openFiles: number): Promise<ServerProcess> {
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), "parrot-bench-mosquitto-"));
  const config = join(dir, "mosquitto.conf");
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "persistence false",
      // Our servers disable Nagle too; without this mosquitto's small echoes could wait on delayed ACKs.
      "set_tcp_nodelay true",
      // One log line per client connect would be thousands at C = 1000, all of it work the broker does for us.
      "connection_messages false",
      "log_dest stderr",
      "",
    ].join("\n"),
  );
  try {
    const broker = await launchServer({
      name: "mosquitto",
      command: binary,
      args: ["-c", config],
      host: "127.0.0.1",
      listening: /listen socket on port (?<port>\d+)\.[\s\S]*version \S+ running/,
      openFiles,
    });
    return {
      ...broker,
      async stop() {
        await broker.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
