/**
 * What a version-3 client asked of the scripted room, over every connection of its scenario: the
 * judgement of resumes (REQ-15.25) and history limits (REQ-15.27) is made from this record.
 */
import type { HistoryRequestPdu, RoomResumePdu } from "../../../generated/index.ts";

/** What the client asked of the room, over every connection of the scenario. */
export interface Version3Requests {
  joins: number;
  resumes: RoomResumePdu[];
  history: HistoryRequestPdu[];
  /** Whether the client is in the room on its current connection. */
  member: boolean;
  /** The room's newest id when the scenario dropped the connection (the client had shown it). */
  lastShownBeforeDrop: { epoch: number; seq: number };
}

export function newVersion3Requests(): Version3Requests {
  return {
    joins: 0,
    resumes: [],
    history: [],
    member: false,
    lastShownBeforeDrop: { epoch: 0, seq: 0 },
  };
}
