/**
 * The scenarios of one binding (a feature tagged @websocket or @quic) are judged only when the
 * suite runs over that transport, and reported unsupported over any other. A run over TCP leaves
 * them out; these say which, and which requirements only they judge.
 */
import { listScenarios } from "../../conformance/support/scenario-catalogue.ts";

/** The feature tags of the bindings' own scenarios. */
export const TRANSPORT_TAGS = ["@websocket", "@quic"] as const;

/** The requirements cited by binding scenarios and by no scenario that runs over every transport. */
export async function boundToOneTransport(): Promise<Set<string>> {
  const scenarios = await listScenarios();
  const requirementsOf = (tags: string[]) =>
    tags.filter((tag) => tag.startsWith("@REQ-")).map((tag) => tag.slice(1));
  const bound = (tags: string[]) => TRANSPORT_TAGS.some((tag) => tags.includes(tag));
  const everywhere = new Set(
    scenarios.filter((s) => !bound(s.tags)).flatMap((s) => requirementsOf(s.tags)),
  );
  return new Set(
    scenarios
      .filter((s) => bound(s.tags))
      .flatMap((s) => requirementsOf(s.tags))
      .filter((id) => !everywhere.has(id)),
  );
}
