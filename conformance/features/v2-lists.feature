Feature: Version 2: room lists and who is online
  ROOM_LIST names the rooms that exist; WHO_LIST names everyone logged in (version 1 sessions too) or
  the members of a room. Both are in ascending byte order, paged by offset with at most 200 names a
  page, and carry the total (spec/README.md §12.6). The lists are judged by what the scenario set up:
  names it created must be listed, names that ended must not.

  Background:
    Given the server speaks protocol version 2

  @REQ-12.19 @REQ-12.33 @MUST @v2
  Scenario: The room list names every existing room in byte order, and not rooms that ended
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" is in the room "zeta"
    And "A" is in the room "Alpha"
    And "B" is in the room "alpha"
    And "B" is in the room "_under"
    And "A" and "B" are in the room "beta-2"
    And "B" is in the room "gone"
    When "B" leaves the room "gone"
    And "A" reads the whole room list
    Then the list "A" read is sorted, paged and counted as the spec says
    And the list "A" read includes "Alpha", "_under", "alpha", "beta-2" and "zeta"
    And the list "A" read does not include "gone"

  @REQ-12.19 @MUST @v2
  Scenario: A room list longer than a page is paged by offset, at most 200 names a page
    Given 13 load sessions are each in as many rooms as the spec allows, named "paged" and numbers
    And "A" is logged in as "user1"
    When "A" reads the whole room list
    Then the list "A" read is sorted, paged and counted as the spec says
    And the list "A" read took more than one page
    And the list "A" read includes every room the load sessions are in

  @REQ-12.20 @MUST @v2
  Scenario: Everyone logged in is listed, version 1 sessions included, and nobody who is not
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "V" is logged in as "user3" with protocol version 1
    And "C" is logged in as "user4"
    And a connection "N" that has negotiated
    When "C" logs out
    And "A" reads the whole list of who is online
    Then the list "A" read is sorted, paged and counted as the spec says
    And the list "A" read includes "user1", "user2" and "user3"
    And the list "A" read does not include "user4"

  @REQ-12.20 @MUST @v2
  Scenario: A room's members are listed in byte order, whoever asks
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "C", "A" and "B" are in the room "lobby"
    When "A" leaves the room "lobby"
    Then the members of "lobby" listed to "A" are "user2" and "user3"
    When "B" reads the whole member list of "lobby"
    Then the list "B" read is sorted, paged and counted as the spec says
    And the list "B" read is exactly "user2" and "user3"

  @REQ-12.21 @MUST @v2
  Scenario Outline: Asking who is in a room that does not exist gets NO_SUCH_ROOM, a total of 0 and no names: <case>
    Given "A" is logged in as "user1"
    And "A" is in the room "lobby"
    Then "A" asks who is in "<room>" and is told NO_SUCH_ROOM

    Examples:
      | case                         | room       |
      | a room that never existed    | nowhere    |
      | not a room name              | not a room |
      | a name only case tells apart | LOBBY      |
