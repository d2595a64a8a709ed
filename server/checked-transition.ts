/**
 * Holding a handler's result against the spec: its outcome must name one of the transitions
 * classify() allowed, its reply must be that transition's reply type, and it may fan out only
 * where protocol.json lists a fan-out. A result that breaks one of these is a bug in the handler
 * (or a variant): it throws, and the session answers INTERNAL_ERROR (REQ-8.9).
 */
import type { MessageTypeName, StateName, Transition } from "../generated/index.ts";
import type { HandlerResult } from "./session-context.ts";

export function checkedTransition(
  type: MessageTypeName,
  state: StateName,
  transitions: readonly Transition[],
  result: HandlerResult,
): Transition {
  const transition = transitions.find((candidate) => candidate.outcome === result.outcome);
  if (transition === undefined) {
    throw new Error(`no transition for ${type} in ${state} with outcome ${result.outcome}`);
  }
  if (result.reply !== undefined && result.reply.type !== transition.replies) {
    throw new Error(
      `${type} in ${state}: replying ${result.reply.type}, the spec says ${transition.replies}`,
    );
  }
  if (result.fanOut !== undefined && transition.fanOut.length === 0) {
    throw new Error(`${type} ${result.outcome} in ${state}: the spec has no fan-out here`);
  }
  return transition;
}
