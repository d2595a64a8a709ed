/**
 * ROOM_LIST and WHO_LIST (spec/README.md §12.6): which rooms exist and who is online or in a room,
 * sorted by bytes and paged by offset. support/paged-list.ts reads and judges whole lists.
 */
import { Then, When } from "@cucumber/cucumber";
import type { ClientSession } from "../support/client-session.ts";
import { awaitWhoList, judgeList, type PagedList, readWholeList } from "../support/paged-list.ts";
import { userOf } from "../support/room-membership.ts";
import type { ParrotWorld } from "../support/world.ts";

When("{string} reads the whole room list", async function (this: ParrotWorld, name: string) {
  this.lists.set(name, await readWholeList(this.session(name), "ROOM_LIST"));
});

When(
  "{string} reads the whole list of who is online",
  async function (this: ParrotWorld, name: string) {
    this.lists.set(name, await readWholeList(this.session(name), "WHO_LIST", ""));
  },
);

When(
  "{string} reads the whole member list of {string}",
  async function (this: ParrotWorld, name: string, room: string) {
    this.lists.set(name, await readWholeList(this.session(name), "WHO_LIST", room));
  },
);

Then(
  "the list {string} read is sorted, paged and counted as the spec says",
  function (this: ParrotWorld, name: string) {
    judgeList(this.session(name), listRead(this, name));
  },
);

Then("the list {string} read took more than one page", function (this: ParrotWorld, name: string) {
  const list = listRead(this, name);
  if (list.pages.length < 2) {
    this.session(name).fail(
      `expected a ${list.kind} longer than one page, got ${list.names.length} names in ${list.pages.length} page(s)`,
    );
  }
});

Then(
  "the list {string} read includes {names}",
  function (this: ParrotWorld, name: string, names: string[]) {
    expectIncluded(this.session(name), listRead(this, name), names);
  },
);

Then(
  "the list {string} read includes the load sessions",
  function (this: ParrotWorld, name: string) {
    expectIncluded(this.session(name), listRead(this, name), this.crowd.map(userOf));
  },
);

Then(
  "the list {string} read includes every room the load sessions are in",
  function (this: ParrotWorld, name: string) {
    const rooms = this.crowd.flatMap((member) => this.rooms.roomsOf(member));
    expectIncluded(this.session(name), listRead(this, name), rooms);
  },
);

Then(
  "the list {string} read does not include {names}",
  function (this: ParrotWorld, name: string, names: string[]) {
    const list = listRead(this, name);
    const present = names.filter((n) => list.names.includes(n));
    if (present.length > 0) {
      this.session(name).fail(
        `${list.kind} should not name ${JSON.stringify(present)}: ${JSON.stringify(list.names)}`,
      );
    }
  },
);

Then(
  "the list {string} read is exactly {names}",
  function (this: ParrotWorld, name: string, names: string[]) {
    const list = listRead(this, name);
    if (list.names.join("\n") !== names.join("\n")) {
      this.session(name).fail(
        `expected ${list.kind} ${JSON.stringify(names)}, got ${JSON.stringify(list.names)}`,
      );
    }
  },
);

// One WHO_REQUEST for a room whose members the scenario controls: all of them, exactly, on one page.
Then(
  "the members of {string} listed to {string} are {names}",
  async function (this: ParrotWorld, room: string, name: string, names: string[]) {
    const session = this.session(name);
    const requestId = session.takeRequestId();
    session.peer.send({
      type: "WHO_REQUEST",
      version: session.headerVersion,
      requestId,
      room,
      offset: 0,
    });
    const list = await awaitWhoList(session, requestId, `members of ${JSON.stringify(room)}`);
    if (
      list.status !== "OK" ||
      list.room !== room ||
      list.total !== names.length ||
      list.names.join("\n") !== names.join("\n")
    ) {
      session.fail(
        `expected WHO_LIST OK for ${JSON.stringify(room)} with total ${names.length} and the names ` +
          `${JSON.stringify(names)}, got ${list.status} for ${JSON.stringify(list.room)}, total ${list.total}, ` +
          `names ${JSON.stringify(list.names)}`,
      );
    }
  },
);

Then(
  "{string} asks who is in {string} and is told NO_SUCH_ROOM",
  async function (this: ParrotWorld, name: string, room: string) {
    const session = this.session(name);
    const requestId = session.takeRequestId();
    session.peer.send({
      type: "WHO_REQUEST",
      version: session.headerVersion,
      requestId,
      room,
      offset: 0,
    });
    const list = await awaitWhoList(session, requestId, `members of ${JSON.stringify(room)}`);
    if (
      list.status !== "NO_SUCH_ROOM" ||
      list.room !== room ||
      list.total !== 0 ||
      list.names.length > 0
    ) {
      session.fail(
        `expected WHO_LIST NO_SUCH_ROOM for ${JSON.stringify(room)} with total 0 and no names, got ` +
          `${list.status} for ${JSON.stringify(list.room)}, total ${list.total}, names ${JSON.stringify(list.names)}`,
      );
    }
  },
);

function listRead(world: ParrotWorld, name: string): PagedList {
  const list = world.lists.get(name);
  if (!list) throw new Error(`scenario bug: "${name}" has read no list`);
  return list;
}

function expectIncluded(session: ClientSession, list: PagedList, names: readonly string[]): void {
  const listed = new Set(list.names);
  const missing = names.filter((n) => !listed.has(n));
  if (missing.length > 0) {
    session.fail(
      `${list.kind} (${list.names.length} names) lacks ${missing.length} it should include: ` +
        `${JSON.stringify(missing.slice(0, 10))}${missing.length > 10 ? "..." : ""}`,
    );
  }
}
