/**
 * Carries out what a line asks for (a parsed ChatInput) on a ClientSession: the part of the user
 * interface both modes share, so interactive and scripted mode cannot drift apart. It holds the
 * state lines depend on (the current room for plain text) and the TypingSender every TYPING
 * goes through. What to print for the answers is the modes' business (event-line.ts).
 */

import type { ClientSession } from "../../client/client-session.ts";
import { TypingSender } from "../../client/typing-sender.ts";
import { MESSAGE_RULES } from "../../generated/index.ts";
import { type ChatInput, COMMANDS, commandHelp } from "./chat-input.ts";

export type RunOutcome =
  /** `accepted` false: the connection wants a drain before more is sent (`session.writable()`). */
  | { kind: "done"; accepted: boolean }
  /** Nothing was sent; `message` says why (a usage error, or a command the version lacks). */
  | { kind: "refused"; message: string }
  | { kind: "quit" };

const DONE: RunOutcome = { kind: "done", accepted: true };

export class ChatCommands {
  /** Where plain lines go: a room after `/room ROOM`, else undefined for the echo. */
  private room: string | undefined;
  readonly typing: TypingSender;

  private readonly currentSession: () => ClientSession;

  /**
   * `session` is the one to send on, or what gives the current one when it changes (a
   * reconnecting run's, client/reconnecting-session.ts). `say` prints the client's own remarks
   * (help, mode changes), not the server's answers.
   */
  constructor(
    session: ClientSession | (() => ClientSession),
    private readonly say: (line: string) => void,
  ) {
    this.currentSession = typeof session === "function" ? session : () => session;
    // The session may end (or start logging out) while a TYPING waits for its turn: drop it then.
    this.typing = new TypingSender((signal) => {
      const current = this.currentSession();
      if (current.canSend) current.requests.typing(signal);
    });
  }

  private get session(): ClientSession {
    return this.currentSession();
  }

  get currentRoom(): string | undefined {
    return this.room;
  }

  run(input: ChatInput): RunOutcome {
    if (input.kind === "invalid") return { kind: "refused", message: input.message };
    if (input.kind === "quit") return { kind: "quit" };
    if (input.kind === "help") {
      this.say(commandHelp());
      return DONE;
    }
    const missing = this.missingVersion(input);
    if (missing !== undefined) return { kind: "refused", message: missing };
    if (!this.session.canSend) {
      return { kind: "refused", message: "not sent: the session is ending" };
    }
    const requests = this.session.requests;
    switch (input.kind) {
      case "text":
        return sent(
          this.room === undefined ? requests.chat(input.text) : requests.say(this.room, input.text),
        );
      case "msg":
        return sent(requests.directSend(input.to, input.text));
      case "say":
        return sent(requests.say(input.room, input.text));
      case "join":
        return sent(requests.joinRoom(input.room));
      case "leave":
        if (this.room === input.room) {
          this.room = undefined;
          this.say(`leaving the current room #${input.room}; plain lines are echoed again`);
        }
        return sent(requests.leaveRoom(input.room));
      case "rooms":
        return sent(requests.listRooms());
      case "who":
        return sent(requests.who(input.room));
      case "room":
        this.room = input.room;
        this.say(
          input.room === undefined
            ? "plain lines are echoed again"
            : `plain lines now go to #${input.room}`,
        );
        return DONE;
      case "typing":
        this.typing.push({ target: input.target, state: input.state });
        return DONE;
      case "history":
        return sent(requests.history(input.target.kind, input.target.name, input.count));
      case "presence":
        this.say(`presence notifications ${input.enabled === "ON" ? "on" : "off"}`);
        return { kind: "done", accepted: requests.presence(input.enabled) };
    }
  }

  /**
   * "/msg needs protocol v2; this session negotiated v1" when the input needs a PDU the
   * negotiated version does not have. Leaving room mode needs nothing.
   */
  private missingVersion(input: ChatInput): string | undefined {
    if (input.kind === "room" && input.room === undefined) return undefined;
    const spec = COMMANDS.find((command) => command.kind === input.kind);
    const type = input.kind === "text" && this.room !== undefined ? "ROOM_SAY" : spec?.sends;
    if (type === undefined || this.session.supports(type)) return undefined;
    const negotiated = this.session.agreement?.version ?? 0;
    const word =
      input.kind === "text"
        ? "a line in room mode"
        : input.kind === "typing" && input.state === "STOPPED"
          ? "/typing-stop"
          : `/${input.kind}`;
    return `${word} needs protocol v${MESSAGE_RULES[type].since}; this session negotiated v${negotiated}`;
  }
}

function sent(result: { accepted: boolean }): RunOutcome {
  return { kind: "done", accepted: result.accepted };
}
