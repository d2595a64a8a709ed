// The real client CLI in scripted mode (piped stdio) against the real server in-process: what a
// script sees on stdout, stderr and in the exit code. REQ numbers refer to spec/README.md.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { DEFAULT_VERSIONS, type RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { runClient, spawnClient } from "./client-process.ts";

let target: RunningParrotServer;
let port: string;

before(async () => {
  target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS });
  port = String(target.address.port);
});

after(async () => {
  await target.close();
});

function clientArgs(user: string, ...rest: string[]): string[] {
  return ["-s", "127.0.0.1", "-p", port, "--user", user, ...rest];
}

describe("scripted client against the reference server", { concurrency: 4 }, () => {
  test("two clients at once (user1 and user2) each get exactly their own echoes, in order", async () => {
    const mine = (who: string) => Array.from({ length: 25 }, (_, i) => `${who} message ${i} ✓`);
    const sends = (texts: string[]) => texts.flatMap((text) => ["--send", text]);
    const [first, second] = await Promise.all([
      runClient(clientArgs("user1", ...sends(mine("user1"))), {
        env: { PARROT_PASSWORD: "pass1" },
      }),
      runClient(clientArgs("user2", ...sends(mine("user2"))), {
        env: { PARROT_PASSWORD: "pass2" },
      }),
    ]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(first.stdout.split("\n").slice(0, -1), mine("user1"));
    assert.deepEqual(second.stdout.split("\n").slice(0, -1), mine("user2"));
  });

  test("--password-stdin takes the first line; every further line is a message (empty ones too)", async () => {
    const run = await runClient(clientArgs("carol", "--password-stdin"), {
      stdin: "carol-pw\nhello\n\nnon-ASCII: żółw 🦜\r\nlast line without newline",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "hello\n\nnon-ASCII: żółw 🦜\nlast line without newline\n");
    assert.equal(run.stderr, "");
  });

  test("with --send, stdin is not read for messages", async () => {
    const run = await runClient(clientArgs("dave", "--send", "only this"), {
      env: { PARROT_PASSWORD: "dave-pw" },
      stdin: "not a message\n",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "only this\n");
  });

  test("a login held by a live client is refused with exit 6, and free again after it logs out", async () => {
    const holder = spawnClient(clientArgs("erin"), {
      env: { PARROT_PASSWORD: "erin-pw" },
      stdin: "I hold the login\n",
      keepStdinOpen: true,
    });
    // The echo proves the holder is logged in.
    assert.deepEqual(await holder.lines(1), ["I hold the login"]);

    const refused = await runClient(clientArgs("erin", "--send", "x"), {
      env: { PARROT_PASSWORD: "erin-pw" },
    });
    assert.equal(refused.code, 6);
    assert.match(refused.stderr, /already logged in from another location/);
    assert.equal(refused.stdout, "");

    // The holder stays connected until its stdin ends, then logs out and waits for the EOF, so
    // by the time it exits the login is free (REQ numbers: logout frees before close).
    holder.child.stdin.write("still here\n");
    assert.deepEqual(await holder.lines(2), ["I hold the login", "still here"]);
    holder.child.stdin.end();
    const held = await holder.result;
    assert.equal(held.code, 0, held.stderr);

    const again = await runClient(clientArgs("erin", "--send", "my turn"), {
      env: { PARROT_PASSWORD: "erin-pw" },
    });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, "my turn\n");
  });

  test("a wrong password exits 5, and says no more than that the credentials are bad", async () => {
    const wrong = await runClient(clientArgs("frank", "--send", "x"), {
      env: { PARROT_PASSWORD: "not-franks" },
    });
    const unknown = await runClient(clientArgs("nobody", "--send", "x"), {
      env: { PARROT_PASSWORD: "whatever" },
    });
    for (const run of [wrong, unknown]) {
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /bad username or password/);
      assert.equal(run.stdout, "");
    }
  });

  test("no common version exits 4 and prints the versions the server speaks", async () => {
    const run = await runClient(clientArgs("grace", "--versions", "9", "--send", "x"), {
      env: { PARROT_PASSWORD: "grace-pw" },
    });
    assert.equal(run.code, 4, run.stderr);
    assert.ok(
      run.stderr.includes(`offered 9, the server speaks ${DEFAULT_VERSIONS.join(",")}\n`),
      run.stderr,
    );
  });

  test("a stdin line over the CHAT limit stops input: earlier lines are echoed, then exit 2", async () => {
    const run = await runClient(clientArgs("heidi", "--password-stdin"), {
      stdin: `heidi-pw\nfits\n${"x".repeat(4097)}\nnever sent\n`,
    });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "fits\n");
    // Line 1 is the password.
    assert.match(
      run.stderr,
      /stdin line 3: the message is 4097 bytes; a message may be at most 4096 \(not sent; stopped\)/,
    );
  });

  test("nothing listening on the port exits 3", async () => {
    const unused = await freePort();
    const run = await runClient(["-s", "127.0.0.1", "-p", String(unused), "--user", "user1"], {
      env: { PARROT_PASSWORD: "pass1" },
    });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /connection refused/);
  });

  test("usage errors exit 2 before connecting, with a pointer to --help", async () => {
    const badOption = await runClient(["--no-such-option"]);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /no-such-option/);
    assert.match(badOption.stderr, /--help/);
    const noUser = await runClient(["-p", port]);
    assert.equal(noUser.code, 2);
    assert.match(noUser.stderr, /needs --user/);
    const noPassword = await runClient(clientArgs("user1"));
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.stderr, /no password/);
  });

  test("--help documents every exit code and exits 0", async () => {
    const run = await runClient(["--help"]);
    assert.equal(run.code, 0);
    for (const code of [0, 2, 3, 4, 5, 6, 7, 8]) {
      assert.match(run.stdout, new RegExp(`^ +${code}  \\S`, "m"), `exit code ${code} documented`);
    }
  });
});

describe("scripted client when the server goes away", () => {
  test("a server shut down under a connected client: exit 7 naming SERVER_SHUTDOWN", async () => {
    const doomed = await startTestServer({
      accounts: MANY_TEST_ACCOUNTS,
    });
    try {
      const client = spawnClient(
        ["-s", "127.0.0.1", "-p", String(doomed.address.port), "--user", "user1"],
        { env: { PARROT_PASSWORD: "pass1" }, stdin: "before shutdown\n", keepStdinOpen: true },
      );
      assert.deepEqual(await client.lines(1), ["before shutdown"]);
      await doomed.close();
      const run = await client.result;
      assert.equal(run.code, 7, run.stderr);
      assert.match(run.stderr, /SERVER_SHUTDOWN/);
    } finally {
      await doomed.close();
    }
  });
});

/** A port nobody listens on: bind one, note it, release it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
