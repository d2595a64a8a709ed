/**
 * How transport/ writes a host and port as text: "host:port", IPv6 hosts in brackets
 * ("[::1]:55667") so the port stays unambiguous. Used in logs and in the server's
 * "listening on" line, which scripts parse.
 */
export function formatAddress(host: string | undefined, port: number | undefined): string {
  const shownHost = host === undefined ? "unknown" : host.includes(":") ? `[${host}]` : host;
  return `${shownHost}:${port ?? 0}`;
}

/**
 * True for an IP address of this machine's loopback interface: 127.0.0.0/8, ::1 and their
 * IPv4-mapped form (what a dual-stack socket reports for an IPv4 loopback peer).
 */
export function isLoopbackIp(ip: string): boolean {
  const v4 = ip.startsWith("::ffff:") ? ip.slice("::ffff:".length) : ip;
  return v4.startsWith("127.") || ip === "::1";
}
