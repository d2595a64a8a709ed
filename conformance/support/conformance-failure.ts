/**
 * The error a step throws when the server did not do what the spec requires. Its message says what was
 * expected and what happened instead, then shows the transcripts of the connections involved, so the
 * report alone is enough to see what the server did.
 */
import type { Transcript } from "./transcript.ts";

export class ConformanceFailure extends Error {
  override name = "ConformanceFailure";

  constructor(message: string, transcripts: readonly Transcript[] = []) {
    super([message, ...transcripts.map((transcript) => transcript.format())].join("\n\n"));
  }
}
