/**
 * RemoteParticipant: a session logged in on another node, as this node's directory returns it.
 * `deliver` publishes the PDU on that node's channel; the node hands it to its session
 * (node-mailbox.ts). One Redis connection publishes everything this node sends, so PDUs one
 * session causes reach another node in the order it caused them (REQ-12.8).
 */
import type { Redis } from "ioredis";
import { MESSAGE_RULES, type MessageTypeName } from "../../generated/index.ts";
import type { Logger } from "../logger.ts";
import type { OutgoingPdu } from "../outgoing-pdu.ts";
import type { Participant } from "../participant.ts";
import { type ForUser, nodeChannel } from "./cluster-channels.ts";

export class RemoteParticipant implements Participant {
  constructor(
    readonly user: string,
    readonly version: number,
    readonly node: string,
    private readonly publisher: Redis,
    private readonly logger: Logger,
  ) {}

  speaks(type: MessageTypeName): boolean {
    return MESSAGE_RULES[type].since <= this.version;
  }

  deliver(pdu: OutgoingPdu): void {
    const message: ForUser = { to: this.user, pdu };
    this.publisher.publish(nodeChannel(this.node), JSON.stringify(message)).then(
      (nodes) => {
        if (nodes === 0)
          this.logger.warn(
            { node: this.node, type: pdu.type },
            "cluster: node gone, PDU not relayed",
          );
      },
      (error: unknown) =>
        this.logger.error(
          { err: error, node: this.node, type: pdu.type },
          "cluster: relaying a PDU failed",
        ),
    );
  }
}
