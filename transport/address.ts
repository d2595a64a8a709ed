/**
 * How transport/ writes a host and port as text: "host:port", IPv6 hosts in brackets
 * ("[::1]:55667") so the port stays unambiguous. Used in logs and in the server's
 * "listening on" line, which scripts parse.
 */
export function formatAddress(host: string | undefined, port: number | undefined): string {
  const shownHost = host === undefined ? "unknown" : host.includes(":") ? `[${host}]` : host;
  return `${shownHost}:${port ?? 0}`;
}
