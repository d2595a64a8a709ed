/**
 * Steps of version-stands.feature: after a refused VERSION_REQUEST, the session must still be what it
 * was (REQ-4.8): the same header version on every PDU (the round trips check it), the same login, and the
 * same version's rules for version 2 types.
 */
import { Then } from "@cucumber/cucumber";
import { acceptableAnswers } from "../support/later-version-answer.ts";
import type { ParrotWorld } from "../support/world.ts";

Then(
  "{string} is still served in protocol version {int}, logged in as before",
  async function (this: ParrotWorld, name: string, version: number) {
    const session = this.session(name);
    if (session.negotiatedVersion !== version) {
      throw new Error(`scenario bug: "${name}" negotiated ${session.negotiatedVersion}`);
    }
    await session.pingRoundTrip(session.takeToken(), `a PONG in header version ${version}`);
    await session.chatRoundTrip(11, "still logged in?");
    session.peer.send({ type: "LOGIN_REQUEST", version, username: "user2", password: "x" });
    await session.expectErrorReaction("ALREADY_AUTHENTICATED");
    const requestId = session.takeRequestId();
    session.peer.send({ type: "ROOM_LIST_REQUEST", version, requestId, offset: 0 });
    if (version >= 2) {
      const list = await session.expectPdu("ROOM_LIST", `ROOM_LIST ${requestId}`);
      if (list.requestId !== requestId) session.fail(`ROOM_LIST for ${list.requestId}`);
      return;
    }
    const allowed = acceptableAnswers(
      "ROOM_LIST_REQUEST",
      "UNSUPPORTED_IN_VERSION",
      await this.serverVersions(),
    );
    const error = await session.expectPdu("ERROR", `ERROR ${allowed.join(" or ")}`);
    if (!allowed.includes(error.code)) {
      session.fail(`expected ERROR ${allowed.join(" or ")}, got ERROR ${error.code}`);
    }
    await session.expectServed("the session to go on after a refusal that does not close");
  },
);
