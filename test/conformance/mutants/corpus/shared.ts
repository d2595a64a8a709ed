/**
 * What every part of the planted-bug corpus shares: the shape of a mutant, the patch builder and the
 * files faults are planted in.
 */
import type { Patch } from "../mutant-tree.ts";

export interface Mutant {
  id: string;
  /** The requirement of spec/README.md the fault breaks; its scenarios run first. */
  breaks: string;
  fault: string;
  patches: Patch[];
  /**
   * The transport the suite judges this mutant over: "ws" for a fault in the WebSocket binding,
   * which a run over TCP never exercises (the binding's scenarios are unsupported there).
   */
  transport?: "ws";
}

export const p = (file: string, find: string, replace: string): Patch => ({ file, find, replace });
export const SESSION = "server/session.ts";
export const LOGIN = "server/handlers/login-request.ts";
export const VERSION = "server/handlers/version-request.ts";
export const ROOMS = "server/room-registry.ts";
export const TYPING = "server/typing-tracker.ts";
export const DEADLINE = "server/session-deadline.ts";
export const PARTICIPATION = "server/participation.ts";
export const FAN_OUT = "server/fan-out-bus.ts";
export const OPTIONS = "server/server-options.ts";
export const CHANNEL = "transport/pdu-channel.ts";
export const OUTBOX = "server/relay-outbox.ts";

/** Wraps the reference classification: `instead` (a conditional expression) decides first. */
export const classifyInstead = (instead: string) =>
  p(
    OPTIONS,
    "export const serverClassify: ServerClassifier = (state, negotiatedVersion, header) =>\n  classify(",
    `export const serverClassify: ServerClassifier = (state, negotiatedVersion, header) =>\n  ${instead} classify(`,
  );
