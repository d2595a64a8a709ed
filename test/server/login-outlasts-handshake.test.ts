// REQ-7.13: a LOGIN_REQUEST the server read before the handshake deadline is answered however long
// its check takes; a refusal given after the deadline is followed by HANDSHAKE_TIMEOUT. Under a
// login burst with a strong KDF, this decides whether a correct server times out its own queue.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { type HeldAuthenticator, heldAuthenticator } from "./held-authenticator.ts";
import { RawPeer } from "./raw-peer.ts";

const servers: RunningParrotServer[] = [];
const peers: RawPeer[] = [];

after(async () => {
  for (const each of peers) each.destroy();
  for (const each of servers) await each.close();
});

/** A server whose password checks run until the test releases them. */
async function serverWithHeldChecks(): Promise<
  { server: RunningParrotServer } & HeldAuthenticator
> {
  const held = heldAuthenticator();
  const server = await startTestServer({
    pingIntervalMs: 10_000,
    pingTimeoutMs: 30_000,
    handshakeTimeoutMs: 500,
    authenticator: held.authenticator,
  });
  servers.push(server);
  return { server, ...held };
}

/**
 * Resolves once a connection opened after the check began has been timed out: proof, without a
 * clock in the test, that the first connection's handshake deadline has passed too.
 */
async function handshakeDeadlinePassed(server: RunningParrotServer): Promise<void> {
  const witness = await RawPeer.connect(server.address);
  peers.push(witness);
  await witness.negotiate();
  await witness.expectError("HANDSHAKE_TIMEOUT");
}

/** Sends user1's LOGIN_REQUEST and lets its check finish only once the handshake deadline has passed. */
async function loginAnsweredAfterTheDeadline(password: string): Promise<RawPeer> {
  const { server, checkIsRunning, releaseCheck } = await serverWithHeldChecks();
  const client = await RawPeer.connect(server.address);
  peers.push(client);
  await client.negotiate();
  client.send({ type: "LOGIN_REQUEST", version: 1, username: "user1", password });
  await checkIsRunning;
  await handshakeDeadlinePassed(server);
  releaseCheck();
  return client;
}

test("a right password whose check outlasts the handshake deadline logs in", async () => {
  const client = await loginAnsweredAfterTheDeadline("pass1");

  assert.equal((await client.expect("LOGIN_RESPONSE")).status, "OK");
  assert.equal((await client.chat(1, "in, late but in")).text, "in, late but in");
  await client.logout();
});

test("a wrong password answered after the deadline is followed by HANDSHAKE_TIMEOUT", async () => {
  const client = await loginAnsweredAfterTheDeadline("wrong");

  assert.equal((await client.expect("LOGIN_RESPONSE")).status, "BAD_CREDENTIALS");
  await client.expectError("HANDSHAKE_TIMEOUT");
});
