Feature: One live login per user
  A user has at most one live login, server-wide. A second login is told ALREADY_LOGGED_IN ("already
  logged in from another location") and the first session is left untouched; once the first session
  ends, however it ends, the login is free again (spec/README.md §5, §9).

  Background:
    Given the server speaks protocol version 1

  @REQ-5.3 @MUST @v1
  Scenario: A second login is refused while the first session lives, and the first keeps working
    Given "A" is logged in as "user1"
    And a connection "B" that has negotiated
    When "B" logs in as "user1"
    Then "B" is refused with ALREADY_LOGGED_IN
    And "A" can still chat
    And "A" still holds the login of "user1"

  @REQ-5.4 @MUST @v1
  Scenario: A wrong password for a user in use is answered BAD_CREDENTIALS, not ALREADY_LOGGED_IN
    Given "A" is logged in as "user1"
    And a connection "B" that has negotiated
    When "B" logs in as "user1" with the password "not-the-password"
    Then "B" is refused with BAD_CREDENTIALS

  @REQ-5.3 @REQ-5.11 @MUST @v1
  Scenario: ALREADY_LOGGED_IN does not count as a failed attempt
    Given "A" is logged in as "user1"
    And a connection "B" that has negotiated
    When "B" logs in as "user1" 4 times
    Then each of those attempts by "B" was refused with ALREADY_LOGGED_IN
    And "B" can still ping

  @REQ-5.6 @REQ-9.1 @REQ-9.2 @MUST @v1
  Scenario: The login is free as soon as the first session has logged out
    Given "A" is logged in as "user1"
    When "A" logs out
    Then a connection "B" can log in as "user1"

  @REQ-9.2 @MUST @v1
  Scenario: Nothing after LOGOUT is processed and nothing is sent in reply
    Given "A" is logged in as "user1"
    When "A" sends LOGOUT and, in the same write, a PING and a CHAT
    Then the server closes "A" without sending anything
    And a connection "B" can log in as "user1"

  @REQ-5.6 @MUST @v1
  Scenario Outline: The login is freed when the client closes its connection without logging out (<how>)
    Given "A" is logged in as "user1"
    When "A" closes its connection <how>
    Then a connection "B" can log in as "user1" within the ping timeout and its tolerance

    Examples:
      | how                    |
      | abruptly with a reset  |
      | cleanly without LOGOUT |

  @REQ-5.6 @REQ-7.4 @MUST @v1
  Scenario: The login is freed when the first session is timed out for silence
    Given "A" is logged in as "user1"
    And "A" stays silent
    When the server closes "A" with ERROR PING_TIMEOUT within the advertised ping timeout and its tolerance
    Then a connection "B" can log in as "user1"

  @REQ-5.6 @MUST @v1
  Scenario: The login is freed when the server closes the first session for a closing error
    Given "A" is logged in as "user1"
    When "A" sends the invalid vector "utf8-overlong"
    Then "A" receives ERROR INVALID_UTF8 and the spec's reaction to it
    And a connection "B" can log in as "user1"
