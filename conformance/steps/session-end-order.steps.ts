/**
 * REQ-12.39: an ended session's OFFLINE and LEFT reach every session before the same user's next
 * ONLINE and JOINED (spec/README.md §12.6, "Ending before freeing"). The next session needs the
 * login, and the login is freed only after those were sent, so a subscriber never hears of the new
 * session first. Judged on arrival order (`seq`), whatever else lies between.
 */
import { Then } from "@cucumber/cucumber";
import type { ClientSession } from "../support/client-session.ts";
import type { ParrotWorld } from "../support/world.ts";

// REQ-9.1: once the client has seen EOF after its LOGOUT (the "logs out" step waits for it), a new
// login of that user succeeds at the first try.
Then(
  "a connection {string} can log in as {string} once the LOGOUT's EOF has come",
  async function (this: ParrotWorld, name: string, user: string) {
    await this.loggedIn(name, user);
  },
);

Then(
  "{string} receives OFFLINE and LEFT in {string} for {string}, then its next ONLINE and JOINED",
  async function (this: ParrotWorld, name: string, room: string, user: string) {
    const watcher: ClientSession = this.session(name);
    const presence = async (status: "ONLINE" | "OFFLINE") =>
      (
        await watcher.awaitPdu(
          "PRESENCE_EVENT",
          (pdu) => pdu.user === user && pdu.status === status,
          `PRESENCE_EVENT ${status} for ${user}`,
        )
      ).seq;
    const roomEvent = async (event: "JOINED" | "LEFT") =>
      (
        await watcher.awaitPdu(
          "ROOM_EVENT",
          (pdu) => pdu.user === user && pdu.room === room && pdu.event === event,
          `ROOM_EVENT ${event} for ${user} in ${room}`,
        )
      ).seq;
    const offline = await presence("OFFLINE");
    const left = await roomEvent("LEFT");
    const online = await presence("ONLINE");
    const joined = await roomEvent("JOINED");
    const wrong = [
      offline > online ? "PRESENCE_EVENT OFFLINE came after the next session's ONLINE" : "",
      left > online ? "ROOM_EVENT LEFT came after the next session's ONLINE" : "",
      left > joined ? "ROOM_EVENT LEFT came after the next session's JOINED" : "",
    ].filter((text) => text !== "");
    if (wrong.length > 0) {
      watcher.fail(`for ${user}: ${wrong.join("; ")}`, [], "REQ-12.39");
    }
  },
);
