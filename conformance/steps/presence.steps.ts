/**
 * Presence (spec/README.md §12.8): PRESENCE_EVENT ONLINE and OFFLINE to the sessions that subscribed,
 * once per login and per session end, for version 1 users too; nothing to anyone else, and no reply to
 * PRESENCE_SUBSCRIBE.
 */
import { Then, When } from "@cucumber/cucumber";
import type { PresenceModeName, PresenceStatusName } from "../../generated/index.ts";
import type { ClientSession } from "../support/client-session.ts";
import { blame } from "../support/conformance-failure.ts";
import { sessionEndDeadline } from "../support/session-end.ts";
import type { ParrotWorld } from "../support/world.ts";

When(
  "{string} sends PRESENCE_SUBSCRIBE {word}",
  function (this: ParrotWorld, name: string, enabled: string) {
    const session = this.session(name);
    session.peer.send({
      type: "PRESENCE_SUBSCRIBE",
      version: session.headerVersion,
      enabled: enabled as PresenceModeName,
    });
  },
);

async function receivePresence(
  this: ParrotWorld,
  names: string | string[],
  status: string,
  user: string,
): Promise<void> {
  await Promise.all(
    [names]
      .flat()
      .map((name) => expectPresence(this.session(name), user, status as PresenceStatusName)),
  );
}
Then("{string} receives PRESENCE_EVENT {word} for {string}", receivePresence);
Then("{connections} each receive PRESENCE_EVENT {word} for {string}", receivePresence);

// REQ-12.30: OFFLINE "when the session holding that user's login ends", so no later than the login is
// freed (support/session-end.ts).
async function receiveOffline(
  this: ParrotWorld,
  names: string | string[],
  user: string,
  endedName: string,
): Promise<void> {
  const deadline = sessionEndDeadline(this.session(endedName), this.parameters);
  this.requireWait(deadline - this.now(), "waiting for the server to notice a closed connection");
  // Pinned on REQ-12.30 also where a scenario about something else needs the OFFLINE to go on.
  await blame("REQ-12.30", async () => {
    await Promise.all(
      [names]
        .flat()
        .map((name) =>
          expectPresence(this.session(name), user, "OFFLINE", Math.max(0, deadline - this.now())),
        ),
    );
  });
}
Then(
  "{string} receives PRESENCE_EVENT OFFLINE for {string} once the session of {string} has ended",
  receiveOffline,
);
Then(
  "{connections} each receive PRESENCE_EVENT OFFLINE for {string} once the session of {string} has ended",
  receiveOffline,
);

async function expectPresence(
  session: ClientSession,
  user: string,
  status: PresenceStatusName,
  timeoutMs?: number,
): Promise<void> {
  await session.awaitPdu(
    "PRESENCE_EVENT",
    (event) => event.user === user && event.status === status,
    `PRESENCE_EVENT ${status} for ${user}`,
    timeoutMs,
  );
}
