Feature: Version 3: history within its bounds, and resumes that are refused or miss a lot
  A page holds at most the max_page the server advertises, and exactly that many when more are kept;
  a history holds exactly the newest history_count messages it advertises, and an AFTER anchor whose
  next message is gone is answered GAP; BEFORE an id of another epoch gets the newest messages kept;
  a resume of a room one is in is refused like a ROOM_JOIN, and one that missed more than a page gets
  one page and pages on (spec/README.md §15.3, §15.4). A server that does not speak version 3 is
  unsupported here.

  Background:
    Given the server speaks protocol version 3

  @REQ-15.10 @MUST @v3
  Scenario: A page holds no more than the advertised max_page, and that many when more are kept
    Given "A" is logged in as "user1"
    And "A" is in the room "v3-Max-Page"
    When "A" says one more numbered message in "v3-Max-Page" than a history page holds
    Then "A" asking for the latest messages of "v3-Max-Page" with a limit of 65535 gets the newest a page holds
    And "A" asking for the latest messages of "v3-Max-Page" with a limit of 200 gets the newest a page holds
    And "A" asking for the latest messages of "v3-Max-Page" with a limit of 3 gets the newest a page holds

  @REQ-15.13 @REQ-15.12 @MUST @v3
  Scenario: Past history_count the oldest go: AFTER an id no longer kept is GAP, AFTER the one before the oldest kept is OK
    Given "A" is logged in as "user1"
    And "A" is in the room "v3-outgrown"
    When "A" says two more numbered messages in "v3-outgrown" than the history keeps
    Then "A" finds the history of "v3-outgrown" holding exactly the newest messages the server advertised
    And "A" asking for the history of "v3-outgrown" after its first message gets GAP and the oldest messages kept
    And "A" asking for the history of "v3-outgrown" after its last-lost message gets OK and the oldest messages kept

  @REQ-15.12 @REQ-15.10 @MUST @v3
  Scenario: BEFORE an id of another epoch is answered GAP with the newest messages kept, the room named byte for byte
    Given "A" is logged in as "user1"
    And "A" is in the room "V3_Before-Gap"
    When "A" says 5 numbered messages in "V3_Before-Gap"
    Then "A" asks for the history of "V3_Before-Gap" before message 3 of another epoch with a limit of 2, it gets GAP and the newest 2

  @REQ-15.15 @MUST @v3
  Scenario: A ROOM_RESUME of a room the session is in is refused ALREADY_MEMBER, with nothing replayed
    Given "A" is logged in as "user1"
    And "A" is in the room "v3-resume-member"
    When "A" says 2 numbered messages in "v3-resume-member"
    Then "A" resuming "v3-resume-member", which it is in, gets ROOM_RESULT ALREADY_MEMBER and nothing else

  @REQ-15.15 @REQ-15.16 @MUST @v3
  Scenario: A member that missed more than a page gets one page replayed, its JOINED, and reads the rest with AFTER
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "v3-resume-far"
    When "A" says 1 numbered messages in "v3-resume-far"
    And "B" leaves "v3-resume-far" after message 1
    And "A" says one more numbered message in "v3-resume-far" than a history page holds
    And "A" says 1 numbered messages in "v3-resume-far"
    Then "B" resumes "v3-resume-far" from the last message it saw, it gets one page of what it missed, its JOINED, and pages on to the rest
    And "A" receives ROOM_EVENT JOINED for "user2" in "v3-resume-far"
