/**
 * The client suite's front door: `make conformance-client [CLIENT="COMMAND"] [ARGS="..."]`. The same
 * as `conformance/run.ts --client "COMMAND"`; see client-suite.ts and conformance/README.md.
 */
import { runClientSuite } from "./client-suite.ts";

runClientSuite(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `conformance: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`,
    );
    process.exitCode = 2;
  },
);
