/**
 * A scripted stand-in for a Parrot server, built on the real transport listener and PduChannel:
 * each test says how it answers, so the client can be shown misbehaving servers (one that goes
 * silent, one that breaks the protocol) that the reference server never is.
 */
import { ERRORS, type Pdu } from "../../generated/index.ts";
import { PduChannel } from "../../transport/pdu-channel.ts";
import { listenTcp } from "../../transport/tcp.ts";

export interface FakeServer {
  port: number;
  /** Every PDU the client sent, in order, across connections. */
  received: Pdu[];
  close(): Promise<void>;
}

export type FakeBehaviour = (pdu: Pdu, channel: PduChannel) => void;

export async function startFakeServer(behaviour: FakeBehaviour): Promise<FakeServer> {
  const listener = await listenTcp({ host: "127.0.0.1", port: 0 });
  const channels: PduChannel[] = [];
  const received: Pdu[] = [];
  listener.onConnection((stream) => {
    const channel = new PduChannel(stream);
    channels.push(channel);
    channel.onPdu((pdu) => {
      received.push(pdu);
      // Like any peer told of a closing error, hang up rather than make the client wait; a
      // non-closing one is only noted, never answered (REQ-8.5).
      if (pdu.type !== "ERROR") behaviour(pdu, channel);
      else if (ERRORS[pdu.code].closes) void channel.close();
    });
  });
  return {
    port: listener.boundAddress.port,
    received,
    close: async () => {
      for (const channel of channels) channel.destroy();
      await listener.close();
    },
  };
}

/** Answers VERSION_REQUEST with version 1 and the given timers, then never says anything again. */
export function negotiateThenGoSilent(timers: {
  pingIntervalMs: number;
  pingTimeoutMs: number;
}): FakeBehaviour {
  return (pdu, channel) => {
    if (pdu.type !== "VERSION_REQUEST") return;
    channel.send({
      type: "VERSION_RESPONSE",
      version: 0,
      status: "OK",
      chosenVersion: 1,
      ...timers,
      supportedVersions: [1],
    });
  };
}

/**
 * A well-behaved version-1 server: negotiates version 1 whatever is offered, accepts any login,
 * echoes CHATs, answers PINGs and closes on LOGOUT. `afterLogin` runs once the login is answered,
 * for a test that wants to send something more.
 */
export function versionOneServer(
  afterLogin: (channel: PduChannel) => void = () => {},
): FakeBehaviour {
  return (pdu, channel) => {
    switch (pdu.type) {
      case "VERSION_REQUEST":
        channel.send({
          type: "VERSION_RESPONSE",
          version: 0,
          status: "OK",
          chosenVersion: 1,
          pingIntervalMs: 10_000,
          pingTimeoutMs: 15_000,
          supportedVersions: [1],
        });
        return;
      case "LOGIN_REQUEST":
        channel.send({ type: "LOGIN_RESPONSE", version: 1, status: "OK", text: "" });
        afterLogin(channel);
        return;
      case "CHAT":
        channel.send({ ...pdu, type: "CHAT_ECHO" });
        return;
      case "PING":
        channel.send({ type: "PONG", version: 1, token: pdu.token });
        return;
      case "LOGOUT":
        void channel.close();
        return;
    }
  };
}
