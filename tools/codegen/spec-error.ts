/**
 * A fault in the spec files (not in the generator). It carries the file and the path inside it so
 * the person editing the spec is sent straight to the construct at fault, and `make generate` can
 * print it without a stack trace.
 *
 * Paths are YAML paths for pdu.ksy (`types.chat.seq[1].valid`) and JSON pointers for protocol.json
 * (`/transitions/3/next`).
 */
export class SpecError extends Error {
  readonly file: string;
  /** Path of the first problem. */
  readonly at: string;
  readonly problems: readonly { at: string; problem: string }[];

  constructor(file: string, at: string, problem: string) {
    super(format(file, at, problem));
    this.name = "SpecError";
    this.file = file;
    this.at = at;
    this.problems = [{ at, problem }];
  }

  /** Several problems found in one pass, one line each. */
  static many(file: string, problems: readonly { at: string; problem: string }[]): SpecError {
    const first = problems[0] ?? { at: "", problem: "invalid" };
    const e = new SpecError(file, first.at, first.problem);
    e.message = problems.map((p) => format(file, p.at, p.problem)).join("\n");
    (e as { problems: typeof problems }).problems = problems;
    return e;
  }
}

function format(file: string, at: string, problem: string): string {
  if (at === "") return `${file}: ${problem}`;
  // A JSON pointer reads as a sentence subject ("/x/next must be ..."); a YAML path as a label.
  return at.startsWith("/") ? `${file}: ${at} ${problem}` : `${file}: ${at}: ${problem}`;
}
