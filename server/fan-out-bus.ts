/**
 * FanOutBus: how a PDU that one session causes reaches others (protocol.json `fanOut`, spec
 * §12.4). A handler or a server event publishes a PDU to an audience; the bus hands it to every
 * subscribed participant of that audience. The subscriptions are the registries: `Directory.add`
 * subscribes a participant to its user's audience, `Rooms.join` to a room's, and
 * `PresenceHub.setSubscribed` to the presence audience. In one process `LocalBus` resolves an
 * audience from those registries and delivers synchronously; a cluster (issue 13) puts a network
 * bus behind the same interface, like aedes' `mq` option.
 *
 * Order (REQ-12.8, server/README.md): whatever carries them, the PDUs published to one room form
 * one sequence, and every member receives that sequence in that order; PDUs published by one
 * session keep the order it published them in.
 */
import type { AudienceName } from "../generated/index.ts";
import { type Awaitable, whenReady } from "./awaitable.ts";
import { formForVersion } from "./history/version-2-form.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";
import type { Presence } from "./presence-hub.ts";
import type { Rooms } from "./room-registry.ts";
import type { Directory } from "./session-directory.ts";

/** Who receives a PDU, in protocol.json's audience names (generated AUDIENCE_DOCS). */
export type Audience =
  | { kind: Extract<AudienceName, "namedUser" | "typingTarget">; user: string }
  | { kind: "roomMembers"; room: string }
  | { kind: "otherRoomMembers"; room: string; exceptUser: string }
  | { kind: "presenceSubscribers"; about: Participant };

export interface FanOutBus {
  /** Hands `pdu` to the audience; resolves to how many participants it reached. */
  publish(audience: Audience, pdu: OutgoingPdu): Awaitable<number>;
}

export interface LocalBusRegistries {
  directory: Directory;
  rooms: Rooms;
  presence: Presence;
}

/** The in-memory bus: audiences resolved from this process's registries, delivered at once. */
export class LocalBus implements FanOutBus {
  private readonly registries: LocalBusRegistries;

  constructor(registries: LocalBusRegistries) {
    this.registries = registries;
  }

  publish(audience: Audience, pdu: OutgoingPdu): Awaitable<number> {
    const { directory, rooms, presence } = this.registries;
    switch (audience.kind) {
      case "namedUser":
      case "typingTarget":
        // Only a session whose version has the type, or its older form: never a v2 PDU to a v1
        // login (REQ-12.3); a v3 direct message reaches a v2 login as DIRECT_MESSAGE (REQ-15.2).
        return whenReady(directory.find(audience.user), (recipient) => {
          if (recipient === undefined || formForVersion(pdu, recipient.version) === undefined)
            return 0;
          recipient.deliver(pdu);
          return 1;
        });
      case "roomMembers":
        return rooms.broadcast(audience.room, pdu);
      case "otherRoomMembers":
        return rooms.broadcast(audience.room, pdu, { exceptUser: audience.exceptUser });
      case "presenceSubscribers":
        return presence.deliverToSubscribers(pdu, audience.about);
    }
  }
}
