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

export interface AdvertisedTimers {
  pingIntervalMs: number;
  pingTimeoutMs: number;
}

/** Sends VERSION_RESPONSE OK choosing version 1, with these timers (long ones by default). */
export function chooseVersionOne(
  channel: PduChannel,
  timers: AdvertisedTimers = { pingIntervalMs: 10_000, pingTimeoutMs: 15_000 },
): void {
  channel.send({
    type: "VERSION_RESPONSE",
    version: 0,
    status: "OK",
    chosenVersion: 1,
    ...timers,
    supportedVersions: [1],
  });
}

/** Answers VERSION_REQUEST with version 1 and the given timers, then never says anything again. */
export function negotiateThenGoSilent(timers: AdvertisedTimers): FakeBehaviour {
  return (pdu, channel) => {
    if (pdu.type === "VERSION_REQUEST") chooseVersionOne(channel, timers);
  };
}

/**
 * A well-behaved server for the basics: negotiates `version` (if offered, else 1), accepts any
 * login, echoes CHATs, answers PINGs and closes on LOGOUT. `afterLogin` runs once the login is
 * answered; `other` gets every other PDU, for the version-2 requests a test wants answered its way.
 */
export function basicServer(
  version: number,
  hooks: { afterLogin?: (channel: PduChannel) => void; other?: FakeBehaviour } = {},
): FakeBehaviour {
  let chosen = 1;
  return (pdu, channel) => {
    switch (pdu.type) {
      case "VERSION_REQUEST":
        chosen = pdu.versions.includes(version) ? version : 1;
        channel.send({
          type: "VERSION_RESPONSE",
          version: 0,
          status: "OK",
          chosenVersion: chosen,
          pingIntervalMs: 10_000,
          pingTimeoutMs: 15_000,
          supportedVersions: version === 1 ? [1] : [1, version],
        });
        return;
      case "LOGIN_REQUEST":
        channel.send({ type: "LOGIN_RESPONSE", version: chosen, status: "OK", text: "" });
        hooks.afterLogin?.(channel);
        return;
      case "CHAT":
        channel.send({ ...pdu, type: "CHAT_ECHO" });
        return;
      case "PING":
        channel.send({ type: "PONG", version: chosen, token: pdu.token });
        return;
      case "LOGOUT":
        void channel.close();
        return;
      default:
        hooks.other?.(pdu, channel);
    }
  };
}

/** A version-1 server (see basicServer). */
export function versionOneServer(afterLogin?: (channel: PduChannel) => void): FakeBehaviour {
  return basicServer(1, afterLogin === undefined ? {} : { afterLogin });
}
