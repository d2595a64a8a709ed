Feature: Version 2: presence
  A session that sends PRESENCE_SUBSCRIBE ON is told, with PRESENCE_EVENT, of every login (on version
  1 or 2) and every end of a session holding a login, once each. Sessions that did not subscribe, or
  turned it OFF, are told nothing, and PRESENCE_SUBSCRIBE itself gets no reply (spec/README.md §12.8).

  Background:
    Given the server speaks protocol version 2

  @REQ-12.30 @REQ-12.32 @MUST @v2
  Scenario: A subscriber is told once of every login and every session end, version 1 sessions included
    Given "A" is logged in as "user1"
    When "A" sends PRESENCE_SUBSCRIBE ON
    Then "A" has received nothing but its own replies
    When "B" is logged in as "user2"
    Then "A" receives PRESENCE_EVENT ONLINE for "user2"
    When "V" is logged in as "user3" with protocol version 1
    Then "A" receives PRESENCE_EVENT ONLINE for "user3"
    When "B" logs out
    Then "A" receives PRESENCE_EVENT OFFLINE for "user2" once the session of "B" has ended
    When "V" closes its connection abruptly with a reset
    Then "A" receives PRESENCE_EVENT OFFLINE for "user3" once the session of "V" has ended
    And "A" has received nothing but its own replies

  @REQ-12.30 @MUST @v2
  Scenario: Subscribing twice still tells each change once
    Given "A" is logged in as "user1"
    When "A" sends PRESENCE_SUBSCRIBE ON
    And "A" sends PRESENCE_SUBSCRIBE ON
    Then "A" has received nothing but its own replies
    When "B" is logged in as "user2"
    Then "A" receives PRESENCE_EVENT ONLINE for "user2"
    And "A" has received nothing but its own replies

  @REQ-12.30 @MUST @v2
  Scenario: Refused logins are not logins: a subscriber hears nothing of them
    Given "A" is logged in as "user1"
    And "A" sends PRESENCE_SUBSCRIBE ON
    And "A" has received nothing but its own replies
    And a connection "B" that has negotiated
    When "B" logs in as "user2" with the password "not-the-password"
    Then "B" is refused with BAD_CREDENTIALS
    When "B" logs in as "user1"
    Then "B" is refused with ALREADY_LOGGED_IN
    And "A" has received nothing but its own replies

  @REQ-12.30 @MUST @v2
  Scenario Outline: A session that ends however it ends is reported OFFLINE once (<how>)
    Given "A" is logged in as "user1"
    And "A" sends PRESENCE_SUBSCRIBE ON
    And "A" has received nothing but its own replies
    And "B" is logged in as "user2"
    And "A" receives PRESENCE_EVENT ONLINE for "user2"
    When "B" <ends>
    Then "A" receives PRESENCE_EVENT OFFLINE for "user2" once the session of "B" has ended
    And "A" has received nothing but its own replies

    Examples:
      | how                | ends                                                  |
      | FIN without LOGOUT | closes its connection cleanly without LOGOUT          |
      | a closing ERROR    | is closed for sending a PDU that gets a closing ERROR |
      | ping timeout       | stays silent until the server times it out            |

  @REQ-12.31 @REQ-12.32 @MUST @v2
  Scenario: Sessions that did not subscribe, or turned it off, are told nothing
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    When "A" sends PRESENCE_SUBSCRIBE ON
    And "C" sends PRESENCE_SUBSCRIBE ON
    And "C" sends PRESENCE_SUBSCRIBE OFF
    Then "A" and "C" have received nothing but their own replies
    When "D" is logged in as "user4"
    Then "A" receives PRESENCE_EVENT ONLINE for "user4"
    When "D" logs out
    Then "A" receives PRESENCE_EVENT OFFLINE for "user4" once the session of "D" has ended
    And "A", "B" and "C" have received nothing but their own replies
