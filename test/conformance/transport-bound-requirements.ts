/**
 * The scenarios of one binding (a feature tagged @websocket or @quic) are judged only when the
 * suite runs over that transport, and reported unsupported over any other. A run over TCP leaves
 * them out; these say which, and which requirements only they judge.
 */
import { listScenarios } from "../../conformance/support/scenario-catalogue.ts";

/** The feature tags of the bindings' own scenarios. */
export const TRANSPORT_TAGS = ["@websocket", "@quic"] as const;

/**
 * The requirements only the scenarios of the bindings `tags` cite: a run over another transport
 * cannot judge them. Default: every binding's (what a run over TCP leaves out).
 */
export async function judgedOnlyOver(
  tags: readonly string[] = TRANSPORT_TAGS,
): Promise<Set<string>> {
  const scenarios = await listScenarios();
  const requirementsOf = (scenarioTags: string[]) =>
    scenarioTags.filter((tag) => tag.startsWith("@REQ-")).map((tag) => tag.slice(1));
  const bound = (scenarioTags: string[]) => tags.some((tag) => scenarioTags.includes(tag));
  const elsewhere = new Set(
    scenarios.filter((s) => !bound(s.tags)).flatMap((s) => requirementsOf(s.tags)),
  );
  return new Set(
    scenarios
      .filter((s) => bound(s.tags))
      .flatMap((s) => requirementsOf(s.tags))
      .filter((id) => !elsewhere.has(id)),
  );
}
