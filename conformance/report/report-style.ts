/**
 * The stylesheet of report.html, inlined so the report is one file that opens anywhere (a CI
 * artefact, an e-mail attachment). Colours: green pass, red fail, amber expected fail, grey
 * unsupported; the verdict banner carries the run's colour.
 */
export const REPORT_STYLE = `
:root {
  --pass: #1a7f37; --pass-bg: #dafbe1;
  --fail: #cf222e; --fail-bg: #ffebe9;
  --xfail: #9a6700; --xfail-bg: #fff8c5;
  --unsup: #57606a; --unsup-bg: #eaeef2;
  --line: #d0d7de; --text: #1f2328; --muted: #59636e;
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--text); background: #f6f8fa; }
main { max-width: 1280px; margin: 0 auto; padding: 0 24px 48px; }
.verdict { padding: 28px 24px 22px; color: #fff; }
.verdict h1 { margin: 0 auto; max-width: 1232px; font-size: 32px; letter-spacing: 0.01em; }
.verdict h1 .target { font-weight: 400; font-size: 22px; opacity: 0.9; margin-left: 10px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.overview { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; margin-top: 20px; }
.overview > table { margin-top: 0; }
.overview .facts { flex: 1 1 520px; }
.verdict .explain { margin: 6px auto 0; max-width: 1232px; font-size: 16px; opacity: 0.95; }
.verdict .explain a { color: #fff; text-decoration: underline; }
.verdict.conforms { background: var(--pass); }
.verdict.fails { background: var(--fail); }
h2 { margin: 32px 0 12px; font-size: 20px; border-bottom: 1px solid var(--line); padding-bottom: 6px; }
table { border-collapse: collapse; background: #fff; }
.facts { margin-top: 20px; border: 1px solid var(--line); }
.facts th { text-align: left; padding: 5px 14px; color: var(--muted); font-weight: 600; white-space: nowrap; vertical-align: top; }
.facts td { padding: 5px 14px; word-break: break-word; }
.counts { margin-top: 16px; border: 1px solid var(--line); }
.counts th, .counts td { padding: 6px 14px; border-bottom: 1px solid var(--line); text-align: right; }
.counts th:first-child { text-align: left; }
.counts td.pass { color: var(--pass); font-weight: 700; }
.counts td.fail { color: var(--fail); font-weight: 700; }
.counts td.expected-fail { color: var(--xfail); font-weight: 700; }
.counts td.unsupported { color: var(--unsup); font-weight: 700; }
.counts td.none { color: #afb8c1; }
.matrix { width: 100%; border: 1px solid var(--line); }
.matrix th, .matrix td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
.matrix thead th { background: #f6f8fa; position: sticky; top: 0; }
.matrix tbody tr, .failure { scroll-margin-top: 44px; }
.matrix tr.chapter th { background: #eef1f4; font-size: 13px; letter-spacing: 0.02em; }
.matrix td.id { white-space: nowrap; font-weight: 600; }
.matrix td.id .section { display: block; font-weight: 400; color: var(--muted); font-size: 12px; }
.matrix tr.fail td:first-child { box-shadow: inset 4px 0 var(--fail); }
.matrix tr.expected-fail td:first-child { box-shadow: inset 4px 0 var(--xfail); }
.badge, .chip { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge { padding: 1px 10px; font-size: 13px; }
.pass.badge, .chip.pass { color: var(--pass); background: var(--pass-bg); }
.fail.badge, .chip.fail { color: var(--fail); background: var(--fail-bg); }
.expected-fail.badge, .chip.expected-fail { color: var(--xfail); background: var(--xfail-bg); }
.unsupported.badge, .chip.unsupported, .chip.inconclusive { color: var(--unsup); background: var(--unsup-bg); }
.glance { width: 100%; border: 1px solid var(--line); }
.glance th { text-align: left; padding: 6px 12px; width: 250px; font-weight: 600; font-size: 13px; border-bottom: 1px solid var(--line); vertical-align: top; }
.glance td { padding: 5px 8px; border-bottom: 1px solid var(--line); }
.cell { display: inline-block; min-width: 44px; margin: 2px; padding: 2px 6px; border-radius: 4px; text-align: center; font: 600 12px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #fff; }
a.cell:hover { text-decoration: none; filter: brightness(1.1); }
.cell.pass { background: var(--pass); }
.cell.fail { background: var(--fail); }
.cell.expected-fail { background: #d4a72c; color: #1f2328; }
.cell.unsupported { background: #8c959f; }
.cell.should { box-shadow: inset 0 0 0 2px rgba(255, 255, 255, 0.75); }
.legend { color: var(--muted); font-size: 12px; }
.legend .cell { min-width: 0; }
ul.scenarios { margin: 0; padding: 0; list-style: none; }
ul.scenarios li { margin: 1px 0; }
ul.scenarios .why { display: block; color: var(--muted); font-size: 12px; margin-left: 4px; }
.matrix details summary { font-size: 12px; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
.failure { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 6px; padding: 4px 16px 12px; margin: 14px 0; }
.failure.expected { border-left-color: var(--xfail); }
.failure h3 { margin: 10px 0 2px; font-size: 16px; }
.failure .where { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
pre { margin: 8px 0; padding: 10px 12px; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; overflow-x: auto; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
details summary { cursor: pointer; color: var(--muted); }
.expected { width: 100%; border: 1px solid var(--line); }
.expected th, .expected td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
.expected tr.unexpectedly-passed td:nth-child(2) { color: var(--fail); font-weight: 700; }
.expected tr.failed td:nth-child(2) { color: var(--xfail); font-weight: 700; }
`;
