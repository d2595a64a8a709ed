// A version-3 login resolves only once the SESSION_INFO behind its LOGIN_RESPONSE OK has been read
// (REQ-15.14), so a history request made right after it asks for no more than the server's
// max_page (REQ-15.27), however the two PDUs arrive. Played PDU by PDU over an in-memory stream.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ClientFailure } from "../../client/client-failure.ts";
import { ClientSession } from "../../client/client-session.ts";
import type { Pdu } from "../../generated/index.ts";
import { memoryStreamPair } from "../../transport/memory-stream.ts";
import { PduChannel } from "../../transport/pdu-channel.ts";
import { FakeClock } from "./fake-clock.ts";

async function settle(): Promise<void> {
  for (let hop = 0; hop < 6; hop += 1) await new Promise((resolve) => setImmediate(resolve));
}

async function loginAnsweredOk(chosenVersion: number) {
  const { client, server } = memoryStreamPair();
  const session = new ClientSession(new PduChannel(client), new FakeClock());
  const peer = new PduChannel(server);
  const received: Pdu[] = [];
  peer.onPdu((pdu) => received.push(pdu));
  const negotiation = session.negotiate([1, 2, 3]);
  await settle();
  peer.send({
    type: "VERSION_RESPONSE",
    version: 0,
    status: "OK",
    chosenVersion,
    pingIntervalMs: 10_000,
    pingTimeoutMs: 15_000,
    supportedVersions: [1, 2, 3],
  });
  await negotiation;
  let resolved = false;
  const login = session.login("user1", "pass1").then((answer) => {
    resolved = true;
    return answer;
  });
  await settle();
  peer.send({ type: "LOGIN_RESPONSE", version: chosenVersion, status: "OK", text: "welcome" });
  await settle();
  return { session, peer, received, login, resolved: () => resolved };
}

test("version 3: login() waits for SESSION_INFO, and history then asks for at most max_page", async () => {
  const { session, peer, received, login, resolved } = await loginAnsweredOk(3);
  assert.equal(resolved(), false, "the login resolved before its SESSION_INFO");
  peer.send({
    type: "SESSION_INFO",
    version: 3,
    maxPage: 3,
    historyCount: 500,
    historyAgeS: 0,
    offlineQueue: 100,
    storedCount: 0,
    droppedCount: 0,
  });
  assert.equal((await login).status, "OK");
  session.requests.history("ROOM", "den", 20);
  await settle();
  const request = received.find((pdu) => pdu.type === "HISTORY_REQUEST");
  assert.equal(request?.type === "HISTORY_REQUEST" && request.limit, 3);
  session.abort(new ClientFailure("CONNECTION_LOST", "the test is over"));
  peer.destroy();
});

test("version 2: login() resolves with the LOGIN_RESPONSE, as it always did", async () => {
  const { session, peer, login, resolved } = await loginAnsweredOk(2);
  assert.equal(resolved(), true);
  assert.equal((await login).status, "OK");
  session.abort(new ClientFailure("CONNECTION_LOST", "the test is over"));
  peer.destroy();
});
