/**
 * The error a step throws when the server did not do what the spec requires. Its message says what was
 * expected and what happened instead, then shows the transcripts of the connections involved, so the
 * report alone is enough to see what the server did.
 *
 * A failure may blame one requirement: checks that run in every scenario (header versions, frames the
 * codec rejects, a bystander that stops being served) name the requirement they check, so the report
 * pins the failure on it instead of on whatever the scenario was about. The blame travels in the
 * message as a leading "[REQ-x.y]", which results.ts reads back from cucumber's message stream.
 */
import type { Transcript } from "./transcript.ts";

export class ConformanceFailure extends Error {
  override name = "ConformanceFailure";
  readonly requirement: string | undefined;
  private readonly body: string;

  constructor(message: string, transcripts: readonly Transcript[] = [], requirement?: string) {
    const body = [message, ...transcripts.map((transcript) => transcript.format())].join("\n\n");
    super(requirement ? `[${requirement}] ${body}` : body);
    this.body = body;
    this.requirement = requirement;
  }

  /** The same failure blamed on `requirement`, unless a more specific check already blamed another. */
  blaming(requirement: string): ConformanceFailure {
    if (this.requirement) return this;
    const failure = new ConformanceFailure(this.body, [], requirement);
    failure.stack = this.stack;
    return failure;
  }
}

/** The requirement a failure message blames, if any. */
export function blamedRequirement(message: string): string | undefined {
  return /^(?:ConformanceFailure: )?\[(REQ-\d+\.\d+)\]/.exec(message)?.[1];
}

/** Runs `check`; a failure it throws is blamed on `requirement` (see above). */
export async function blame(requirement: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    throw error instanceof ConformanceFailure ? error.blaming(requirement) : error;
  }
}
