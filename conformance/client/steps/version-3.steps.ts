/**
 * Version 3 as the client lives it (spec §15.8): a room whose messages carry ids and times, a
 * connection the scripted server drops and the client's resume on the next one, history pages, and
 * what the client shows of each (the contract's version-3 output lines, conformance/README.md).
 */
import { Given, Then, When } from "@cucumber/cucumber";
import { Unsupported } from "../../support/unsupported.ts";
import type { ClientWorld } from "../support/client-world.ts";
import { shownTime } from "../support/scripted-room.ts";
import { serveVersion3 } from "../support/serve-version-3.ts";

function needsVersion3(world: ClientWorld): void {
  if (!world.parameters.v3) {
    throw new Unsupported("the client does not declare version 3 (--client-v3)");
  }
  world.offered = [1, 2, 3];
  world.serverVersions = [1, 2, 3];
}

Given("the client speaks version 3", function (this: ClientWorld) {
  needsVersion3(this);
});

Given("the client speaks version 3 and reconnects", function (this: ClientWorld) {
  needsVersion3(this);
  if (this.parameters.reconnectCommand === null) {
    throw new Unsupported(
      "the client declares no command that reconnects after a drop (--client-reconnect)",
    );
  }
  this.reconnecting = true;
});

Given(
  "the scripted server's pages hold at most {int} messages",
  function (this: ClientWorld, maxPage: number) {
    this.maxPage = maxPage;
  },
);

When("the client has joined {string}", async function (this: ClientWorld, room: string) {
  if (room !== this.room.name)
    throw new Error(`scenario bug: the scripted room is ${this.room.name}`);
  await serveVersion3(this, () => this.version3.member, `the client to join #${room}`);
});

When(
  /^user2 says (\d+) messages? in "([^"]*)"$/,
  function (this: ClientWorld, count: string, _room: string) {
    // While the client is away the messages are kept, as a server keeps them, for its resume.
    for (let i = 0; i < Number(count); i++) {
      const message = this.room.add();
      if (this.version3.member) this.session.send(this.room.live(message, this.session.version));
    }
  },
);

When(
  "the scripted server sends message {int} of {string} again",
  function (this: ClientWorld, seq: number, _room: string) {
    this.session.send(this.room.live(this.room.message(seq), this.session.version));
  },
);

When(
  "user2 sends the client the direct message {string}",
  function (this: ClientWorld, text: string) {
    this.session.send({
      type: "DIRECT_MESSAGE_V3",
      version: this.session.version,
      messageId: 77,
      from: "user2",
      epoch: 0x0badcafe,
      seq: 1,
      timeS: 1_796_162_381,
      timeMs: 8,
      text,
    });
  },
);

When("the scripted server drops the connection", async function (this: ClientWorld) {
  this.version3.member = false;
  this.version3.lastShownBeforeDrop = { epoch: this.room.epoch, seq: this.room.newestSeq };
  await this.dropAndAwaitReconnect();
});

When(
  "the scripted server has lost the history of {string}: a new epoch",
  function (this: ClientWorld, _room: string) {
    this.room.newEpoch();
  },
);

/** Whether a stdout line is `line`, or starts with it when `prefix`. */
function shows(world: ClientWorld, line: string, prefix = false): boolean {
  return world.client.stdoutLines.some((shown) =>
    prefix ? shown.startsWith(line) : shown === line,
  );
}

/** The line with `{time N}` replaced by the time of seq N as the contract writes it. */
function expand(line: string): string {
  return line.replace(/\{time (\d+)\}/g, (_match, seq: string) => shownTime(Number(seq)));
}

Then("the client shows the line {string}", async function (this: ClientWorld, line: string) {
  const wanted = expand(line);
  await serveVersion3(this, () => shows(this, wanted), `the client to show the line "${wanted}"`);
});

Then(
  "the client shows a line starting with {string}",
  async function (this: ClientWorld, line: string) {
    await serveVersion3(this, () => shows(this, line, true), `a line starting with "${line}"`);
  },
);

Then(
  "the client has shown the line {string} exactly once",
  function (this: ClientWorld, line: string) {
    const wanted = expand(line);
    const times = this.client.stdoutLines.filter((shown) => shown === wanted).length;
    if (times !== 1) {
      this.session.fail(
        `the client showed "${wanted}" ${times} times\n\n${this.client.describe()}`,
        "REQ-15.17",
      );
    }
  },
);

Then(
  "the client resumes {string} from the last message it showed",
  async function (this: ClientWorld, room: string) {
    const asked = this.version3;
    const joinsBefore = asked.joins;
    await serveVersion3(
      this,
      () => asked.resumes.length > 0 || asked.joins > joinsBefore,
      `the client to join #${room} again`,
    );
    const resume = asked.resumes[0];
    if (resume === undefined) {
      return this.session.fail(
        `the client joined #${room} again with ROOM_JOIN, not ROOM_RESUME: what it missed is lost`,
        "REQ-15.25",
      );
    }
    // The scenario drops the connection right after the client showed the newest message.
    const last = this.version3.lastShownBeforeDrop;
    if (resume.room !== room || resume.epoch !== last.epoch || resume.seq !== last.seq) {
      this.session.fail(
        `the client resumed #${resume.room} from epoch ${resume.epoch} seq ${resume.seq}; the last message it showed there was epoch ${last.epoch} seq ${last.seq}`,
        "REQ-15.25",
      );
    }
  },
);

Then(
  "every history request of the client asks for at most {int} messages",
  function (this: ClientWorld, most: number) {
    const asked = this.version3.history;
    const over = asked.filter((request) => request.limit > most);
    if (over.length > 0) {
      this.session.fail(
        `the server's SESSION_INFO says a page holds at most ${most} messages, but the client asked for ${over.map((request) => request.limit).join(", ")}`,
        "REQ-15.27",
      );
    }
  },
);

Then("the client logs out once its input ends", async function (this: ClientWorld) {
  this.client.endInput();
  this.keepInputOpen = false;
  const session = this.session;
  await serveVersion3(this, () => session.peer.closed, "the client to log out and close");
  if (!session.received.some((event) => event.pdu.type === "LOGOUT")) {
    session.fail("the client closed the connection without a LOGOUT once its input ended");
  }
  const exit = await this.client.waitForExit(this.parameters.replyTimeoutMs);
  if (exit?.code !== 0) {
    session.fail(
      `the session went well, but the client exited ${exit?.signal ?? exit?.code ?? "not at all"}, not 0\n\n${this.client.describe()}`,
    );
  }
});
