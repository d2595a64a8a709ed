/**
 * Broken on purpose: ignores the header version of incoming PDUs. Each PDU is classified as if it carried
 * the version the spec prescribes, so WRONG_VERSION is never sent (REQ-4.10); everything else is the
 * reference.
 */
import type { Classification, Pdu } from "../../../generated/index.ts";
import type { SessionFactory } from "../../../server/parrot-server.ts";
import { Session } from "../../../server/session.ts";
import { startVariant } from "./start-variant.ts";

class VersionBlindSession extends Session {
  protected override classifyPdu(pdu: Pdu): Classification {
    return super.classifyPdu({ ...pdu, version: this.headerVersionFor(pdu.type) } as Pdu);
  }
}

const sessionFactory: SessionFactory = (id, channel, context) =>
  new VersionBlindSession(id, channel, context);

await startVariant("ignores-header-version", () => ({ sessionFactory }));
