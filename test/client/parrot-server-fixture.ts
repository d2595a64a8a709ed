/**
 * The real reference server, in-process on 127.0.0.1 and a free port, with a users file of its
 * own hashed at a low scrypt cost so logins are fast. Clients under test connect to it over TCP.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ParrotServerOptions,
  type RunningParrotServer,
  startParrotServer,
} from "../../server/parrot-server.ts";
import { hashPassword } from "../../server/password-hash.ts";
import { setUser, type UsersFileLine, writeUsersFile } from "../../server/users-file.ts";

// The demo accounts, plus one account per test that logs in while others run concurrently, so
// no two tests ever contend for one login.
export const TEST_ACCOUNTS = [
  { name: "user1", password: "pass1" },
  { name: "user2", password: "pass2" },
  // The third of the three version-2 users.
  { name: "user3", password: "pass3" },
  ...["carol", "dave", "erin", "frank", "grace", "heidi"].map((name) => ({
    name,
    password: `${name}-pw`,
  })),
];

const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

export interface TestServer {
  server: RunningParrotServer;
  port: number;
  /** Stops the server (idempotent) and removes its users file. */
  close(): Promise<void>;
}

export async function startTestServer(options: ParrotServerOptions = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), "parrot-client-test-"));
  const usersFile = join(dir, "users.txt");
  let lines: UsersFileLine[] = [];
  for (const account of TEST_ACCOUNTS) {
    lines = setUser(lines, account.name, await hashPassword(account.password, FAST_SCRYPT)).lines;
  }
  await writeUsersFile(usersFile, lines);
  const server = await startParrotServer({
    host: "127.0.0.1",
    port: 0,
    usersFile,
    logLevel: "silent",
    ...options,
  });
  return {
    server,
    port: server.address.port,
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
