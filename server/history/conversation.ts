/**
 * A conversation (spec §15.2): a room by its name, or the direct conversation of two users (an
 * unordered pair; a user's messages to itself are one too). Each has one history with its own
 * epoch and seq. `key` is the conversation's one string form, for maps and store keys: JSON of its
 * parts, because usernames may hold any character (a separator could be part of a name).
 */
export type Conversation =
  | { readonly kind: "room"; readonly room: string; readonly key: string }
  | { readonly kind: "direct"; readonly users: readonly [string, string]; readonly key: string };

export function roomConversation(room: string): Conversation {
  return { kind: "room", room, key: JSON.stringify(["room", room]) };
}

/** The same conversation whichever of the two is named first. */
export function directConversation(a: string, b: string): Conversation {
  // Compared as UTF-16 strings: any fixed order does, it only has to be the same every time.
  const users: [string, string] = a <= b ? [a, b] : [b, a];
  return { kind: "direct", users, key: JSON.stringify(["direct", ...users]) };
}
