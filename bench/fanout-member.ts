/**
 * One member of a fan-out run (bench/fanout-generator.ts): a connection that can say something to the
 * room (or send one user a direct message) and reports every message it receives as (sender index,
 * message id). Two kinds, driven identically by the generator:
 * - Parrot v2: logged in, ROOM_JOIN of the bench room; ROOM_SAY → ROOM_MESSAGE to every member,
 *   DIRECT_SEND → DIRECT_STATUS to the sender and DIRECT_MESSAGE to the recipient;
 * - MQTT 3.1.1 at QoS 0 (mosquitto): subscribed to the room topic and to a topic of its own; a PUBLISH to
 *   the room topic reaches every subscriber, one to a member's own topic reaches that member.
 * Every message carries 64 bytes of text, so both targets move the same payload.
 */
import mqtt from "mqtt";
import { decode, encode } from "../generated/index.ts";
import { ECHO_TEXT } from "./echo-session.ts";
import { FrameSocket } from "./frame-socket.ts";
import { type Credentials, logIn, logOut } from "./parrot-login.ts";

export const FANOUT_ROOM = "bench-room";

export interface FanoutMember {
  /** Parrot username or MQTT topic suffix: how others address this member. */
  readonly name: string;
  /** ROOM_SAY / PUBLISH to the room. */
  say(messageId: number): void;
  /** DIRECT_SEND / PUBLISH to one member. */
  sendDirect(messageId: number, to: FanoutMember): void;
  close(): Promise<void>;
}

export interface MemberEvents {
  /** A room or direct message arrived from the member with index `from`. */
  delivered(from: number, messageId: number): void;
  /** Something went wrong on this connection; the run is void. */
  failed(error: Error): void;
}

export interface MemberOptions {
  host: string;
  port: number;
  index: number;
  /** Parrot: username → member index, to turn a ROOM_MESSAGE's `from` into an index. */
  indexOf: ReadonlyMap<string, number>;
  credentials?: Credentials;
  events: MemberEvents;
}

export async function openParrotMember(options: MemberOptions): Promise<FanoutMember> {
  const credentials = options.credentials;
  if (credentials === undefined) throw new Error("a Parrot member needs credentials");
  const socket = await FrameSocket.open(options);
  const { version } = await logIn(socket, credentials);
  if (version < 2) throw new Error(`rooms need protocol v2, the server chose v${version}`);
  socket.write(encode({ type: "ROOM_JOIN", version, requestId: 1, room: FANOUT_ROOM }));
  for (;;) {
    const pdu = await socket.nextPdu();
    if (pdu.type === "ROOM_EVENT") continue;
    if (pdu.type !== "ROOM_RESULT" || pdu.status !== "OK") {
      socket.destroy();
      throw new Error(`ROOM_JOIN: ${pdu.type}${"status" in pdu ? ` ${pdu.status}` : ""}`);
    }
    break;
  }
  const { events, indexOf } = options;
  const from = (name: string) => {
    const index = indexOf.get(name);
    if (index === undefined) events.failed(new Error(`message from unknown user ${name}`));
    return index ?? -1;
  };
  socket.setFrameHandler((frame) => {
    const pdu = decode(frame);
    switch (pdu.type) {
      case "ROOM_MESSAGE":
      case "DIRECT_MESSAGE":
        if (pdu.text !== ECHO_TEXT) events.failed(new Error("message text changed in transit"));
        events.delivered(from(pdu.from), pdu.messageId);
        return;
      case "ROOM_EVENT":
        return; // a late joiner's event; not a message
      case "DIRECT_STATUS":
        if (pdu.status !== "DELIVERED") events.failed(new Error(`DIRECT_STATUS ${pdu.status}`));
        return;
      default:
        events.failed(new Error(`unexpected ${pdu.type}`));
    }
  });
  let closing = false;
  socket.onClose((error) => {
    if (!closing) events.failed(error);
  });
  return {
    name: credentials.username,
    say(messageId) {
      socket.write(
        encode({ type: "ROOM_SAY", version, messageId, room: FANOUT_ROOM, text: ECHO_TEXT }),
      );
    },
    sendDirect(messageId, to) {
      socket.write(
        encode({ type: "DIRECT_SEND", version, messageId, to: to.name, text: ECHO_TEXT }),
      );
    },
    close() {
      closing = true;
      return logOut(socket, version);
    },
  };
}

/** MQTT payload: "<sender index>:<message id>:" then ECHO_TEXT cut so the whole is 64 bytes. */
function mqttPayload(from: number, messageId: number): Buffer {
  const head = `${from}:${messageId}:`;
  return Buffer.from(head + ECHO_TEXT.slice(head.length));
}

export async function openMqttMember(options: MemberOptions): Promise<FanoutMember> {
  const name = `m${options.index}`;
  const client = await mqtt.connectAsync(`mqtt://${options.host}:${options.port}`, {
    clientId: `parrot-fanout-${process.pid}-${name}`,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    keepalive: 0,
  });
  const roomTopic = `parrot-bench/${FANOUT_ROOM}`;
  const ownTopic = (member: string) => `parrot-bench/dm/${member}`;
  await client.subscribeAsync([roomTopic, ownTopic(name)], { qos: 0 });
  const { events } = options;
  client.on("message", (_topic, payload: Buffer) => {
    const text = payload.toString("latin1");
    const first = text.indexOf(":");
    const second = text.indexOf(":", first + 1);
    if (payload.length !== 64 || first < 0 || second < 0) {
      events.failed(new Error("malformed MQTT payload"));
      return;
    }
    events.delivered(Number(text.slice(0, first)), Number(text.slice(first + 1, second)));
  });
  client.on("close", () => events.failed(new Error("connection closed by the broker")));
  client.on("error", (error) => events.failed(error));
  return {
    name,
    say(messageId) {
      client.publish(roomTopic, mqttPayload(options.index, messageId), { qos: 0 });
    },
    sendDirect(messageId, to) {
      client.publish(ownTopic(to.name), mqttPayload(options.index, messageId), { qos: 0 });
    },
    async close() {
      client.removeAllListeners("close");
      await client.endAsync(true);
    },
  };
}
