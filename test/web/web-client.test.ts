// The web client in a real headless Chromium (Debian's `chromium`, driven by playwright-core),
// served by `parrot server --ws-port`: two pages and one terminal-side peer chat in a room, a DM
// arrives, typing shows and clears, text stays text, a second login of the same user is refused
// with the spec's text, a page whose server went away reconnects, and a page whose connection
// drops while another user talks in its room reconnects and shows exactly what it missed, marked,
// with the server's times. Screenshots of the main screens go to web/screenshots/ (linked from
// README.md). Without Chromium the test says so and
// skips (apt-get install chromium).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import type { Pdu } from "../../generated/index.ts";
import { type ParrotProcess, startServerProcess } from "../../tools/launch/parrot-process.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { buildWebClient } from "../../web/build.ts";
import { CuttingProxy } from "../client/cutting-proxy.ts";
import { RawPeer } from "../server/raw-peer.ts";

const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
const SCREENSHOTS = fileURLToPath(new URL("../../web/screenshots/", import.meta.url));
const missing = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM} (apt-get install chromium): the browser tests are skipped`;
if (missing !== false) process.stdout.write(`# ${missing}\n`);

let usersFile: string;
let server: ParrotProcess & { address: { host: string; port: number; transport: string } };
let wsPort: number;
let browser: Browser;

async function startServer(port: number): Promise<void> {
  server = await startServerProcess(
    ["-l", "127.0.0.1", "-p", "0", "--ws-port", String(port), "--users", usersFile],
    {},
  );
  wsPort = await new Promise<number>((resolve) => {
    const look = () => /listening on 127\.0\.0\.1:(\d+) \(ws\)/.exec(server.stdout());
    const found = look();
    if (found !== null) return resolve(Number(found[1]));
    server.child.stdout!.on("data", () => {
      const match = look();
      if (match !== null) resolve(Number(match[1]));
    });
  });
}

async function stopServer(): Promise<void> {
  server.child.kill("SIGTERM");
  await server.exited;
}

async function openPage(width = 1000, port = wsPort): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 700 } });
  page.on("pageerror", (error) => process.stdout.write(`# page error: ${error.message}\n`));
  await page.goto(`http://127.0.0.1:${port}/`);
  return page;
}

/** Reads the peer's PDUs until one that `wanted` accepts. */
async function until(peer: RawPeer, wanted: (pdu: Pdu) => boolean): Promise<Pdu> {
  for (;;) {
    const event = await peer.next();
    if (event.kind !== "pdu") throw new Error(`the peer's connection ended: ${peer.describe()}`);
    if (wanted(event.pdu)) return event.pdu;
  }
}

async function logIn(page: Page, user: string, password: string): Promise<void> {
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.press("#password", "Enter");
}

async function say(page: Page, line: string): Promise<void> {
  await page.fill("#line", line);
  await page.press("#line", "Enter");
}

/** Waits until the message log shows a line containing `text`. */
async function logShows(page: Page, text: string): Promise<void> {
  await page.locator("#log li", { hasText: text }).first().waitFor();
}

before(async () => {
  if (missing !== false) return;
  await buildWebClient();
  await mkdir(SCREENSHOTS, { recursive: true });
  usersFile = await writeFastUsersFile();
  await startServer(0);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});
after(async () => {
  if (missing !== false) return;
  await browser?.close();
  await stopServer();
});

describe("the web client in Chromium", { skip: missing }, () => {
  test("the page is served with a CSP, index.html uncached, hashed assets cached", async () => {
    const page = await fetch(`http://127.0.0.1:${wsPort}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    assert.equal(page.headers.get("cache-control"), "no-cache");
    const script = /src="(\/assets\/app-[0-9a-f]+\.js)"/.exec(await page.text())?.[1];
    assert.ok(script);
    const asset = await fetch(`http://127.0.0.1:${wsPort}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
    assert.equal((await fetch(`http://127.0.0.1:${wsPort}/etc/passwd`)).status, 404);
  });

  test("two pages and a terminal peer: room chat, a DM, typing, text never HTML, one login per user", async () => {
    const alice = await openPage();
    await alice.screenshot({ path: `${SCREENSHOTS}login.png` });
    await logIn(alice, "user1", "pass1");
    await logShows(alice, "logged in as user1");
    assert.equal(await alice.locator("#login").isVisible(), false, "the login form is gone");
    const bob = await openPage(390);
    await logIn(bob, "user2", "pass2");
    await logShows(bob, "logged in as user2");
    const terminal = await RawPeer.connect(server.address);
    await terminal.negotiateAndLogin("user3", "pass3", [2]);

    await say(alice, "hello <b>echo</b>");
    await logShows(alice, "echo: hello <b>echo</b>");
    assert.equal(await alice.locator("#log b").count(), 0, "server text is never HTML");

    await say(alice, "/join lobby");
    await logShows(alice, "lobby");
    await say(bob, "/join lobby");
    await logShows(alice, "user2 joined");
    terminal.send({ type: "ROOM_JOIN", version: 2, requestId: 1, room: "lobby" });
    await logShows(bob, "user3 joined");
    await say(alice, "/room lobby");

    await alice.fill("#line", "typing in the lobb");
    await alice.type("#line", "y");
    await bob.locator("#typing", { hasText: "user1" }).waitFor();
    await bob.screenshot({ path: `${SCREENSHOTS}phone-typing.png` });
    await alice.press("#line", "Enter");
    await logShows(bob, "typing in the lobby");
    await bob.locator("#typing", { hasText: /^$/ }).waitFor();

    terminal.send({ type: "DIRECT_SEND", version: 2, messageId: 9, to: "user1", text: "psst" });
    await logShows(alice, "psst");
    await alice.locator("#online li", { hasText: "user3" }).waitFor();
    await alice.screenshot({ path: `${SCREENSHOTS}chat.png` });

    const twice = await openPage();
    await logIn(twice, "user1", "pass1");
    await twice
      .locator("#login-error", { hasText: "already logged in from another location" })
      .waitFor();
    await twice.close();

    for (const page of [alice, bob]) {
      await say(page, "/quit");
      await logShows(page, "logged out");
      await page.close();
    }
    await terminal.drain();
    await terminal.logout();
    await terminal.closed();
  });

  test("a page whose server goes away says so and reconnects when it is back", async () => {
    const page = await openPage();
    await logIn(page, "user1", "pass1");
    await logShows(page, "logged in as user1");
    const port = wsPort;
    await stopServer();
    await page.locator("#connection", { hasText: "retrying" }).waitFor();
    await startServer(port);
    await page.locator("#connection", { hasText: /^connected$/ }).waitFor({ timeout: 20_000 });
    await say(page, "back again");
    await logShows(page, "echo: back again");
    await page.close();
  });

  test("a page that drops out of a room shows exactly what it missed, marked, once back", async () => {
    // The page reaches the server through a relay the test can cut, and keep shut.
    const proxy = await CuttingProxy.start(wsPort);
    const page = await openPage(1000, proxy.port);
    const other = await RawPeer.connect(server.address);
    try {
      await other.negotiateAndLogin("user2", "pass2", [2]);
      other.send({ type: "ROOM_JOIN", version: 2, requestId: 1, room: "den" });
      let id = 10;
      const sayInDen = (text: string) =>
        other.send({ type: "ROOM_SAY", version: 2, messageId: id++, room: "den", text });
      sayInDen("before you came");
      await until(other, (pdu) => pdu.type === "ROOM_MESSAGE");
      await logIn(page, "user1", "pass1");
      await logShows(page, "logged in as user1");
      await say(page, "/join den");
      await say(page, "/room den");
      await logShows(page, "[#den] joined");
      sayInDen("before the drop");
      await logShows(page, "[#den user2] before the drop");

      proxy.refuseNew(true);
      proxy.cut("reset");
      await until(other, (pdu) => pdu.type === "ROOM_EVENT" && pdu.event === "LEFT");
      await page.locator("#connection", { hasText: "retrying" }).waitFor();
      const missed = ["while away <i>one</i>", "while away two"];
      for (const text of missed) sayInDen(text);
      for (const _ of missed) await until(other, (pdu) => pdu.type === "ROOM_MESSAGE");
      proxy.refuseNew(false);

      await page.locator("#connection", { hasText: /^connected$/ }).waitFor({ timeout: 60_000 });
      await logShows(page, "user1 joined #den");
      sayInDen("after the return");
      await logShows(page, "[#den user2] after the return");
      const replayed = await page.locator("#log li.replayed").allTextContents();
      assert.equal(replayed.length, missed.length, replayed.join("\n"));
      missed.forEach((text, i) => {
        assert.match(replayed[i]!, /^\d{1,2}:\d{2}:\d{2}/, "the server's time comes first");
        assert.ok(replayed[i]!.includes(`missed [#den user2] ${text}`), replayed[i]);
      });
      await page.locator("#log li.notice", { hasText: "2 message(s) missed in #den" }).waitFor();
      assert.equal(await page.locator("#log i").count(), 0, "server text is never HTML");
      const all = await page.locator("#log li").allTextContents();
      for (const text of ["before the drop", ...missed, "after the return"]) {
        assert.equal(all.filter((shown) => shown.includes(text)).length, 1, `"${text}" once`);
      }
      assert.equal(await page.locator("#log li.gap").count(), 0, "nothing was lost");
      await page.screenshot({ path: `${SCREENSHOTS}replayed.png` });

      await page.click("#earlier");
      await page.locator("#log li.earlier", { hasText: "before you came" }).waitFor();
      await say(page, "/quit");
      await logShows(page, "logged out");
    } finally {
      await page.close();
      other.destroy();
      await proxy.close();
    }
  });

  test("a page whose room lost its history sees that messages may be missing", async () => {
    const page = await openPage();
    const other = await RawPeer.connect(server.address);
    try {
      await logIn(page, "user1", "pass1");
      await logShows(page, "logged in as user1");
      await say(page, "/join attic");
      await logShows(page, "[#attic] joined");
      await other.negotiateAndLogin("user2", "pass2", [2]);
      other.send({ type: "ROOM_JOIN", version: 2, requestId: 1, room: "attic" });
      other.send({ type: "ROOM_SAY", version: 2, messageId: 2, room: "attic", text: "dusty" });
      await logShows(page, "[#attic user2] dusty");
      // A restart with history in memory: every conversation starts a new epoch (spec §15.6).
      const port = wsPort;
      other.destroy();
      await stopServer();
      await page.locator("#connection", { hasText: "retrying" }).waitFor();
      await startServer(port);
      await page.locator("#connection", { hasText: /^connected$/ }).waitFor({ timeout: 60_000 });
      await page.locator("#log li.gap", { hasText: "messages may be missing in #attic" }).waitFor();
      await say(page, "/quit");
      await logShows(page, "logged out");
    } finally {
      await page.close();
    }
  });
});
