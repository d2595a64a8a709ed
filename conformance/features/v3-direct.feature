Feature: Version 3: direct messages kept for a user who is away
  A DIRECT_SEND_V3 to a user who is not logged in is answered STORED and delivered at that user's next
  version 3 login, after SESSION_INFO, oldest first, with the ids and times it was given, and never
  again (spec/README.md §15.5). A server that does not speak version 3 is unsupported here.

  Background:
    Given the server speaks protocol version 3

  @REQ-15.19 @REQ-15.20 @REQ-15.14 @MUST @v3
  Scenario: Direct messages to a user who is away are delivered once, in order, at its next login
    Given "A" is logged in as "user1"
    When "A" sends 3 version 3 direct messages to "user4", each answered STORED
    Then "B", logging in as "user4", is told of 3 stored messages and receives them in order with their ids
    When "B" logs out
    Then "C", logging in as "user4" again, is told of no stored messages

  @REQ-15.18 @REQ-15.6 @MUST @v3
  Scenario: A direct message to a user who is logged in is delivered once, with the same id in both copies
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3" with protocol version 2
    When "A" sends a version 3 direct message to "user2", answered DELIVERED
    Then "B" receives it as DIRECT_MESSAGE_V3 with the id of its DIRECT_STATUS_V3, and nothing else
    When "A" sends a version 3 direct message to "user3", answered DELIVERED
    Then "C" receives it as DIRECT_MESSAGE, the version 2 form, and nothing else

  @REQ-15.21 @MUST @v3
  Scenario: No more direct messages are queued for a user than the offline queue holds; the oldest go first
    Given "A" is logged in as "user1"
    When "A" sends one more version 3 direct message to "user5" than its offline queue holds, each answered STORED
    Then "B", logging in as "user5", is told of a full queue with the oldest dropped and receives the newest in order
