/**
 * AbsentParticipant: a user a presence event is about who has no session on this node (it is on
 * another node, or its node died): no local subscriber is it, and it receives nothing.
 */
import type { Participant } from "../participant.ts";

export class AbsentParticipant implements Participant {
  readonly version = 0;
  constructor(readonly user: string) {}
  speaks(): boolean {
    return false;
  }
  deliver(): void {}
}
