Feature: Version 2: direct messages
  A direct message goes to the one session holding the recipient's login, with the sender's name and
  message id; the sender is told DELIVERED. A recipient who is offline, logged in only on version 1,
  or not an account at all gets the same NOT_DELIVERED, so a direct message cannot probe which names
  exist (spec/README.md §12.5). The reply to the sender comes before the relayed message (REQ-12.7).

  Background:
    Given the server speaks protocol version 2

  @REQ-12.9 @MUST @v2
  Scenario Outline: A direct message to a user on a version 2 session is delivered once, byte for byte: <text> text
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends direct message 42 to "user2" with the <text> text
    Then "A" receives DIRECT_STATUS DELIVERED for message 42
    And "B" receives direct message 42 from "user1" with the <text> text
    And "A" and "B" have received nothing but their own replies

    Examples:
      | text                       |
      | ASCII                      |
      | empty                      |
      | emoji                      |
      | control characters and NUL |
      | maximum-length mixed-width |

  @REQ-12.9 @REQ-12.10 @MUST @v2
  Scenario: A direct message reaches the recipient's session and no other, room members and version 1 sessions included
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "V" is logged in as "user4" with protocol version 1
    And "A", "B" and "C" are in the room "lobby"
    When "A" sends direct message 1 to "user2" with the ASCII text
    Then "A" receives DIRECT_STATUS DELIVERED for message 1
    And "B" receives direct message 1 from "user1" with the ASCII text
    And "A", "B", "C" and "V" have received nothing but their own replies

  @REQ-12.9 @MUST @v2
  Scenario: Message ids are the sender's: two senders using the same id are both delivered, each with its sender's name
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    When "A" sends direct message 7 to "user2" with the ASCII text
    And "C" sends direct message 7 to "user2" with the emoji text
    Then "A" receives DIRECT_STATUS DELIVERED for message 7
    And "C" receives DIRECT_STATUS DELIVERED for message 7
    And "B" receives direct message 7 from "user1" with the ASCII text
    And "B" receives direct message 7 from "user3" with the emoji text
    And "A", "B" and "C" have received nothing but their own replies

  @REQ-12.11 @MUST @v2
  Scenario: Offline, version 1 only, unknown and empty names all get the same NOT_DELIVERED, and nobody gets anything
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "V" is logged in as "user3" with protocol version 1
    When "A" sends direct messages numbered from 10 to "user4", "user3", the unknown user and ""
    Then "A" receives 4 DIRECT_STATUS NOT_DELIVERED answers numbered from 10, identical but for the id
    And "A", "B" and "V" have received nothing but their own replies
    And "V" can still chat

  @REQ-12.11 @REQ-5.10 @MUST @v2
  Scenario: A name that differs from an online user's only in case names somebody else: NOT_DELIVERED
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends direct message 4 to "USER2" with the ASCII text
    Then "A" receives DIRECT_STATUS NOT_DELIVERED for message 4
    And "A" and "B" have received nothing but their own replies

  @REQ-12.11 @MUST @v2
  Scenario: A user who logged out is offline: NOT_DELIVERED
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "B" logs out
    And "A" sends direct message 3 to "user2" with the ASCII text
    Then "A" receives DIRECT_STATUS NOT_DELIVERED for message 3
    And "A" has received nothing but its own replies

  @REQ-12.12 @REQ-12.7 @MUST @v2
  Scenario: A direct message to oneself is delivered to one's own session, the status first
    Given "A" is logged in as "user1"
    When "A" sends direct message 5 to "user1" with the emoji text
    Then "A" receives DIRECT_STATUS DELIVERED for message 5 and then the direct message from "user1" with the emoji text
    And "A" has received nothing but its own replies

  @REQ-3.3 @REQ-8.4 @MUST @v2
  Scenario: A direct message with a text over the maximum is refused with STRING_TOO_LONG and relays nothing
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends direct message 8 to "user2" with the one byte over the maximum text, unchecked
    Then "A" receives ERROR STRING_TOO_LONG and the spec's reaction to it
    And "B" has received nothing but its own replies

  @REQ-3.3 @REQ-8.4 @MUST @v2
  Scenario: A direct message to a name over 32 bytes is refused with STRING_TOO_LONG
    Given "A" is logged in as "user1"
    When "A" sends direct message 8 to a name of 33 bytes, unchecked
    Then "A" receives ERROR STRING_TOO_LONG and the spec's reaction to it
