Feature: Version 2: typing indicators
  TYPING is relayed as TYPING_NOTICE to the target user's version 2 session, or to the other members
  of a room, and never answered unless refused. An indicator with no STOPPED expires: the server sends
  STOPPED itself typingTimeout after the last STARTED, within the spec's tolerance. A session's
  TYPINGs less than typingMinIntervalMs apart are refused with RATE_LIMITED, which does not close
  (spec/README.md §12.7). The typing timeout is not advertised: the suite uses the spec's default
  unless --typing-timeout (or the launcher) says otherwise.

  Background:
    Given the server speaks protocol version 2

  @REQ-12.22 @MUST @v2
  Scenario Outline: TYPING to a user goes to that user's session only, and the typist gets no answer (<state>)
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    When "A" sends TYPING <state> to the user "user2"
    Then "B" receives TYPING_NOTICE <state> from "user1"
    And "A", "B" and "C" have received nothing but their own replies

    Examples:
      | state   |
      | STARTED |
      | STOPPED |

  @REQ-12.22 @MUST @v2
  Scenario Outline: TYPING to a user who cannot receive it is dropped without an answer: <case>
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "V" is logged in as "user3" with protocol version 1
    When "A" sends TYPING STOPPED to the user <target>
    Then "A", "B" and "V" have received nothing but their own replies

    Examples:
      | case                     | target           |
      | an offline user          | "user4"          |
      | a version 1 session      | "user3"          |
      | a name no account has    | the unknown user |
      | an empty name            | ""               |

  @REQ-12.23 @MUST @v2
  Scenario Outline: TYPING to a room goes once to every other member, not to the typist or anyone else (<state>)
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "D" is logged in as "user4"
    And "A", "B" and "C" are in the room "lobby"
    And "D" is in the room "elsewhere"
    When "A" sends TYPING <state> to the room "lobby"
    Then "B" and "C" each receive TYPING_NOTICE <state> from "user1" in "lobby"
    And "A", "B", "C" and "D" have received nothing but their own replies

    Examples:
      | state   |
      | STARTED |
      | STOPPED |

  @REQ-12.24 @MUST @v2
  Scenario Outline: TYPING to a room one is not in is refused with NOT_MEMBER, request id 0, and relayed to nobody: <case>
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "B" is in the room "lobby"
    When "A" sends TYPING STARTED to the room "<room>"
    Then "A" receives ROOM_RESULT 0 NOT_MEMBER for "<room>"
    And "A" and "B" have received nothing but their own replies

    Examples:
      | case                       | room       |
      | a room of others           | lobby      |
      | a room that does not exist | nowhere    |
      | not a room name            | not a room |

  @REQ-12.25 @MUST @v2
  Scenario: A STARTED to a user with no STOPPED expires: the server sends STOPPED within the typing timeout and its tolerance
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends TYPING STARTED to the user "user2"
    Then "B" receives TYPING_NOTICE STARTED from "user1"
    And "B" receives TYPING_NOTICE STOPPED from "user1" when the indicator for it expires
    And "A" and "B" have received nothing but their own replies

  @REQ-12.25 @MUST @v2
  Scenario: A STARTED in a room with no STOPPED expires for every other member
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "A", "B" and "C" are in the room "lobby"
    When "A" sends TYPING STARTED to the room "lobby"
    Then "B" and "C" each receive TYPING_NOTICE STARTED from "user1" in "lobby"
    And "B" and "C" each receive TYPING_NOTICE STOPPED from "user1" in "lobby" when the indicator expires
    And "A", "B" and "C" have received nothing but their own replies

  @REQ-12.25 @MUST @v2
  Scenario: An indicator still expires when its typist has left the room
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "lobby"
    When "A" sends TYPING STARTED to the room "lobby"
    Then "B" receives TYPING_NOTICE STARTED from "user1" in "lobby"
    When "A" leaves the room "lobby"
    Then "B" receives TYPING_NOTICE STOPPED from "user1" in "lobby" when the indicator expires
    And "B" has received nothing but its own replies

  @REQ-12.25 @MUST @v2
  Scenario: An indicator still expires when its typist's connection has closed
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "lobby"
    When "A" sends TYPING STARTED to the room "lobby"
    Then "B" receives TYPING_NOTICE STARTED from "user1" in "lobby"
    When "A" closes its connection abruptly with a reset
    Then "B" receives ROOM_EVENT LEFT for "user1" in "lobby" once the session of "A" has ended
    And "B" receives TYPING_NOTICE STOPPED from "user1" in "lobby" when the indicator expires
    And "B" has received nothing but its own replies

  @REQ-12.25 @MUST @v2
  Scenario: Two typists in one room have an indicator each: one's STOPPED leaves the other's to expire
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "D" is logged in as "user4"
    And "A", "B", "C" and "D" are in the room "lobby"
    When "A" sends TYPING STARTED to the room "lobby"
    Then "B", "C" and "D" each receive TYPING_NOTICE STARTED from "user1" in "lobby"
    When "B" sends TYPING STARTED to the room "lobby"
    Then "A", "C" and "D" each receive TYPING_NOTICE STARTED from "user2" in "lobby"
    When the typing rate limit has passed for "A"
    And "A" sends TYPING STOPPED to the room "lobby"
    Then "B", "C" and "D" each receive TYPING_NOTICE STOPPED from "user1" in "lobby"
    And "A", "C" and "D" each receive TYPING_NOTICE STOPPED from "user2" in "lobby" when the indicator expires

  @REQ-12.26 @MUST @v2
  Scenario: An indicator whose STOPPED was relayed does not expire again
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends TYPING STARTED to the user "user2"
    Then "B" receives TYPING_NOTICE STARTED from "user1"
    When the typing rate limit has passed for "A"
    And "A" sends TYPING STOPPED to the user "user2"
    Then "B" receives TYPING_NOTICE STOPPED from "user1"
    And nothing more reaches "A" and "B" until the indicator of "user1" for the user "user2" would have expired

  @REQ-12.26 @REQ-12.25 @MUST @v2
  Scenario: A fresher STARTED postpones the expiry to a typing timeout after it
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends TYPING STARTED to the user "user2"
    Then "B" receives TYPING_NOTICE STARTED from "user1"
    When half the typing timeout has passed for "A"
    And "A" sends TYPING STARTED to the user "user2"
    Then "B" receives TYPING_NOTICE STARTED from "user1"
    And "B" receives TYPING_NOTICE STOPPED from "user1" when the indicator for it expires

  @REQ-12.27 @MUST @v2
  Scenario: A second TYPING right behind the first is refused with RATE_LIMITED, relayed to nobody, and the connection goes on
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends TYPING STARTED to the user "user2" twice in one write
    Then "A" receives ERROR RATE_LIMITED and the spec's reaction to it
    And "B" receives TYPING_NOTICE STARTED from "user1"
    And "A" and "B" have received nothing but their own replies

  @REQ-12.27 @MUST @v2
  Scenario: The rate limit is checked before anything else about a TYPING
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends TYPING STARTED to the user "user2" and, in the same write, TYPING STARTED to the room "not-a-member-here"
    Then "A" receives ERROR RATE_LIMITED and the spec's reaction to it
    And "B" receives TYPING_NOTICE STARTED from "user1"
    And "A" and "B" have received nothing but their own replies

  @REQ-12.28 @REQ-12.27 @MUST @v2
  Scenario: A TYPING the interval after the last accepted one is accepted, however many were refused in between
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" keeps sending TYPING STARTED to the user "user2" until one is accepted after the first
    Then "B" receives one TYPING_NOTICE STARTED from "user1" for each accepted TYPING
    And "A" and "B" have received nothing but their own replies
