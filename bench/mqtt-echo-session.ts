/**
 * An echo session against an MQTT broker at QoS 0: the client subscribes to a topic of its own and publishes
 * to it, so the broker sends every message straight back. That is how someone would get "parrot" behaviour
 * from mosquitto, and the baseline Parrot has to beat. Uses the `mqtt` package (MQTT.js), the client such a
 * user would pick; its per-message cost lands in the generator, which shares the cores with the broker.
 */
import mqtt from "mqtt";
import { ECHO_TEXT, type EchoSession } from "./echo-session.ts";

export interface MqttEchoOptions {
  host: string;
  port: number;
  /** Distinguishes this session's client id and topic from every other session's. */
  sessionIndex: number;
}

export async function openMqttEchoSession(options: MqttEchoOptions): Promise<EchoSession> {
  const clientId = `parrot-bench-${process.pid}-${options.sessionIndex}`;
  const topic = `parrot-bench/${clientId}`;
  const client = await mqtt.connectAsync(`mqtt://${options.host}:${options.port}`, {
    clientId,
    protocolVersion: 4,
    clean: true,
    // The bench, not the library, decides when a dead connection is an error: no reconnects, no keepalive.
    reconnectPeriod: 0,
    keepalive: 0,
  });
  await client.subscribeAsync(topic, { qos: 0 });
  const payload = Buffer.from(ECHO_TEXT);
  let pending: ((error?: Error) => void) | null = null;
  const settle = (error?: Error) => {
    const waiting = pending;
    pending = null;
    waiting?.(error);
  };
  client.on("message", (_topic, message: Buffer) => {
    settle(message.equals(payload) ? undefined : new Error("echo does not match the message sent"));
  });
  client.on("close", () => settle(new Error("connection closed by the broker")));
  client.on("error", (error) => settle(error));

  return {
    roundTrip(done) {
      pending = done;
      client.publish(topic, payload, { qos: 0 });
    },
    async close() {
      await client.endAsync(true);
    },
  };
}
