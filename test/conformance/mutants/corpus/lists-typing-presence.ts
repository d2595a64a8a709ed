/** Planted faults: lists typing presence. See ../corpus.ts. */
import { FAN_OUT, LOGIN, type Mutant, PARTICIPATION, p, TYPING } from "./shared.ts";

export const LISTS_TYPING_PRESENCE: Mutant[] = [
  // --- version 2: lists (§12.6) ---
  {
    id: "names-sorted-by-utf16",
    breaks: "REQ-12.33",
    fault: "names are compared by UTF-16 code units, not code points",
    patches: [
      p(
        "server/name-list.ts",
        "    const left = a.codePointAt(index)!;\n    const right = b.codePointAt(index)!;",
        "    const left = a.charCodeAt(index);\n    const right = b.charCodeAt(index);",
      ),
    ],
  },
  {
    id: "names-sorted-by-locale",
    breaks: "REQ-12.19",
    fault: "names are sorted with localeCompare",
    patches: [
      p(
        "server/name-list.ts",
        "return [...names].sort(compareNames);",
        "return [...names].sort((a, b) => a.localeCompare(b));",
      ),
    ],
  },
  {
    id: "page-skips-first-name",
    breaks: "REQ-12.20",
    fault: "a page starts one name after its offset",
    patches: [
      p(
        "server/name-list.ts",
        "names: sorted.slice(offset, offset + max)",
        "names: sorted.slice(offset + 1, offset + 1 + max)",
      ),
    ],
  },
  {
    id: "total-is-page-size",
    breaks: "REQ-12.19",
    fault: "the total counts the names of the page, not of the list",
    patches: [
      p(
        "server/name-list.ts",
        "return { total: sorted.length,",
        "return { total: Math.min(sorted.length, max),",
      ),
    ],
  },
  {
    id: "who-missing-room-is-empty",
    breaks: "REQ-12.21",
    fault: "a room that does not exist is listed as an empty room",
    patches: [
      p(
        "server/handlers/who-request.ts",
        ": rooms.memberNames(room);",
        ": (rooms.memberNames(room) ?? []);",
      ),
    ],
  },
  {
    id: "who-room-case-insensitive",
    breaks: "REQ-12.21",
    fault: "WHO_REQUEST finds a room by its lower-cased name too",
    patches: [
      p(
        "server/handlers/who-request.ts",
        ": rooms.memberNames(room);",
        ": (rooms.memberNames(room) ?? rooms.memberNames(room.toLowerCase()));",
      ),
    ],
  },
  {
    id: "version-1-users-not-listed",
    breaks: "REQ-12.20",
    fault: "only version 2 sessions are in the directory of who is online",
    patches: [
      p(
        PARTICIPATION,
        '  return whenReady(registries.directory.add(participant), () =>\n    announce(registries, participant, "ONLINE"),\n  );',
        '  return whenReady(\n    participant.version >= 2 ? registries.directory.add(participant) : undefined,\n    () => announce(registries, participant, "ONLINE"),\n  );',
      ),
    ],
  },
  // --- version 2: typing (§12.7) ---
  {
    id: "no-typing-rate-limit",
    breaks: "REQ-12.27",
    fault: "TYPING is never rate-limited",
    patches: [
      p(
        TYPING,
        "if (last !== undefined && now - last < this.minIntervalMs) return false;",
        "if (last !== undefined && now - last < 0) return false;",
      ),
    ],
  },
  {
    id: "typing-rate-limit-doubled",
    breaks: "REQ-12.28",
    fault: "the rate limit refuses TYPINGs up to twice the minimum interval",
    patches: [
      p(
        TYPING,
        "now - last < this.minIntervalMs) return false;",
        "now - last < 2 * this.minIntervalMs) return false;",
      ),
    ],
  },
  {
    id: "refused-typing-counts-as-accepted",
    breaks: "REQ-12.28",
    fault: "a refused TYPING restarts the rate limit's interval",
    patches: [
      p(
        TYPING,
        "if (last !== undefined && now - last < this.minIntervalMs) return false;",
        "if (last !== undefined && now - last < this.minIntervalMs) {\n      this.lastAccepted.set(typist, now);\n      return false;\n    }",
      ),
    ],
  },
  {
    id: "typing-notice-to-typist",
    breaks: "REQ-12.23",
    fault: "a TYPING to a room is relayed to the typist too",
    patches: [
      p(
        TYPING,
        'bus.publish({ kind: "otherRoomMembers", room: target, exceptUser: typist }, notice)',
        'bus.publish({ kind: "roomMembers", room: target }, notice)',
      ),
    ],
  },
  {
    id: "typing-not-member-id",
    breaks: "REQ-12.24",
    fault: "NOT_MEMBER for a TYPING carries request id 1",
    patches: [
      p(
        "server/handlers/typing.ts",
        'reply: { type: "ROOM_RESULT", requestId: 0, status: "NOT_MEMBER", room: target },',
        'reply: { type: "ROOM_RESULT", requestId: 1, status: "NOT_MEMBER", room: target },',
      ),
    ],
  },
  {
    id: "typing-never-expires",
    breaks: "REQ-12.25",
    fault: "typing indicators are never timed out",
    patches: [
      p(
        TYPING,
        "    this.indicators.set(key, created);\n    this.options.scheduler.track(created);",
        "    this.indicators.set(key, created);",
      ),
    ],
  },
  {
    id: "expiry-after-stopped",
    breaks: "REQ-12.26",
    fault: "a relayed STOPPED leaves the indicator to expire later",
    patches: [
      p(
        TYPING,
        "      if (indicator !== undefined) this.drop(indicator);\n      return;",
        "      return;",
      ),
    ],
  },
  {
    id: "fresher-started-does-not-refresh",
    breaks: "REQ-12.26",
    fault: "a fresher STARTED does not push the indicator's expiry back",
    patches: [p(TYPING, "      indicator.startedAt = this.options.now();\n", "")],
  },
  // Survives, equivalent on the wire: the notice for a version 1 user (and its expiry) is refused by
  // SessionParticipant.deliver, the last line of REQ-12.3, and never sent (conformance/README.md).
  {
    id: "typing-to-version-1-user",
    breaks: "REQ-12.22",
    fault: "a typing notice for a version 1 user is counted as delivered and its expiry armed",
    patches: [
      p(
        FAN_OUT,
        "if (recipient === undefined || formForVersion(pdu, recipient.version) === undefined)\n            return 0;",
        'if (recipient === undefined) return 0;\n          if (audience.kind === "namedUser" && formForVersion(pdu, recipient.version) === undefined)\n            return 0;',
      ),
    ],
  },
  // --- version 2: presence (§12.8) ---
  // Survives, equivalent: a session subscribes only after its own ONLINE and unsubscribes before its
  // own OFFLINE, so the guard this removes never decides anything (conformance/README.md).
  {
    id: "presence-to-self",
    breaks: "REQ-12.30",
    fault: "a subscriber is told of its own logins and ends",
    patches: [p("server/presence-hub.ts", "      if (subscriber === about) continue;\n", "")],
  },
  {
    id: "presence-off-ignored",
    breaks: "REQ-12.31",
    fault: "PRESENCE_SUBSCRIBE OFF does not unsubscribe",
    patches: [p("server/presence-hub.ts", "    else this.subscribers.delete(participant);", "")],
  },
  {
    id: "no-offline",
    breaks: "REQ-12.30",
    fault: "OFFLINE is never announced",
    patches: [
      p(
        PARTICIPATION,
        '        return announce(registries, participant, "OFFLINE");',
        "        return;",
      ),
    ],
  },
  {
    id: "version-1-logins-not-announced",
    breaks: "REQ-12.30",
    fault: "ONLINE is announced for version 2 logins only",
    patches: [
      p(
        PARTICIPATION,
        '  return whenReady(registries.directory.add(participant), () =>\n    announce(registries, participant, "ONLINE"),\n  );',
        '  return whenReady(registries.directory.add(participant), () =>\n    participant.version >= 2 ? announce(registries, participant, "ONLINE") : undefined,\n  );',
      ),
    ],
  },
  {
    id: "refused-login-announced",
    breaks: "REQ-12.30",
    fault: "ONLINE is announced for a login refused ALREADY_LOGGED_IN",
    patches: [
      p(
        LOGIN,
        '    session.log.info({ user: username, reason: "ALREADY_LOGGED_IN" }, "login rejected");',
        '    session.log.info({ user: username, reason: "ALREADY_LOGGED_IN" }, "login rejected");\n    session.shared.presence.announce({ user: username } as never, "ONLINE");',
      ),
    ],
  },
];
