/**
 * `parrot client` command line and environment → a validated ClientOptions, or a USAGE failure.
 * Everything a user can get wrong before a socket is opened is caught here, so a bad flag never costs
 * a connection (or a login attempt the server counts).
 */
import { parseArgs } from "node:util";
import { ClientFailure } from "../../client/client-failure.ts";
import { LIMITS, MAX_STRING_BYTES, SUPPORTED_VERSIONS } from "../../generated/index.ts";
import { dialerKinds } from "../../transport/all-dialers.ts";

export const DEFAULT_HOST = "localhost";
export const DEFAULT_PORT = 55667;

export interface ClientOptions {
  host: string;
  port: number;
  /** Dial TLS instead of plain TCP; implied by --ca and --insecure, and by --transport quic. */
  tls: boolean;
  /** --transport: a registered dialer (transport/all-dialers.ts: "quic", "ws" for WebSocket, spec
   * §2.3); absent means the tcp/tls pick of `tls`. */
  transport?: string;
  /** PEM file of the CA (or the self-signed certificate) to trust instead of the system store. */
  caFile: string | undefined;
  /** Skip certificate verification: for a throwaway test server only. */
  insecure: boolean;
  /** Versions to offer in VERSION_REQUEST, as given (order and duplicates kept: the server must cope). */
  versions: number[];
  user: string | undefined;
  /** Read the password from the first line of stdin (scripted mode). */
  passwordFromStdin: boolean;
  /** From PARROT_PASSWORD; never from a flag, so it does not show up in `ps`. */
  password: string | undefined;
  /** Messages from repeated --send; empty means "read messages from stdin". */
  sends: string[];
  /** --reconnect: after a dropped connection, connect and log in again (client/reconnecting-session.ts). */
  reconnect: boolean;
}

export type ParsedCommandLine = { kind: "help" } | { kind: "run"; options: ClientOptions };

/** The environment variables the client reads; a parameter so tests need not touch process.env. */
export interface ClientEnvironment {
  PARROT_SERVER?: string | undefined;
  PARROT_PORT?: string | undefined;
  PARROT_PASSWORD?: string | undefined;
}

export function parseClientCommandLine(argv: string[], env: ClientEnvironment): ParsedCommandLine {
  let values: ReturnType<typeof parseFlags>["values"];
  try {
    ({ values } = parseFlags(argv));
  } catch (error) {
    // parseArgs throws TypeErrors with a readable message ("Unknown option '--x'"); keep the text.
    throw new ClientFailure("USAGE", (error as Error).message);
  }
  if (values.help) return { kind: "help" };

  const host = unbracketed(values.server ?? nonEmpty(env.PARROT_SERVER) ?? DEFAULT_HOST);
  const portText = values.port ?? nonEmpty(env.PARROT_PORT);
  const port = portText === undefined ? DEFAULT_PORT : parsePort(portText);
  const versions =
    values.versions === undefined ? [...SUPPORTED_VERSIONS] : parseVersions(values.versions);

  const user = values.user;
  if (user !== undefined)
    checkFieldLength("username", user, MAX_STRING_BYTES.LOGIN_REQUEST.username);
  const password = env.PARROT_PASSWORD;
  if (password !== undefined) {
    checkFieldLength("PARROT_PASSWORD", password, MAX_STRING_BYTES.LOGIN_REQUEST.password);
  }
  const transport = values.transport;
  if (transport !== undefined && !dialerKinds().includes(transport)) {
    throw new ClientFailure(
      "USAGE",
      `invalid --transport "${transport}": expected one of ${dialerKinds().join(", ")}`,
    );
  }
  const sends = values.send ?? [];
  for (const text of sends) checkFieldLength("--send text", text, MAX_STRING_BYTES.CHAT.text);

  return {
    kind: "run",
    options: {
      host,
      port,
      // QUIC always runs TLS 1.3: its certificate settings are the TLS ones.
      tls:
        values.tls === true ||
        values.ca !== undefined ||
        values.insecure === true ||
        transport === "tls" ||
        transport === "quic",
      ...(transport === undefined ? {} : { transport }),
      caFile: values.ca,
      insecure: values.insecure === true,
      versions,
      user,
      passwordFromStdin: values["password-stdin"] === true,
      password,
      sends,
      reconnect: values.reconnect === true,
    },
  };
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      server: { type: "string", short: "s" },
      port: { type: "string", short: "p" },
      tls: { type: "boolean" },
      transport: { type: "string" },
      ca: { type: "string" },
      insecure: { type: "boolean" },
      versions: { type: "string" },
      user: { type: "string", short: "u" },
      "password-stdin": { type: "boolean" },
      send: { type: "string", multiple: true },
      reconnect: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** "[::1]" -> "::1": an IPv6 address is often written in brackets, as in a URL; DNS has no such name. */
function unbracketed(host: string): string {
  return /^\[[0-9a-fA-F:.]+\]$/.test(host) ? host.slice(1, -1) : host;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function parsePort(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new ClientFailure("USAGE", `invalid port "${text}": expected a number from 1 to 65535`);
  }
  return port;
}

function parseVersions(text: string): number[] {
  const parts = text.split(",").map((part) => part.trim());
  const versions = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  // A version is a u1 on the wire and 0 means "not negotiated", so 1..255 is the whole range.
  if (versions.some((version) => !(version >= 1 && version <= 255))) {
    throw new ClientFailure(
      "USAGE",
      `invalid --versions "${text}": expected comma-separated numbers from 1 to 255`,
    );
  }
  if (versions.length > LIMITS.maxVersionsOffered) {
    throw new ClientFailure(
      "USAGE",
      `--versions lists ${versions.length} versions; at most ${LIMITS.maxVersionsOffered} may be offered`,
    );
  }
  return versions;
}

function checkFieldLength(what: string, value: string, maxBytes: number): void {
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > maxBytes) {
    throw new ClientFailure("USAGE", `${what} is ${bytes} bytes; the protocol allows ${maxBytes}`);
  }
}
