Feature: Version 3: every conversation's messages in their version 3 form, whoever sent them
  A version 3 session gets the version 3 forms of room and direct messages that version 2 sessions
  and version 2 PDUs sent, with ids, kept in the history either party reads; a direct message stored
  for a user logged in on version 1, or for a name no account has, is answered like one for a user
  who is away, and a version 2 login leaves the queue to the next version 3 login (spec/README.md
  §15.1, §15.2, §15.5). A server that does not speak version 3 is unsupported here.

  Background:
    Given the server speaks protocol version 3

  @REQ-15.3 @REQ-15.10 @MUST @v3
  Scenario: A version 2 member's room message reaches a version 3 member as ROOM_MESSAGE_V3 and is kept
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2" with protocol version 2
    And "A" and "B" are in the room "v3-from-v2"
    When "B" says message 41 in "v3-from-v2" with the emoji text
    Then "A" receives room message 41 of "B" in "v3-from-v2" with the emoji text as ROOM_MESSAGE_V3, and finds it in the room's history

  @REQ-15.3 @REQ-15.10 @MUST @v3
  Scenario: A DIRECT_SEND between version 3 sessions arrives as DIRECT_MESSAGE_V3, in the one history both parties read
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends direct message 42 to "user2" with the ASCII text
    Then "A" receives DIRECT_STATUS DELIVERED for message 42
    And "B" receives direct message 42 from "A" with the ASCII text as DIRECT_MESSAGE_V3, and both find it in the history of their conversation

  @REQ-15.18 @MUST @v3
  Scenario: A DIRECT_SEND_V3 to one's own username is delivered to one's own session
    Given "A" is logged in as "user1"
    When "A" sends a version 3 direct message to "user1", answered DELIVERED
    Then "A" receives it as DIRECT_MESSAGE_V3 with the id of its DIRECT_STATUS_V3, and nothing else

  @REQ-15.18 @MUST @v3
  Scenario: A delivered DIRECT_SEND_V3 sends its sender nothing but the DIRECT_STATUS_V3
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends a version 3 direct message to "user2", answered DELIVERED
    Then "B" receives it as DIRECT_MESSAGE_V3 with the id of its DIRECT_STATUS_V3, and nothing else
    And "A" has received nothing but its own replies

  @REQ-15.19 @REQ-15.20 @MUST @v3
  Scenario: A user logged in only on version 1 has a DIRECT_SEND_V3 stored, not delivered, and gets it at its next version 3 login
    Given "A" is logged in as "user1"
    And "B" is logged in as "user4" with protocol version 1
    When "A" sends 1 version 3 direct messages to "user4", each answered STORED
    Then "A" has been sent nothing about its stored messages
    And "B" has received nothing but its own replies
    When "B" logs out
    Then "C", logging in as "user4", is told of 1 stored messages and receives them in order with their ids

  @REQ-15.19 @MUST @v3
  Scenario: A DIRECT_SEND_V3 to a name no account has is STORED with real ids and kept in that conversation's history
    Given "A" is logged in as "user1"
    When "A" sends 2 version 3 direct messages to "nosuchuser", each answered STORED
    Then "A" has been sent nothing about its stored messages
    And the messages stored for "nosuchuser" carry ids one after the other, and "A" finds them in its history with that name

  @REQ-15.20 @MUST @v3
  Scenario: A version 2 login leaves the stored direct messages for the next version 3 login
    Given "A" is logged in as "user1"
    When "A" sends 2 version 3 direct messages to "user5", each answered STORED
    And "B" is logged in as "user5" with protocol version 2
    And "B" has received nothing but its own replies
    And "B" logs out
    Then "C", logging in as "user5", is told of 2 stored messages and receives them in order with their ids
