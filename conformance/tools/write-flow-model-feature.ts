/**
 * Writes conformance/features/flow-model.feature from spec/protocol.json (through the generated flow
 * tables). Run it after `make generate` whenever protocol.json changes:
 *   node --import tsx conformance/tools/write-flow-model-feature.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_DIR } from "../support/cucumber-config.ts";
import { FLOW_MODEL_FEATURE, renderFlowModelFeature } from "../support/flow-model-feature.ts";

writeFileSync(join(REPO_DIR, FLOW_MODEL_FEATURE), renderFlowModelFeature());
process.stdout.write(`wrote ${FLOW_MODEL_FEATURE}\n`);
