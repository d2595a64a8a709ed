/** What the server agreed to in VERSION_RESPONSE OK. */
export interface Negotiated {
  version: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  serverVersions: number[];
}
