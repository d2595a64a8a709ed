/**
 * report.html, read the way a browser reads it (parse5, the HTML standard's parser), without a
 * browser: it leads with the verdict, the target and the spec; every requirement has a matrix row with
 * its verdict and a link to its spec section; a failed scenario is linked to its details, which hold
 * the failure and the transcripts; and whatever the server sent is text on the page, never markup.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type DefaultTreeAdapterTypes, parse } from "parse5";
import { renderHtmlReport } from "../../conformance/report/html-report.ts";
import { buildReport, type ScenarioResult } from "../../conformance/support/results.ts";
import { readSpecRequirements } from "../../conformance/support/spec-requirements.ts";

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const HOSTILE = `<script>alert("pwned")</script><img src=x onerror=alert(1)>`;

function scenario(
  name: string,
  requirements: string[],
  verdict: ScenarioResult["verdict"],
  extra: Partial<ScenarioResult> = {},
): ScenarioResult {
  return {
    name,
    feature: "conformance/features/x.feature",
    tags: [...requirements.map((r) => `@${r}`), "@MUST"],
    level: "MUST",
    requirements,
    verdict,
    ...extra,
  };
}

function render(): Element {
  const report = buildReport(
    [
      scenario("PING gets its PONG", ["REQ-7.2"], "pass"),
      scenario("A silent session is closed", ["REQ-7.4"], "fail", {
        reason: `connection "A": closed too early\n\n← CHAT_ECHO v1 {"text":"${HOSTILE}"}`,
        transcripts: `connection "A":\n  ← ERROR v1 {"text":"${HOSTILE}"}`,
      }),
      scenario(`Echoes ${HOSTILE}`, ["REQ-6.1"], "fail", {
        reason: "[REQ-4.9] wrong header",
        blame: "REQ-4.9",
      }),
      scenario("Typing expiry", ["REQ-12.25"], "unsupported", { reason: "needs version 2" }),
    ],
    readSpecRequirements(),
    { target: "127.0.0.1:55667", strict: false, tags: "", filtered: true },
    [{ requirement: "REQ-4.9", reason: HOSTILE, link: "javascript:alert(1)" }],
  );
  const html = renderHtmlReport(report, {
    specVersions: [1, 2],
    specDigest: "sha256 0123456789ab",
    specHref: "../../spec/README.md",
    generatedAt: new Date("2026-12-01T20:00:00Z"),
  });
  return parse(html) as unknown as Element;
}

function all(node: Node, match: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  const visit = (n: Node) => {
    if ("tagName" in n && match(n)) found.push(n);
    const children = "childNodes" in n ? n.childNodes : [];
    for (const child of children) visit(child);
    if ("content" in n && n.content) visit(n.content as Node);
  };
  visit(node);
  return found;
}
const byTag = (root: Node, tag: string) => all(root, (e) => e.tagName === tag);
const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
const byId = (root: Node, id: string) => {
  const [element] = all(root, (e) => attr(e, "id") === id);
  assert.ok(element, `no element with id ${id}`);
  return element;
};
function text(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterTypes.TextNode).value;
  return ("childNodes" in node ? node.childNodes : []).map(text).join("");
}

describe("report.html", () => {
  const page = render();

  test("leads with the verdict, the target and the spec version", () => {
    const [title] = byTag(page, "title");
    assert.ok(title);
    assert.equal(text(title), "Parrot conformance: Does NOT conform — 127.0.0.1:55667");
    const header = byId(page, "verdict");
    assert.match(text(header), /^\s*Does NOT conform 127\.0\.0\.1:55667/);
    assert.match(text(header), /1 MUST requirement\(s\) failed: REQ-7\.4\./);
    const facts = Object.fromEntries(
      byTag(page, "tr")
        .filter((row) => byTag(row, "th").length === 1 && byTag(row, "td").length === 1)
        .map((row) => [text(byTag(row, "th")[0]!), text(byTag(row, "td")[0]!)]),
    );
    assert.equal(facts.Target, "127.0.0.1:55667");
    assert.equal(facts.Spec, "Parrot protocol versions 1, 2 (spec/README.md sha256 0123456789ab)");
  });

  test("a matrix row per requirement, with its verdict and a link to its spec section", () => {
    const verdicts = Object.fromEntries(
      ["REQ-4.9", "REQ-6.1", "REQ-7.2", "REQ-7.4", "REQ-12.25"].map((id) => {
        const row = byId(page, id);
        const [badge] = all(row, (e) => (attr(e, "class") ?? "").startsWith("badge"));
        return [id, text(badge!)];
      }),
    );
    assert.deepEqual(verdicts, {
      "REQ-4.9": "expected fail",
      "REQ-6.1": "unsupported",
      "REQ-7.2": "pass",
      "REQ-7.4": "fail",
      "REQ-12.25": "unsupported",
    });
    const [specLink] = byTag(byId(page, "REQ-7.4"), "a");
    assert.equal(attr(specLink!, "href"), "../../spec/README.md#71-keep-alive");
    const chapters = all(page, (e) => attr(e, "class") === "chapter").map((e) => text(e));
    assert.deepEqual(chapters, [
      "§4. Version negotiation",
      "§6. Chat",
      "§7. Keep-alive and timers",
      "§12. Protocol version 2",
    ]);
  });

  test("a failed scenario links to its details: the failure and every transcript", () => {
    const links = byTag(byId(page, "REQ-7.4"), "a").filter((a) =>
      attr(a, "href")?.startsWith("#scenario-"),
    );
    assert.equal(links.length, 1);
    const details = byId(page, attr(links[0]!, "href")!.slice(1));
    assert.equal(text(byTag(details, "h3")[0]!), "A silent session is closed");
    const [reason, transcripts] = byTag(details, "pre");
    assert.match(text(reason!), /closed too early/);
    assert.match(text(transcripts!), /← ERROR v1/);
    assert.equal(
      all(details, (e) => e.tagName === "a" && attr(e, "href") === "#REQ-7.4").length,
      1,
      "the details link back to the requirement",
    );
  });

  test("what the server sent is text, never markup", () => {
    assert.deepEqual(byTag(page, "script"), []);
    assert.deepEqual(byTag(page, "img"), []);
    assert.ok(all(page, (e) => e.attrs.some((a) => a.name.startsWith("on"))).length === 0);
    const details = byId(page, "scenario-2");
    assert.ok(text(details).includes(HOSTILE), "the server's text is shown as it was");
    const hostileName = byTag(page, "h3").map(text);
    assert.ok(hostileName.includes(`Echoes ${HOSTILE}`));
    const expectedLinks = byTag(byId(page, "expected"), "a").map((a) => attr(a, "href"));
    assert.deepEqual(expectedLinks, ["#"], "a javascript: link became a link");
  });
});
