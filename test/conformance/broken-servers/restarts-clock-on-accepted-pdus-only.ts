/**
 * Broken on purpose: only a PDU the server accepts (one that takes a transition) restarts the
 * ping-timeout clock; refused ones (wrong state, a server's type, a later version's type, an
 * over-long string, an unknown type) and a peer's ERROR do not (REQ-7.3: every complete frame does).
 * The handlers note when each session last had a PDU accepted, and the timeout scheduler swapped in
 * times logged-in sessions out from that instead of from their last frame.
 */
import { performance } from "node:perf_hooks";
import type { MessageTypeName, Pdu } from "../../../generated/index.ts";
import { SERVER_HANDLERS } from "../../../server/handlers/index.ts";
import type { HandlerContext, ServerHandlerTable } from "../../../server/session-context.ts";
import {
  type Expirable,
  type TimeoutScheduler,
  TimeoutWheel,
} from "../../../server/timeout-wheel.ts";
import { startVariant } from "./start-variant.ts";

const lastAccepted = new WeakMap<object, number>();

type AnyHandler = (pdu: Pdu, session: HandlerContext) => ReturnType<ServerHandlerTable["CHAT"]>;
const noting: Partial<Record<MessageTypeName, AnyHandler>> = {};
for (const [type, handler] of Object.entries(SERVER_HANDLERS) as [MessageTypeName, AnyHandler][]) {
  if (type === "ERROR") continue;
  noting[type] = (pdu, session) => {
    lastAccepted.set(session, performance.now());
    return handler(pdu, session);
  };
}

/** Wraps each session so its deadline counts from its last accepted PDU once it is logged in. */
function acceptedOnly(inner: TimeoutScheduler, pingTimeoutMs: number): TimeoutScheduler {
  const proxies = new Map<Expirable, Expirable>();
  const proxyOf = (item: Expirable): Expirable => {
    let proxy = proxies.get(item);
    if (proxy === undefined) {
      proxy = {
        deadline: () => {
          const deadline = item.deadline();
          const accepted = lastAccepted.get(item);
          const state = (item as unknown as { state: string }).state;
          if (deadline === null || accepted === undefined || state !== "AUTHENTICATED")
            return deadline;
          return Math.min(deadline, accepted + pingTimeoutMs);
        },
        expire: (now) => item.expire(now),
      };
      proxies.set(item, proxy);
    }
    return proxy;
  };
  return {
    track: (item) => inner.track(proxyOf(item)),
    reschedule: (item) => inner.reschedule(proxyOf(item)),
    untrack: (item) => {
      inner.untrack(proxyOf(item));
      proxies.delete(item);
    },
    stop: () => inner.stop(),
  };
}

await startVariant("restarts-clock-on-accepted-pdus-only", (options) => ({
  handlers: noting as Partial<ServerHandlerTable>,
  timeouts: acceptedOnly(new TimeoutWheel({ tickMs: 250 }), options.pingTimeoutMs ?? 15_000),
}));
