Feature: Version 3: server ids, history and resume
  Every room message gets an id (epoch, seq) and a time from the server, the same in every copy; a
  member reads a room's history page by page, oldest first; a non-member is refused; a member that
  left and resumes gets exactly what it missed, then the live messages, nothing twice; version 2
  sessions on the same server see the version 2 forms (spec/README.md §15). A server that does not
  speak version 3 is unsupported here, not failed.

  Background:
    Given the server speaks protocol version 3

  @REQ-15.1 @MUST @v3
  Scenario: A client offering versions 1, 2 and 3 gets version 3, and the server lists all three
    Given a connection "A"
    When "A" offers the versions 1, 2, 3
    Then "A" gets VERSION_RESPONSE OK choosing version 3
    And the VERSION_RESPONSE to "A" lists the versions 1, 2, 3

  @REQ-15.14 @REQ-15.3 @REQ-15.5 @REQ-15.6 @REQ-15.7 @MUST @v3
  Scenario: Room messages carry ids one after the other, the same in every member's copy
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "v3-ids"
    When "A" says 5 numbered messages in "v3-ids"
    Then the ids of the messages in "v3-ids" follow each other: one epoch, each seq one more than the last
    And "B" each receive those messages in "v3-ids" as ROOM_MESSAGE_V3, in order, with the same ids and times

  @REQ-15.10 @REQ-15.13 @REQ-15.6 @MUST @v3
  Scenario: History pages hold the messages oldest first: LATEST, BEFORE and AFTER
    Given "A" is logged in as "user1"
    And "A" is in the room "v3-pages"
    When "A" says 6 numbered messages in "v3-pages"
    Then "A" asks for the latest 2 messages of "v3-pages", it gets messages 5 to 6
    And "A" asks for the history of "v3-pages" BEFORE message 5 with a limit of 3, it gets messages 2 to 4
    And "A" asks for the history of "v3-pages" AFTER message 2 with a limit of 10, it gets messages 3 to 6
    And "A" asks for the history of "v3-pages" AFTER message 6 with a limit of 10, it gets messages 7 to 6

  @REQ-15.12 @MUST @v3
  Scenario: An anchor of another epoch is answered GAP, with the oldest messages kept
    Given "A" is logged in as "user1"
    And "A" is in the room "v3-gap"
    When "A" says 3 numbered messages in "v3-gap"
    Then "A" asks for the history of "v3-gap" after message 1 of another epoch, it gets GAP and the oldest messages kept

  @REQ-15.11 @MUST @v3
  Scenario: A session that is not a member is refused a room's history: NOT_MEMBER, no items
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" is in the room "v3-members-only"
    When "A" says 2 numbered messages in "v3-members-only"
    Then "B" asking for the history of "v3-members-only" is answered NOT_MEMBER with no items
    And "B" asking for the history of "v3-no-such-room" is answered NOT_MEMBER with no items

  @REQ-15.15 @REQ-15.16 @MUST @v3
  Scenario: A member that left and resumes gets exactly what it missed, then the live messages
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "v3-resume"
    When "A" says 2 numbered messages in "v3-resume"
    And "B" leaves "v3-resume" after message 2
    And "A" says 3 numbered messages in "v3-resume"
    Then "B" resumes "v3-resume" from the last message it saw, it gets ROOM_RESULT OK, messages 3 to 5 replayed, then its JOINED
    And "A" receives ROOM_EVENT JOINED for "user2" in "v3-resume"
    When "A" says 1 numbered messages in "v3-resume"
    Then "B" receives message 6 of "v3-resume" live, once, and nothing else

  @REQ-15.2 @REQ-15.22 @MUST @v3
  Scenario: A version 2 member of a version 3 room gets the version 2 forms; DIRECT_SEND keeps its version 2 meaning
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2" with protocol version 2
    And "A" and "B" are in the room "v3-mixed"
    When "A" says 2 numbered messages in "v3-mixed"
    Then "B" receives those messages in "v3-mixed" as ROOM_MESSAGE, the version 2 form, and nothing else
    When "A" sends direct message 9 to "user3" with the ASCII text
    Then "A" receives DIRECT_STATUS NOT_DELIVERED for message 9
    And "C", logging in as "user3" again, is told of no stored messages
