/** The `parrot client --help` text. The exit-code part comes from the same table the code exits with. */
import { DEFAULT_HOST, DEFAULT_PORT } from "./client-options.ts";
import { exitCodeTable } from "./exit-codes.ts";

export function clientHelp(): string {
  return `Usage: parrot client [options]

Connects to a Parrot server, negotiates a protocol version (1; 2 with direct messages, rooms,
typing indicators and presence; 3 with message times, /history, direct messages stored for
users who are away, and catching up on rooms after --reconnect), logs in and chats; the server
parrots each plain message back.

Interactive when stdin and stdout are a terminal and there is no --send: prompts for username
and password (not echoed), then reads lines at a prompt. /help lists commands (/msg, /join,
/say, /room, /who, ...); /quit, Ctrl+C or Ctrl+D logs out.

Scripted otherwise: needs --user; the password is the first line of stdin (--password-stdin) or
PARROT_PASSWORD. Each --send TEXT is sent as a message, in order; without --send every further
line of stdin is read as typed: "/" starts a command, "//" sends a line starting with "/", and
anything else is a message. stdout gets one line per event (an echo is just its text; formats in
README.md). A line that cannot be carried out stops the input and exits 2. With --send the
client logs out as soon as every message is echoed and does not read stdin; without it, it stays
connected (pinging) until stdin ends or /quit. Either way it waits for every outstanding answer,
logs out and waits for the server to close the connection, so a following login with the same
account succeeds.

Options:
  -s, --server HOST     server host (default ${DEFAULT_HOST}; env PARROT_SERVER)
  -p, --port PORT       server port (default ${DEFAULT_PORT}; env PARROT_PORT)
      --tls             connect with TLS
      --transport KIND  tcp (default), tls, quic (TLS 1.3 built in; --ca/--insecure apply)
                        or ws (WebSocket at /; wss with --tls)
      --ca FILE         trust this PEM CA or self-signed certificate (implies --tls)
      --insecure        do not verify the server certificate (implies --tls; testing only)
      --versions LIST   comma-separated protocol versions to offer (default: all this client
                        speaks; --versions 1 for a version-1-only client)
  -u, --user NAME       account name (scripted mode; in interactive mode skips the prompt)
      --password-stdin  read the password from the first line of stdin
      --send TEXT       send TEXT as a message (never a command); repeatable
      --reconnect       when the connection drops, connect and log in again (back-off 1 s
                        doubling to 30 s, with jitter), joining the same rooms; said on
                        stderr. Not after /quit or a refused login
  -h, --help            show this help

Environment:
  PARROT_PASSWORD       the password, when --password-stdin is not given

Exit codes (the reason is printed on stderr):
${exitCodeTable()}
`;
}
