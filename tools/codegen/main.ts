/**
 * `make generate`: spec/pdu.ksy + spec/protocol.json -> generated/, and the payload diagrams in
 * spec/README.md (the blocks between layout markers, see spec-readme-layouts.ts).
 *
 *   node --import tsx tools/codegen/main.ts [--spec DIR] [--out DIR]
 *
 * --spec and --out exist so tests can generate from a modified copy of spec/ into a temp dir. A
 * fault in the spec exits 1 with one line per problem, each naming the file and path at fault.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { buildCodecModel } from "./codec-model.ts";
import { emitClassification } from "./emit-classification.ts";
import { emitConstants } from "./emit-constants.ts";
import { emitDecode } from "./emit-decode.ts";
import { emitEncode } from "./emit-encode.ts";
import { emitHeaderChecks } from "./emit-header-checks.ts";
import { emitIndex } from "./emit-index.ts";
import { emitKaitai } from "./emit-kaitai.ts";
import { emitPduTypes } from "./emit-pdu-types.ts";
import { emitProtocol } from "./emit-protocol.ts";
import { formatTypeScript } from "./format-output.ts";
import { loadKsy } from "./ksy-loader.ts";
import { crossCheckProtocol } from "./protocol-crosscheck.ts";
import { loadProtocol } from "./protocol-loader.ts";
import { SpecError } from "./spec-error.ts";
import { rewriteLayouts } from "./spec-readme-layouts.ts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface GenerateOptions {
  specDir: string;
  outDir: string;
}

/** Paths inside the working directory read best relative (spec/pdu.ksy), others absolute. */
function show(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel === "" || rel.startsWith("..") ? p : rel;
}

/**
 * spec/README.md with its payload diagrams drawn from pdu.ksy, or undefined when the spec folder
 * has no README (a test's copy of the spec). Pure: reads the spec, writes nothing.
 */
export function specReadme(specDir: string): string | undefined {
  const path = join(specDir, "README.md");
  if (!existsSync(path)) return undefined;
  const ksyPath = join(specDir, "pdu.ksy");
  const codec = buildCodecModel(loadKsy(ksyPath, show(ksyPath)));
  return rewriteLayouts(readFileSync(path, "utf8"), codec, show(path));
}

/** Everything generated/ holds, by path relative to it. Pure: reads the spec, writes nothing. */
export async function generateFiles(specDir: string): Promise<Map<string, string>> {
  const ksyPath = join(specDir, "pdu.ksy");
  const ksy = loadKsy(ksyPath, show(ksyPath));
  const codec = buildCodecModel(ksy);
  const protocolPath = join(specDir, "protocol.json");
  const protocol = loadProtocol(
    protocolPath,
    join(specDir, "protocol.schema.json"),
    {
      messages: codec.messageTypeEnum.entries.map((e) => e.name),
      errors: codec.errorCodeEnum.entries.map((e) => e.name),
    },
    show(protocolPath),
  );
  crossCheckProtocol(protocol, codec, show(protocolPath));

  const files = new Map<string, string>([
    ["constants.ts", emitConstants(codec)],
    ["pdu-types.ts", emitPduTypes(codec)],
    ["header-checks.ts", emitHeaderChecks(codec)],
    ["encode.ts", emitEncode(codec)],
    ["decode.ts", emitDecode(codec)],
    ["protocol.ts", emitProtocol(protocol, codec)],
    ["classification.ts", emitClassification(protocol, codec)],
    ["index.ts", emitIndex()],
  ]);
  for (const [name, text] of files) files.set(name, formatTypeScript(name, text));
  // The Kaitai compiler gets the raw YAML, not our model: it is the independent reading.
  const kaitai = await emitKaitai(parseYaml(readFileSync(ksyPath, "utf8")));
  for (const [name, text] of kaitai) files.set(name, text);
  return files;
}

export async function generate(options: GenerateOptions): Promise<string[]> {
  const files = await generateFiles(options.specDir);
  const readme = specReadme(options.specDir);
  const written: string[] = [];
  for (const [name, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const path = join(options.outDir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(path);
  }
  const readmePath = join(options.specDir, "README.md");
  if (readme !== undefined && readme !== readFileSync(readmePath, "utf8")) {
    writeFileSync(readmePath, readme);
    written.push(readmePath);
  }
  return written;
}

function parseArgs(argv: readonly string[]): GenerateOptions {
  const options: GenerateOptions = { specDir: join(REPO, "spec"), outDir: join(REPO, "generated") };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === "--spec" || flag === "--out") && value !== undefined) {
      if (flag === "--spec") options.specDir = resolve(value);
      else options.outDir = resolve(value);
      i++;
    } else {
      throw new UsageError(`unknown argument ${flag}; usage: main.ts [--spec DIR] [--out DIR]`);
    }
  }
  return options;
}

class UsageError extends Error {}

async function main(): Promise<void> {
  try {
    const options = parseArgs(process.argv.slice(2));
    const written = await generate(options);
    console.log(
      `generated ${written.length} files in ${relative(process.cwd(), options.outDir) || "."}`,
    );
  } catch (e) {
    if (e instanceof SpecError || e instanceof UsageError) {
      console.error(e.message);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
