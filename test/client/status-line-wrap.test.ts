// The "user2 is typing…" status line when what the user types wraps past the terminal's width
// (issue 12): the client runs on a real pseudo-terminal of 40 columns, and what it wrote is played
// into a terminal emulator (@xterm/headless) to see the screen a person would see.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import xterm from "@xterm/headless";
import type { ClientSession } from "../../client/client-session.ts";
import { connectSession } from "../../client/connect-session.ts";
import { TypingSender } from "../../client/typing-sender.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { hasScript, TerminalSession } from "./terminal-session.ts";

const SIZE = { cols: 40, rows: 12 };

let target: RunningParrotServer;

before(async () => {
  target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS });
});

after(async () => {
  await target?.close();
});

/** The screen rows (scrollback included) after `output` is played into a terminal of SIZE. */
async function screenRows(output: string): Promise<string[]> {
  const screen = new xterm.Terminal({ ...SIZE, allowProposedApi: true });
  await new Promise<void>((resolve) => screen.write(output, resolve));
  const buffer = screen.buffer.active;
  const rows: string[] = [];
  for (let row = 0; row < buffer.length; row += 1) {
    rows.push(buffer.getLine(row)?.translateToString(true) ?? "");
  }
  return rows;
}

describe("interactive status line", {
  skip: !hasScript && "util-linux script is not installed",
}, () => {
  test("is taken away when typing stops, also after the input wrapped past the width", async () => {
    const terminal = new TerminalSession(
      ["-s", "127.0.0.1", "-p", String(target.address.port), "-u", "heidi"],
      SIZE,
    );
    let peer: ClientSession | undefined;
    try {
      await terminal.waitFor("password: ");
      terminal.type("heidi-pw\r");
      await terminal.waitFor("heidi> ");
      peer = await connectSession({ host: "127.0.0.1", port: target.address.port });
      await peer.negotiate([2]);
      await peer.login("grace", "grace-pw");
      const session = peer;
      // Paced as the server's rate limit wants, so neither TYPING is refused.
      const typing = new TypingSender((signal) => session.requests.typing(signal));
      const toHeidi = { kind: "USER", name: "heidi" } as const;

      typing.push({ target: toHeidi, state: "STARTED" });
      await terminal.waitFor("grace is typing");
      // 7 columns of prompt and 60 of text: the line wraps onto a second row.
      const typed = "x".repeat(30) + "y".repeat(30);
      terminal.type(typed);
      await terminal.waitFor("y".repeat(10));
      // A line printed while the status shows and the input has wrapped...
      peer.requests.directSend("heidi", "first");
      await terminal.waitFor("first");
      // ...then typing stops; the DM after the STOPPED arrives after it (REQ-2.9).
      typing.push({ target: toHeidi, state: "STOPPED" });
      await typing.flushed();
      peer.requests.directSend("heidi", "second");
      await terminal.waitFor("second");
      // The prompt, with what was typed, is drawn again under it.
      await terminal.waitFor("y".repeat(30));

      const rows = await screenRows(terminal.output);
      assert.ok(
        !rows.some((row) => row.includes("is typing")),
        `no status line left on the screen:\n${rows.join("\n")}`,
      );
      const promptRow = rows.findIndex((row) => row.startsWith("heidi> "));
      // Version 3 puts the server's time (local hh:mm:ss) in front of a live message.
      assert.match(
        rows[promptRow - 1]!,
        /^\d\d:\d\d:\d\d \[dm from grace\] second$/,
        rows.join("\n"),
      );
      assert.equal(rows[promptRow]! + rows[promptRow + 1]!, `heidi> ${typed}`);
    } finally {
      terminal.type("\x03");
      terminal.type("\x03");
      await terminal.exitCode;
      await peer?.logout().catch(() => {});
    }
  });
});
