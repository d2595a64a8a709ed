/**
 * Checks that protocol.json and pdu.ksy tell one story: the same messages and error codes, the same
 * payload limit, outcomes that are real status values, and flows that cannot contradict each other.
 * The schema cannot see across files, and these are the mistakes a protocol change is likely to make.
 */
import type { CodecModel } from "./codec-model.ts";
import type { ProtocolSpec, Role } from "./protocol-loader.ts";
import { SpecError } from "./spec-error.ts";

/** The message every receiver accepts in every state (globalRules.doc). */
export const PEER_ERROR_MESSAGE = "ERROR";

export function crossCheckProtocol(p: ProtocolSpec, codec: CodecModel, file: string): void {
  const problems: { at: string; problem: string }[] = [];
  const problem = (at: string, text: string) => problems.push({ at, problem: text });

  const ksyMessages = codec.messageTypeEnum.entries.map((e) => e.name);
  for (const name of ksyMessages) {
    if (!(name in p.messages))
      problem("/messages", `lacks ${name}, which pdu.ksy enum message_type defines`);
  }
  for (const name of Object.keys(p.messages)) {
    if (!ksyMessages.includes(name))
      problem(`/messages/${name}`, "is not in pdu.ksy enum message_type");
  }
  const ksyErrors = codec.errorCodeEnum.entries.map((e) => e.name);
  for (const name of ksyErrors) {
    if (!(name in p.errors))
      problem("/errors", `lacks ${name}, which pdu.ksy enum error_code defines`);
  }
  for (const name of Object.keys(p.errors)) {
    if (!ksyErrors.includes(name)) problem(`/errors/${name}`, "is not in pdu.ksy enum error_code");
  }

  if (p.limits.maxPayloadLength.value !== codec.maxPayloadLength) {
    problem(
      "/limits/maxPayloadLength/value",
      `is ${p.limits.maxPayloadLength.value} but pdu.ksy header.payload_length has valid max ${codec.maxPayloadLength}`,
    );
  }
  const versionCountMax = codec.fieldMax("version_request", "version_count");
  if (versionCountMax !== undefined && p.limits.maxVersionsOffered.value !== versionCountMax) {
    problem(
      "/limits/maxVersionsOffered/value",
      `is ${p.limits.maxVersionsOffered.value} but pdu.ksy version_request.version_count has valid max ${versionCountMax}`,
    );
  }

  // A history page's announced size and the page size a server may advertise share one limit (v3).
  for (const [message, field] of [
    ["history_page", "item_count"],
    ["session_info", "max_page"],
  ] as const) {
    const max = codec.fieldMax(message, field);
    if (max !== undefined && max !== p.limits.maxHistoryPage.value) {
      problem(
        "/limits/maxHistoryPage/value",
        `is ${p.limits.maxHistoryPage.value} but pdu.ksy ${message}.${field} has valid max ${max}`,
      );
    }
  }

  // Every list of names (ROOM_LIST.rooms, WHO_LIST.names) is bounded by the same limit.
  for (const m of codec.messages) {
    for (const f of m.fields) {
      if (f.kind !== "strlist") continue;
      const max = f.countField.max;
      if (max !== p.limits.maxListEntries.value) {
        problem(
          "/limits/maxListEntries/value",
          `is ${p.limits.maxListEntries.value} but pdu.ksy ${m.name.toLowerCase()}.${f.countField.id} has valid max ${max ?? "(none)"}`,
        );
      }
    }
  }

  try {
    new RegExp(p.patterns.roomName.regex);
  } catch (e) {
    problem("/patterns/roomName/regex", `is not a regular expression: ${(e as Error).message}`);
  }

  const versions = p.versions.map((v) => v.version);
  versions.forEach((v, i) => {
    if (versions.indexOf(v) !== i) problem(`/versions/${i}/version`, `duplicate version ${v}`);
  });
  for (const [name, rule] of Object.entries(p.messages)) {
    if (!versions.includes(rule.since)) {
      problem(`/messages/${name}/since`, `${rule.since} is not a version listed in /versions`);
    }
  }
  const peerError = p.messages[PEER_ERROR_MESSAGE];
  if (
    peerError !== undefined &&
    (peerError.sender !== "both" || peerError.headerVersion !== "current")
  ) {
    problem(
      `/messages/${PEER_ERROR_MESSAGE}`,
      'must have sender "both" and headerVersion "current": every receiver accepts it in every state',
    );
  }

  const senderOf = (m: string) => p.messages[m]?.sender;
  const sends = (role: Role, m: string) => senderOf(m) === role || senderOf(m) === "both";
  const other = (role: Role): Role => (role === "client" ? "server" : "client");
  const handled = new Map<string, string>();
  const key = (r: string, s: string, m: string) => `${r}|${s}|${m}`;

  p.transitions.forEach((t, i) => {
    const at = `/transitions/${i}`;
    if (!sends(other(t.receiver), t.receives)) {
      problem(`${at}/receives`, `${t.receives} is never sent to a ${t.receiver}`);
    }
    if (t.replies !== null && !sends(t.receiver, t.replies)) {
      problem(`${at}/replies`, `a ${t.receiver} never sends ${t.replies}`);
    }
    (t.fanOut ?? []).forEach((f, j) => {
      if (!sends(t.receiver, f.sends)) {
        problem(`${at}/fanOut/${j}/sends`, `a ${t.receiver} never sends ${f.sends}`);
      }
    });
    const carrier = t.replies ?? t.receives;
    const allowed = outcomesOf(codec, carrier);
    if (!allowed.includes(t.outcome)) {
      problem(
        `${at}/outcome`,
        `must be one of ${allowed.join(", ")} (the status values of ${carrier}, its code if it is ${PEER_ERROR_MESSAGE}, or OK when it has no status)`,
      );
    }
    const k = key(t.receiver, t.state, t.receives);
    if (
      p.transitions.some(
        (u, j) => j < i && key(u.receiver, u.state, u.receives) === k && u.outcome === t.outcome,
      )
    ) {
      problem(
        at,
        `duplicates an earlier transition for ${t.receiver} in ${t.state} on ${t.receives} with outcome ${t.outcome}`,
      );
    }
    handled.set(k, at);
  });
  p.rejections.forEach((r, i) => {
    r.receives.forEach((m, j) => {
      const at = `/rejections/${i}/receives/${j}`;
      const k = key(r.receiver, r.state, m);
      const earlier = handled.get(k);
      if (earlier !== undefined) {
        problem(at, `${m} for ${r.receiver} in ${r.state} is already handled by ${earlier}`);
      }
      if (m === PEER_ERROR_MESSAGE) problem(at, `${PEER_ERROR_MESSAGE} is accepted in every state`);
      handled.set(k, at);
    });
  });

  p.serverEvents.forEach((e, i) => {
    if (p.serverEvents.findIndex((x) => x.event === e.event) !== i) {
      problem(`/serverEvents/${i}/event`, `duplicate event ${e.event}`);
    }
    e.fanOut.forEach((f, j) => {
      if (!sends("server", f.sends)) {
        problem(`/serverEvents/${i}/fanOut/${j}/sends`, `a server never sends ${f.sends}`);
      }
    });
  });

  if (problems.length > 0) throw SpecError.many(file, problems);
}

/**
 * Outcomes a transition whose outcome travels in `message` may name: its `status` enum, the error
 * code when it is ERROR (a refusal that is a transition, e.g. RATE_LIMITED), else OK.
 */
export function outcomesOf(codec: CodecModel, message: string): string[] {
  const m = codec.messages.find((x) => x.name === message);
  const field = message === PEER_ERROR_MESSAGE ? "code" : "status";
  const status = m?.fields.find((f) => f.kind === "int" && f.id === field);
  if (status?.kind === "int" && status.enumModel !== undefined) {
    return status.enumModel.entries.map((e) => e.name);
  }
  return ["OK"];
}
