Feature: What the server sends
  Every PDU a server sends must be well-formed (spec/README.md §3), framed with its exact payload
  length (§2), carry the header version §4.3 prescribes, and exist in the version in effect (§11).
  The suite checks this on every PDU it receives in every scenario, and pins a violation on these
  requirements wherever it shows up; this scenario makes the server send one of each kind it can.

  @REQ-2.3 @REQ-3.1 @REQ-4.9 @REQ-11.1 @MUST @v1
  Scenario: A session that makes the server send every kind of PDU gets only well-formed ones
    Given the server speaks protocol version 1
    And a connection "A" that has negotiated
    And a connection "B"
    When "A" logs in as "user1" with the password "not-the-password"
    Then "A" is refused with BAD_CREDENTIALS
    When "A" sends a CHAT PDU
    Then "A" receives ERROR AUTHENTICATION_REQUIRED and the spec's reaction to it
    When "A" logs in as "user1"
    Then "A" is logged in
    When "A" sends CHAT 7 with the emoji text
    Then "A" receives the echo of CHAT 7 with the emoji text
    When "A" sends PING with token 7
    Then "A" receives PONG with token 7
    When "A" logs out
    And "B" offers the versions 250
    Then "B" gets VERSION_RESPONSE NO_COMMON_VERSION with chosen version 0, listing the server's versions
