/**
 * Looks at report.html in a real browser and saves a screenshot: the check that the page reads well,
 * and the picture in conformance/README.md. Not part of `make test` (it needs Chromium); the report's
 * content is tested without a browser (test/conformance/html-report.test.ts).
 *
 *   node --import tsx conformance/report/screenshot.ts [REPORT.html] [OUT.png]
 *
 * Defaults: conformance/reports/report.html → conformance/report-screenshot.png. Chromium comes from
 * CHROMIUM or /usr/bin/chromium (Debian: apt-get install chromium), driven by playwright-core.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { CONFORMANCE_DIR } from "../support/cucumber-config.ts";

const report = resolve(process.argv[2] ?? `${CONFORMANCE_DIR}/reports/report.html`);
const out = resolve(process.argv[3] ?? `${CONFORMANCE_DIR}/report-screenshot.png`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(pathToFileURL(report).href);
  await page.screenshot({ path: out });
  process.stdout.write(`${out}\n`);
} finally {
  await browser.close();
}
