/**
 * The planted-bug corpus of `make conformance-mutants`: realistic single faults in the reference
 * server, each naming the requirement it breaks. A fault is one or more exact text replacements in
 * one place of the logic (mutant-tree.ts applies them to a scratch copy); each is a bug someone could
 * write: an off-by-one, a check left out or done in the wrong order, a clock started at the wrong
 * moment, a comparison that folds case, a sort by UTF-16 units, a write reordered under backpressure.
 *
 * Keep each find string exact: a corpus that no longer matches the code fails before anything runs.
 */

import { CHAT_AND_TIMERS } from "./corpus/chat-and-timers.ts";
import { DIRECT_AND_ROOMS } from "./corpus/direct-and-rooms.ts";
import { FRAMING_AND_ERRORS } from "./corpus/framing-and-errors.ts";
import { LISTS_TYPING_PRESENCE } from "./corpus/lists-typing-presence.ts";
import { LOGIN_AND_LIFECYCLE } from "./corpus/login-and-lifecycle.ts";
import { NEGOTIATION } from "./corpus/negotiation.ts";
import { RULES_FIRST_PLANTED } from "./corpus/rules-first-planted.ts";
import type { Mutant } from "./corpus/shared.ts";
import { VERSION_3 } from "./corpus/version-3.ts";
import { WEBSOCKET_AND_VERSION_2 } from "./corpus/websocket-and-version-2.ts";

export type { Mutant } from "./corpus/shared.ts";

export const MUTANTS: Mutant[] = [
  ...FRAMING_AND_ERRORS,
  ...NEGOTIATION,
  ...LOGIN_AND_LIFECYCLE,
  ...CHAT_AND_TIMERS,
  ...DIRECT_AND_ROOMS,
  ...LISTS_TYPING_PRESENCE,
  ...RULES_FIRST_PLANTED,
  ...VERSION_3,
  ...WEBSOCKET_AND_VERSION_2,
];
