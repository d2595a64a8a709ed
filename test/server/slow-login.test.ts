// A slow password check must not cost the client its session (REQ-7.3): while the server holds the
// client's frames unread, the ping clock is the server's, not the client's. Found by the session
// scale bench, where 128 logins at production scrypt cost outlasted the ping timeout.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { heldAuthenticator } from "./held-authenticator.ts";
import { RawPeer } from "./raw-peer.ts";

let server: RunningParrotServer | undefined;
const peers: RawPeer[] = [];

after(async () => {
  for (const each of peers) each.destroy();
  await server?.close();
});

test("a login whose password check outlasts the ping timeout still succeeds", async () => {
  const { authenticator, checkIsRunning, releaseCheck } = heldAuthenticator();
  server = await startTestServer({
    pingIntervalMs: 200,
    pingTimeoutMs: 600,
    handshakeTimeoutMs: 30_000,
    authenticator,
  });

  const client = await RawPeer.connect(server.address);
  peers.push(client);
  await client.negotiate();
  client.send({ type: "LOGIN_REQUEST", version: 1, username: "user1", password: "pass1" });
  // A well-behaved client keeps pinging while it waits (REQ-7.1); those frames sit unread.
  client.send({ type: "PING", version: 1, token: 7 });
  await checkIsRunning;

  // A witness negotiated after the check began is reaped first only if a whole ping timeout has
  // passed since: proof, without a clock in the test, that the check outlasted the timeout.
  const witness = await RawPeer.connect(server.address);
  peers.push(witness);
  await witness.negotiate();
  await witness.expectError("PING_TIMEOUT");
  releaseCheck();

  assert.equal((await client.expect("LOGIN_RESPONSE")).status, "OK");
  assert.deepEqual(await client.expect("PONG"), { type: "PONG", version: 1, token: 7 });
  assert.equal((await client.chat(1, "still here")).text, "still here");
  await client.logout();
});
