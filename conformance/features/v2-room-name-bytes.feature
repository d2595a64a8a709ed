Feature: Version 2: a name that is not UTF-8 is a decoding error, not a status
  Name fields get a status when they are well-formed UTF-8 but name nothing (spec/README.md §12.2);
  bytes that are not UTF-8 fail decoding first and are INVALID_UTF8, which closes (REQ-3.4).

  Background:
    Given the server speaks protocol version 2
    And a bystander "B" logged in as "user2"

  @REQ-3.4 @REQ-8.1 @MUST @v2
  Scenario: A ROOM_JOIN whose room name is not UTF-8 is refused with INVALID_UTF8, not BAD_ROOM_NAME
    Given "A" is logged in as "user1"
    When "A" sends the invalid vector "utf8-invalid-room-name"
    Then "A" receives ERROR INVALID_UTF8 and the spec's reaction to it
    And the bystander "B" can still chat
