Feature: Version 2: rooms
  The first ROOM_JOIN creates a room; members are told of every join and leave; a ROOM_SAY goes to
  every member, the sender included, and to nobody else; a session that ends leaves its rooms however
  it ends. Refused requests get a status and change nothing: a name that is not a room name, joining
  twice, too many rooms, a full room, not being a member (spec/README.md §12.2, §12.6).

  Background:
    Given the server speaks protocol version 2

  @REQ-12.13 @REQ-12.7 @MUST @v2
  Scenario: Joining creates the room: ROOM_RESULT OK, then the joiner's own JOINED
    Given "A" is logged in as "user1"
    When "A" sends ROOM_JOIN 1 for "lobby"
    Then "A" receives ROOM_RESULT 1 OK for "lobby" and then its own ROOM_EVENT JOINED
    And "A" has received nothing but its own replies
    And the members of "lobby" listed to "A" are "user1"

  @REQ-12.13 @MUST @v2
  Scenario: Every member is told of a join exactly once, the joiner included, and nobody else is
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "A" and "C" are in the room "lobby"
    And "B" is in the room "elsewhere"
    When "B" sends ROOM_JOIN 2 for "lobby"
    Then "B" receives ROOM_RESULT 2 OK for "lobby" and then its own ROOM_EVENT JOINED
    And "A" and "C" each receive ROOM_EVENT JOINED for "user2" in "lobby"
    And "A", "B" and "C" have received nothing but their own replies
    And the members of "lobby" listed to "A" are "user1", "user2" and "user3"

  @REQ-12.13 @REQ-12.33 @MUST @v2
  Scenario Outline: Room names are case-sensitive and taken byte for byte: <case>
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" is in the room "<first>"
    When "B" sends ROOM_JOIN 3 for "<second>"
    Then "B" receives ROOM_RESULT 3 OK for "<second>" and then its own ROOM_EVENT JOINED
    And "A" and "B" have received nothing but their own replies
    And the members of "<first>" listed to "A" are "user1"
    And the members of "<second>" listed to "A" are "user2"

    Examples:
      | case                 | first  | second |
      | upper and lower case | lobby  | Lobby  |
      | a trailing character | lobby  | lobby_ |

  @REQ-12.13 @MUST @v2
  Scenario Outline: A valid room name at the edges of the pattern is accepted: <case>
    Given "A" is logged in as "user1"
    When "A" sends ROOM_JOIN 4 for "<name>"
    Then "A" receives ROOM_RESULT 4 OK for "<name>" and then its own ROOM_EVENT JOINED

    Examples:
      | case                      | name                             |
      | one character             | x                                |
      | 32 characters             | abcdefghijklmnopqrstuvwxyz012345 |
      | every kind of character   | Az09_-                           |
      | only punctuation          | -_-                              |

  @REQ-12.14 @MUST @v2
  Scenario Outline: A join with a name that is not a room name is refused with BAD_ROOM_NAME: <case>
    Given "A" is logged in as "user1"
    When "A" sends ROOM_JOIN 5 for "<name>"
    Then "A" receives ROOM_RESULT 5 BAD_ROOM_NAME for "<name>"
    And "A" has received nothing but its own replies
    When "A" reads the whole room list
    Then the list "A" read does not include "<name>"

    Examples:
      | case          | name      |
      | empty         |           |
      | a space       | two words |
      | a dot         | room.name |
      | a slash       | a/b       |
      | a non-ASCII   | café      |
      | an emoji      | 🦜        |
      | a leading '#' | #general  |

  @REQ-3.3 @REQ-8.4 @MUST @v2
  Scenario: A room name over 32 bytes is refused with STRING_TOO_LONG, which does not close
    Given "A" is logged in as "user1"
    When "A" sends ROOM_JOIN 6 for a room name of 33 bytes, unchecked
    Then "A" receives ERROR STRING_TOO_LONG and the spec's reaction to it

  @REQ-12.14 @MUST @v2
  Scenario: Joining a room one is already in is refused with ALREADY_MEMBER and changes nothing
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "lobby"
    When "A" sends ROOM_JOIN 7 for "lobby"
    Then "A" receives ROOM_RESULT 7 ALREADY_MEMBER for "lobby"
    And "A" and "B" have received nothing but their own replies
    And the members of "lobby" listed to "B" are "user1" and "user2"

  @REQ-12.14 @MUST @v2
  Scenario: A session in as many rooms as the spec allows is refused one more with TOO_MANY_ROOMS, after the earlier checks
    Given "A" is logged in as "user1"
    And "A" is in as many rooms as the spec allows, named "many" and a number
    When "A" sends ROOM_JOIN 8 for "one-too-many"
    Then "A" receives ROOM_RESULT 8 TOO_MANY_ROOMS for "one-too-many"
    When "A" sends ROOM_JOIN 9 for "many-01"
    Then "A" receives ROOM_RESULT 9 ALREADY_MEMBER for "many-01"
    When "A" sends ROOM_JOIN 10 for "not a room"
    Then "A" receives ROOM_RESULT 10 BAD_ROOM_NAME for "not a room"
    And "A" has received nothing but its own replies
    And "A" asks who is in "one-too-many" and is told NO_SUCH_ROOM
    When "A" leaves the room "many-01"
    And "A" sends ROOM_JOIN 11 for "one-too-many"
    Then "A" receives ROOM_RESULT 11 OK for "one-too-many" and then its own ROOM_EVENT JOINED

  @REQ-12.14 @REQ-12.20 @MUST @v2
  Scenario: A room with as many members as the spec allows refuses one more with ROOM_FULL, after TOO_MANY_ROOMS
    Given as many load sessions as a room may have members are in the room "crowded"
    And "A" is logged in as "user1"
    When "A" sends ROOM_JOIN 12 for "crowded"
    Then "A" receives ROOM_RESULT 12 ROOM_FULL for "crowded"
    And "A" has received nothing but its own replies
    When "A" reads the whole member list of "crowded"
    Then the list "A" read is sorted, paged and counted as the spec says
    And the list "A" read includes the load sessions
    And the list "A" read does not include "user1"
    Given "A" is in as many rooms as the spec allows, named "full" and a number
    When "A" sends ROOM_JOIN 13 for "crowded"
    Then "A" receives ROOM_RESULT 13 TOO_MANY_ROOMS for "crowded"
    When "A" reads the whole list of who is online
    Then the list "A" read is sorted, paged and counted as the spec says
    And the list "A" read took more than one page
    And the list "A" read includes the load sessions
    And the list "A" read includes "user1"

  @REQ-12.15 @REQ-12.7 @MUST @v2
  Scenario: Leaving: ROOM_RESULT OK to the leaver, then LEFT once to each remaining member and not to the leaver
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "A", "B" and "C" are in the room "lobby"
    When "B" sends ROOM_LEAVE 14 for "lobby"
    Then "B" receives ROOM_RESULT 14 OK for "lobby"
    And "A" and "C" each receive ROOM_EVENT LEFT for "user2" in "lobby"
    And "A", "B" and "C" have received nothing but their own replies
    And the members of "lobby" listed to "A" are "user1" and "user3"

  @REQ-12.15 @MUST @v2
  Scenario: A member who left gets nothing more of the room
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "lobby"
    When "B" leaves the room "lobby"
    And "A" says message 15 in "lobby" with the ASCII text
    Then "A" receives room message 15 in "lobby" from "user1" with the ASCII text
    And "A" and "B" have received nothing but their own replies

  @REQ-12.15 @REQ-12.21 @MUST @v2
  Scenario: A room whose last member leaves no longer exists
    Given "A" is logged in as "user1"
    And "A" is in the room "lonely"
    When "A" leaves the room "lonely"
    Then "A" asks who is in "lonely" and is told NO_SUCH_ROOM
    When "A" reads the whole room list
    Then the list "A" read does not include "lonely"

  @REQ-12.15 @MUST @v2
  Scenario Outline: Leaving a room one is not in is refused with NOT_MEMBER and changes nothing: <case>
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "B" is in the room "lobby"
    When "A" sends ROOM_LEAVE 16 for "<room>"
    Then "A" receives ROOM_RESULT 16 NOT_MEMBER for "<room>"
    And "A" and "B" have received nothing but their own replies
    And the members of "lobby" listed to "B" are "user2"

    Examples:
      | case                      | room      |
      | a room of others          | lobby     |
      | a room that does not exist | nowhere   |
      | not a room name           | not a room |
      | an empty name             |           |

  @REQ-12.16 @MUST @v2
  Scenario Outline: A room message goes to every member once, the sender included, and to nobody else: <text> text
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "D" is logged in as "user4"
    And "V" is logged in as "user5" with protocol version 1
    And "A", "B" and "C" are in the room "lobby"
    And "D" is in the room "elsewhere"
    When "A" says message 17 in "lobby" with the <text> text
    And "B" says message 18 in "lobby" with the ASCII text
    Then "A", "B" and "C" each receive room message 17 in "lobby" from "user1" with the <text> text
    And "A", "B" and "C" each receive room message 18 in "lobby" from "user2" with the ASCII text
    And "A", "B", "C", "D" and "V" have received nothing but their own replies

    Examples:
      | text                 |
      | emoji                |
      | empty                |
      | maximum-length emoji |

  @REQ-12.17 @MUST @v2
  Scenario Outline: A room message from a non-member is refused with NOT_MEMBER carrying its id, and relayed to nobody: <case>
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "B" is in the room "lobby"
    When "A" says message 19 in "<room>" with the ASCII text
    Then "A" receives ROOM_RESULT 19 NOT_MEMBER for "<room>"
    And "A" and "B" have received nothing but their own replies

    Examples:
      | case                       | room       |
      | a room of others           | lobby      |
      | a room that does not exist | nowhere    |
      | not a room name            | not a room |

  @REQ-3.3 @REQ-8.4 @MUST @v2
  Scenario: A room message over the maximum is refused with STRING_TOO_LONG and relayed to nobody
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "lobby"
    When "A" says message 20 in "lobby" with the one byte over the maximum text, unchecked
    Then "A" receives ERROR STRING_TOO_LONG and the spec's reaction to it
    And "B" has received nothing but its own replies

  @REQ-12.18 @MUST @v2
  Scenario Outline: A session that ends leaves all its rooms, and the other members are told once (<how>)
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "A", "B" and "C" are in the room "lobby"
    And "A" and "B" are in the room "second"
    When "A" <ends>
    Then "B" and "C" each receive ROOM_EVENT LEFT for "user1" in "lobby" once the session of "A" has ended
    And "B" receives ROOM_EVENT LEFT for "user1" in "second" once the session of "A" has ended
    And "B" and "C" have received nothing but their own replies
    And the members of "lobby" listed to "B" are "user2" and "user3"
    And the members of "second" listed to "B" are "user2"

    Examples:
      | how                   | ends                                                   |
      | LOGOUT                | logs out                                               |
      | reset                 | closes its connection abruptly with a reset            |
      | FIN without LOGOUT    | closes its connection cleanly without LOGOUT           |
      | a closing ERROR       | is closed for sending a PDU that gets a closing ERROR  |
      | ping timeout          | stays silent until the server times it out             |
