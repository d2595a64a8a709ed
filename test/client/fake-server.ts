/**
 * A scripted stand-in for a Parrot server, built on the real transport listener and PduChannel:
 * each test says how it answers, so the client can be shown misbehaving servers (one that goes
 * silent, one that breaks the protocol) that the reference server never is.
 */
import type { Pdu } from "../../generated/index.ts";
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
      // Like any peer told of a closing error, hang up rather than make the client wait.
      if (pdu.type === "ERROR") void channel.close();
      else behaviour(pdu, channel);
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
