Feature: Login
  After negotiation the client logs in; the server answers LOGIN_RESPONSE and, on OK, holds the user's
  login for this connection (spec/README.md §5). Unknown users and wrong passwords look alike.

  Background:
    Given the server speaks protocol version 1

  @REQ-5.1 @MUST @v1
  Scenario: Good credentials log the user in
    Given a connection "A" that has negotiated
    When "A" logs in as "user1"
    Then "A" is logged in
    And "A" can still chat

  @REQ-5.2 @MUST @v1
  Scenario: A wrong password and an unknown user are answered alike
    Given a connection "A" that has negotiated
    And a connection "B" that has negotiated
    When "A" logs in as "user1" with the password "not-the-password"
    And "B" logs in as the unknown user with the password "not-the-password"
    Then "A" is refused with BAD_CREDENTIALS
    And "B" is refused with BAD_CREDENTIALS
    And the refusals of "A" and "B" are identical

  @REQ-5.1 @MUST @v1
  Scenario: A refused login may be retried on the same connection
    Given a connection "A" that has negotiated
    When "A" logs in as "user1" with the password "not-the-password"
    Then "A" is refused with BAD_CREDENTIALS
    When "A" logs in as "user1"
    Then "A" is logged in

  @REQ-4.7 @MUST @v1
  Scenario: A login before negotiation is refused and closes the connection
    Given a connection "A"
    When "A" sends a LOGIN_REQUEST for "user1" before negotiating
    Then "A" receives ERROR NEGOTIATION_REQUIRED and the spec's reaction to it

  @REQ-5.8 @MUST @v1
  Scenario: A second login on a logged-in connection is refused and the first login stands
    Given "A" is logged in as "user1"
    When "A" sends a LOGIN_REQUEST for "user2"
    Then "A" receives ERROR ALREADY_AUTHENTICATED and the spec's reaction to it
    And "A" can still chat
    And a connection "B" can log in as "user2"

  @REQ-5.7 @MUST @v1
  Scenario: The third failed login on one connection is followed by TOO_MANY_LOGIN_ATTEMPTS and a close
    Given a connection "A" that has negotiated
    When "A" fails to log in as "user1" as many times as the spec allows
    Then each of those attempts by "A" was refused with BAD_CREDENTIALS
    And "A" receives ERROR TOO_MANY_LOGIN_ATTEMPTS and the spec's reaction to it

  @REQ-5.7 @MUST @v1
  Scenario: Refused logins on other connections do not count towards the limit
    Given a connection "A" that has negotiated
    And a connection "B" that has negotiated
    When "A" logs in as "user1" with the password "not-the-password"
    And "B" logs in as "user1" with the password "not-the-password"
    And "A" logs in as "user1" with the password "not-the-password"
    And "B" logs in as "user1" with the password "not-the-password"
    Then "A" is refused with BAD_CREDENTIALS
    And "B" is refused with BAD_CREDENTIALS
    When "A" logs in as "user1"
    Then "A" is logged in

  @REQ-5.5 @SHOULD @v1
  Scenario: ALREADY_LOGGED_IN says the user is logged in from another location
    Given "A" is logged in as "user1"
    And a connection "B" that has negotiated
    When "B" logs in as "user1"
    Then "B" is refused with ALREADY_LOGGED_IN
    And the refusal of "B" says "already logged in from another location"
