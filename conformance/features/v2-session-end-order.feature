Feature: Version 2: a session's end is told before the same user's next session
  However a session ends, its LEFT and OFFLINE go out before its login is freed, so the user's next
  session, which needs the login, is announced after them (spec/README.md §12.6, "Ending before
  freeing").

  Background:
    Given the server speaks protocol version 2

  @REQ-12.39 @REQ-12.18 @MUST @v2
  Scenario Outline: OFFLINE and LEFT come before the next session's ONLINE and JOINED (<how>)
    Given "A" is logged in as "user1"
    And "A" sends PRESENCE_SUBSCRIBE ON
    And "A" has received nothing but its own replies
    And "B" is logged in as "user2"
    And "A" receives PRESENCE_EVENT ONLINE for "user2"
    And "A" and "B" are in the room "lobby"
    When "B" <ends>
    And a connection "D" can log in as "user2" <when>
    And "D" sends ROOM_JOIN 7 for "lobby"
    Then "D" receives ROOM_RESULT 7 OK for "lobby" and then its own ROOM_EVENT JOINED
    And "A" receives OFFLINE and LEFT in "lobby" for "user2", then its next ONLINE and JOINED
    And "A" has received nothing but its own replies

    Examples:
      | how                | ends                                         | when                                                    |
      | LOGOUT             | logs out                                     | once the LOGOUT's EOF has come                          |
      | FIN without LOGOUT | closes its connection cleanly without LOGOUT | within the ping timeout and its tolerance               |
      | reset              | closes its connection abruptly with a reset  | within the ping timeout and its tolerance               |
