/**
 * How the server is reached: TLS files, the QUIC and WebSocket listeners beside TCP, and the rule
 * that a listener off loopback needs TLS (or --allow-plaintext), since a login carries the
 * password.
 */
import { isLoopbackIp } from "../../transport/address.ts";
import { ConfigError } from "./config-error.ts";
import type { OptionSources, OptionText } from "./option-sources.ts";
import { parsePort } from "./option-values.ts";

export interface TlsConfig {
  certFile: string;
  keyFile: string;
}

export interface WebSocketConfig {
  port: number;
  path: string;
}

export function parseTls(options: OptionSources): TlsConfig | undefined {
  const certFile = options.value("tls-cert")?.text;
  const keyFile = options.value("tls-key")?.text;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError("--tls-cert and --tls-key go together: give both or neither");
  }
  return certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined;
}

export function parseQuicPort(
  options: OptionSources,
  tls: TlsConfig | undefined,
): number | undefined {
  const option = options.value("quic-port");
  if (option === undefined) return undefined;
  if (tls === undefined) {
    throw new ConfigError(
      `${option.source} needs --tls-cert and --tls-key: QUIC always runs TLS 1.3`,
    );
  }
  return parsePort(option);
}

export function parseWebSocket(options: OptionSources): WebSocketConfig | undefined {
  const portOption = options.value("ws-port");
  const pathOption: OptionText | undefined = options.value("ws-path");
  if (portOption === undefined) {
    if (pathOption !== undefined) throw new ConfigError(`${pathOption.source} needs --ws-port`);
    return undefined;
  }
  const path = pathOption?.text ?? "/";
  if (!/^\/[\x21-\x7e]*$/.test(path) || path.includes("?") || path.includes("#")) {
    throw new ConfigError(`${pathOption?.source}: "${path}" is not an HTTP path such as /parrot`);
  }
  return { port: parsePort(portOption), path };
}

/** --allow-plaintext, refusing a listener off loopback without TLS when it is not given (REQ-10.10). */
export function parseAllowPlaintext(
  options: OptionSources,
  host: string,
  tls: TlsConfig | undefined,
): boolean {
  const allowPlaintext = options.isOn("allow-plaintext");
  if (tls === undefined && !isLoopbackHost(host) && !allowPlaintext) {
    throw new ConfigError(
      `${host} is off loopback and there is no TLS: logins would carry passwords in clear. ` +
        "Give --tls-cert and --tls-key, or --allow-plaintext to accept that",
    );
  }
  return allowPlaintext;
}

/** Only this machine can reach a loopback listener, so a plaintext login never crosses a network. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || isLoopbackIp(host);
}
