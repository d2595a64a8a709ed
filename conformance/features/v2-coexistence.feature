Feature: Version 2: a version 1 client on a version 2 server
  One server serves version 1 and version 2 sessions at once. A version 1 session can log in, chat, be
  listed by WHO_REQUEST and be seen by presence, but it never receives a version 2 PDU or a 4xx error
  code, whatever the version 2 sessions around it do (spec/README.md §12.1, REQ-12.3). Each scenario
  ends with a PING barrier on the version 1 session: its PONG must be the next thing it receives.

  Background:
    Given the server speaks protocol version 2

  @REQ-12.3 @REQ-12.11 @REQ-12.20 @REQ-12.30 @MUST @v2
  Scenario: A version 1 session sees none of the version 2 traffic around it and stays logged in
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends PRESENCE_SUBSCRIBE ON
    Then "A" has received nothing but its own replies
    When "V" is logged in as "user3" with protocol version 1
    Then "A" receives PRESENCE_EVENT ONLINE for "user3"
    Given "A" and "B" are in the room "lobby"
    When "A" says message 1 in "lobby" with the ASCII text
    Then "A" and "B" each receive room message 1 in "lobby" from "user1" with the ASCII text
    When "A" sends direct message 2 to "user2" with the emoji text
    Then "A" receives DIRECT_STATUS DELIVERED for message 2
    And "B" receives direct message 2 from "user1" with the emoji text
    When "A" sends direct message 3 to "user3" with the ASCII text
    Then "A" receives DIRECT_STATUS NOT_DELIVERED for message 3
    When "B" sends TYPING STOPPED to the room "lobby"
    Then "A" receives TYPING_NOTICE STOPPED from "user2" in "lobby"
    When "B" leaves the room "lobby"
    And "A" reads the whole list of who is online
    Then the list "A" read includes "user1", "user2" and "user3"
    When "B" logs out
    Then "A" receives PRESENCE_EVENT OFFLINE for "user2" once the session of "B" has ended
    And "V" has received nothing but its own replies
    And "V" can still chat

  @REQ-12.3 @REQ-12.22 @MUST @v2
  Scenario: A typing indicator for a version 1 user reaches it neither when sent nor when it expires
    Given "V" is logged in as "user3" with protocol version 1
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends TYPING STARTED to the user "user3"
    Then nothing more reaches "V", "A" and "B" until the indicator of "user1" for the user "user3" would have expired
    And "V" can still chat
