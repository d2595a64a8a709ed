Feature: Version 2: what counts as an accepted TYPING, and what ends an indicator
  The rate limit is a TYPING's first check, so every TYPING that passes it is accepted and restarts
  the interval, whether it is then relayed, dropped for a target user who is not reachable, or
  answered NOT_MEMBER; an accepted STOPPED ends its indicator even when it reached nobody
  (spec/README.md §12.7, "What counts, and what ends an indicator").

  Background:
    Given the server speaks protocol version 2

  @REQ-12.40 @REQ-12.27 @MUST @v2
  Scenario: A TYPING answered NOT_MEMBER counts as accepted: the next one right behind it is refused
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends, in one write, TYPING STARTED to the room "not-a-member-here" and then to the user "user2"
    Then "A" receives ROOM_RESULT 0 NOT_MEMBER for "not-a-member-here"
    And "A" receives ERROR RATE_LIMITED and the spec's reaction to it
    And "A" and "B" have received nothing but their own replies

  @REQ-12.40 @REQ-12.27 @MUST @v2
  Scenario: A TYPING to a user who is not logged in counts as accepted: the next one right behind it is refused
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends, in one write, TYPING STARTED to the user "user3" and then to the user "user2"
    Then "A" receives ERROR RATE_LIMITED and the spec's reaction to it
    And "A" and "B" have received nothing but their own replies

  @REQ-12.40 @REQ-12.26 @MUST @v2
  Scenario: A STOPPED that reached nobody still ends the indicator: no expiry STOPPED follows
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends TYPING STARTED to the user "user2"
    Then "B" receives TYPING_NOTICE STARTED from "user1"
    When "B" logs out
    And the typing rate limit has passed for "A"
    And "A" sends TYPING STOPPED to the user "user2"
    And "A" has received nothing but its own replies
    And a connection "D" can log in as "user2" once the LOGOUT's EOF has come
    Then nothing more reaches "D" until the indicator of "user1" for the user "user2" would have expired
