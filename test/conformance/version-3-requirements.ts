/**
 * Version 3's requirements (spec §15) that a server is judged on over the wire. The @v3
 * scenarios that will judge them are being written (issue 16, the suite-strength branch); until
 * a scenario cites one, test/server/v3-*.test.ts check it against the reference server, and the
 * coverage test skips it. Remove an id once a scenario cites it.
 */
export const JUDGED_BY_SERVER_TESTS_UNTIL_V3_SCENARIOS: ReadonlySet<string> = new Set([
  "REQ-15.1",
  "REQ-15.2",
  "REQ-15.3",
  "REQ-15.4",
  "REQ-15.5",
  "REQ-15.6",
  "REQ-15.7",
  "REQ-15.10",
  "REQ-15.11",
  "REQ-15.12",
  "REQ-15.13",
  "REQ-15.14",
  "REQ-15.15",
  "REQ-15.16",
  "REQ-15.18",
  "REQ-15.19",
  "REQ-15.20",
  "REQ-15.21",
  "REQ-15.22",
]);
