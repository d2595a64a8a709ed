/**
 * What counts as an accepted TYPING (REQ-12.40): every one that passed the rate limit, whatever came
 * next. Two TYPINGs in one write arrive far less than typingMinIntervalMs apart, so the second is
 * refused with RATE_LIMITED exactly when the first counted as accepted.
 */
import { When } from "@cucumber/cucumber";
import { encode, type TargetKindName } from "../../generated/index.ts";
import type { ParrotWorld } from "../support/world.ts";

When(
  "{string} sends, in one write, TYPING STARTED to the {word} {string} and then to the user {user}",
  function (this: ParrotWorld, name: string, kind: string, first: string, user: string) {
    const session = this.session(name);
    const version = session.headerVersion;
    const firstKind: TargetKindName = kind === "room" ? "ROOM" : "USER";
    session.peer.sendRaw(
      Buffer.concat([
        encode({ type: "TYPING", version, targetKind: firstKind, target: first, state: "STARTED" }),
        encode({ type: "TYPING", version, targetKind: "USER", target: user, state: "STARTED" }),
      ]),
      `TYPING STARTED to ${kind} ${JSON.stringify(first)} + TYPING STARTED to user ${JSON.stringify(user)}, one write`,
    );
  },
);
