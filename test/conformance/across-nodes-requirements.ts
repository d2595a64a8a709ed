/**
 * The cluster's requirements (spec §13) that the suite judges (wire) need several targets: against
 * one server their scenarios (cluster.feature, tagged @cluster) are unsupported. The tests that
 * want every wire MUST judged on one server skip them; several-targets.test.ts judges them across
 * two real nodes.
 */
import { readSpecRequirements } from "../../conformance/support/spec-requirements.ts";

export const JUDGED_ACROSS_NODES_ONLY: ReadonlySet<string> = new Set(
  readSpecRequirements()
    .filter((requirement) => requirement.id.startsWith("REQ-13."))
    .map((requirement) => requirement.id),
);
