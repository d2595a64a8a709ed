/**
 * Builds the web client into web/dist/: the bundle of src/main.ts and the stylesheet, each named
 * by a hash of its content (so the server may let browsers cache them for good), and index.html
 * pointing at them (never cached). Run by `make web`, and by `make server` when dist is missing.
 *
 * The bundle includes the generated codec; "node:buffer", its only Node.js import, is replaced
 * by src/node-buffer-shim.ts (the `buffer` package plus what the codec needs of Node's Buffer),
 * which also stands in for the global `Buffer` that shared modules use.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const WEB_DIST = here("./dist/");

function hashed(name: string, extension: string, content: string): string {
  const digest = createHash("sha256").update(content).digest("hex").slice(0, 12);
  return `${name}-${digest}.${extension}`;
}

export async function buildWebClient(outDir = WEB_DIST): Promise<void> {
  const bundle = await build({
    entryPoints: [here("./src/main.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    alias: { "node:buffer": here("./src/node-buffer-shim.ts") },
    // The terminal client's modules use the global Buffer (Buffer.byteLength) too.
    inject: [here("./src/node-buffer-shim.ts")],
    logLevel: "warning",
  });
  const script = bundle.outputFiles[0]!.text;
  const style = await readFile(here("./style.css"), "utf8");
  const scriptName = hashed("app", "js", script);
  const styleName = hashed("style", "css", style);
  const page = (await readFile(here("./index.html"), "utf8"))
    .replace("SCRIPT_ASSET", `/assets/${scriptName}`)
    .replace("STYLE_ASSET", `/assets/${styleName}`);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(`${outDir}/assets`, { recursive: true });
  await writeFile(`${outDir}/assets/${scriptName}`, script);
  await writeFile(`${outDir}/assets/${styleName}`, style);
  await writeFile(`${outDir}/index.html`, page);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildWebClient();
  process.stdout.write(`web client built in ${WEB_DIST}\n`);
}
