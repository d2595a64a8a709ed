Feature: Version 2: room fan-out under load, exactly once and in one order
  Every member of a room receives each ROOM_MESSAGE and ROOM_EVENT of the room exactly once while it
  is a member, and any two of them in the same order as every other member who received both
  (spec/README.md §12.4, REQ-12.8, REQ-12.16). Several members send at once, so the server sees their
  messages interleaved; the suite compares what every member received with what every other did.

  Background:
    Given the server speaks protocol version 2

  @REQ-12.8 @REQ-12.16 @MUST @v2
  Scenario: Messages from several members at once reach every member exactly once, in one order for all
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "D" is logged in as "user4"
    And 20 load sessions are logged in
    And "A", "B", "C" and "D" are in the room "chorus"
    And the load sessions are in the room "chorus"
    When "A", "B" and "C" each send 30 room messages to "chorus" in one write, at the same time
    Then every member of "chorus" receives each of those messages exactly once, in one order for all
    And "A", "B", "C" and "D" have received nothing but their own replies

  @REQ-12.8 @REQ-12.16 @REQ-12.13 @REQ-12.15 @MUST @v2
  Scenario: A join and a leave amid the messages are seen in one order with them, each member seeing the room while it is a member
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "D" is logged in as "user4"
    And "A", "B" and "C" are in the room "stage"
    When "A" and "B" each send 30 room messages to "stage" in one write while "D" joins it and "C" leaves it
    Then the members of "stage" see one history of it, "D" from its join on and "C" up to its leave
    And "A", "B", "C" and "D" have received nothing but their own replies
