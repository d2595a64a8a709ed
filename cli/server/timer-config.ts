/**
 * The three timers: ping interval and timeout (advertised in VERSION_RESPONSE) and the handshake
 * timeout. Defaults come from the spec's timer table; given only one ping timer, the other follows
 * at the spec's ratio.
 */
import { TIMER_DEFAULTS_MS } from "../../generated/index.ts";
import { ConfigError } from "./config-error.ts";
import type { OptionSources } from "./option-sources.ts";
import { MAX_TIMER_MS, parseSeconds } from "./option-values.ts";

// pingTimeout = 1.5 x pingInterval, as protocol.json's defaults (and MQTT's keep-alive) do.
const TIMEOUT_PER_INTERVAL = TIMER_DEFAULTS_MS.pingTimeout / TIMER_DEFAULTS_MS.pingInterval;

export interface TimerConfig {
  pingIntervalMs: number;
  pingTimeoutMs: number;
  handshakeTimeoutMs: number;
}

export function parseTimers(options: OptionSources): TimerConfig {
  const intervalOption = options.value("ping-interval");
  const timeoutOption = options.value("ping-timeout");
  let pingIntervalMs = intervalOption === undefined ? undefined : parseSeconds(intervalOption);
  let pingTimeoutMs = timeoutOption === undefined ? undefined : parseSeconds(timeoutOption);
  if (pingIntervalMs === undefined && pingTimeoutMs === undefined) {
    pingIntervalMs = TIMER_DEFAULTS_MS.pingInterval;
    pingTimeoutMs = TIMER_DEFAULTS_MS.pingTimeout;
  } else if (pingTimeoutMs === undefined) {
    pingTimeoutMs = Math.min(MAX_TIMER_MS, Math.round(pingIntervalMs! * TIMEOUT_PER_INTERVAL));
  } else if (pingIntervalMs === undefined) {
    pingIntervalMs = Math.max(1, Math.round(pingTimeoutMs / TIMEOUT_PER_INTERVAL));
  }
  if (pingTimeoutMs! <= pingIntervalMs!) {
    // REQ-7.6: a client pinging exactly on time must never be timed out.
    throw new ConfigError(
      `the ping timeout (${pingTimeoutMs} ms) must be longer than the ping interval (${pingIntervalMs} ms)`,
    );
  }
  const handshakeOption = options.value("handshake-timeout");
  const handshakeTimeoutMs =
    handshakeOption === undefined
      ? TIMER_DEFAULTS_MS.handshakeTimeout
      : parseSeconds(handshakeOption);
  return { pingIntervalMs: pingIntervalMs!, pingTimeoutMs: pingTimeoutMs!, handshakeTimeoutMs };
}
