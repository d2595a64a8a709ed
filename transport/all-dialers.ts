/**
 * Every dialer of transport/, registered by importing this file: tcp and tls (built into
 * connect.ts) and the plug-in transports. A program that dials by transport name (the client
 * CLI, the conformance suite) imports this once.
 */
export { connect, dialerKinds } from "./connect.ts";

import "./quic/quic-dialer.ts";
import "./websocket/register-dialer.ts";
