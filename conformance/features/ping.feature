Feature: Keep-alive and timers
  The server answers PING with PONG and closes a connection it has heard nothing from for the advertised
  ping timeout, within the spec's tolerance, freeing its login. A connection that has not logged in
  within the handshake timeout is closed too (spec/README.md §7). Every wait here comes from the timers
  the server advertises (or, for the handshake timeout, which is not advertised, from
  --handshake-timeout); --max-timer caps them.

  Background:
    Given the server speaks protocol version 1

  @REQ-7.2 @MUST @v1
  Scenario Outline: PING is answered with a PONG carrying the same token (<token>)
    Given "A" is logged in as "user1"
    When "A" sends PING with token <token>
    Then "A" receives PONG with token <token>

    Examples:
      | token      |
      | 0          |
      | 1          |
      | 4294967295 |

  @REQ-7.2 @MUST @v1
  Scenario: PING is answered before login too
    Given a connection "A" that has negotiated
    When "A" sends PING with token 77
    Then "A" receives PONG with token 77

  @REQ-7.2 @MUST @v1
  Scenario: Many PINGs in one write are each answered, in order
    Given "A" is logged in as "user1"
    When "A" sends 50 PINGs in one write
    Then "A" receives their 50 PONGs in order

  @REQ-7.4 @REQ-5.6 @MUST @v1
  Scenario: A silent session is closed with PING_TIMEOUT within the advertised timeout and its login is freed
    Given "A" is logged in as "user1"
    And "A" stays silent
    When the server closes "A" with ERROR PING_TIMEOUT within the advertised ping timeout and its tolerance
    Then a connection "B" can log in as "user1"

  @REQ-7.4 @MUST @v1
  Scenario: A silent connection that negotiated but never logged in is closed with PING_TIMEOUT
    Given a connection "A" that has negotiated
    And the ping timeout advertised to "A" ends before the handshake timeout
    And "A" stays silent
    Then the server closes "A" with ERROR PING_TIMEOUT within the advertised ping timeout and its tolerance

  @REQ-7.5 @REQ-7.3 @MUST @v1
  Scenario: A session that keeps pinging at the advertised interval is kept well past the timeout
    Given "A" is logged in as "user1"
    And "A" stays silent
    When "A" sends a PING every advertised ping interval for 3 times the ping timeout
    Then "A" can still chat

  @REQ-7.3 @REQ-7.5 @MUST @v1
  Scenario: Any PDU restarts the ping-timeout clock, not only PING
    Given "A" is logged in as "user1"
    And "A" stays silent
    When "A" sends a CHAT every advertised ping interval for 2 times the ping timeout
    Then "A" can still ping

  @REQ-7.3 @MUST @v1
  Scenario: A refused PDU restarts the ping-timeout clock too
    Given "A" is logged in as "user1"
    And "A" stays silent
    When "A" sends a PDU of unknown type 11 every advertised ping interval for 2 times the ping timeout
    Then "A" can still ping

  @REQ-7.7 @SHOULD @v1
  Scenario: The bytes of an incomplete frame do not restart the ping-timeout clock
    Given "A" is logged in as "user1"
    And "A" stays silent
    When "A" starts a PING and sends one more byte of it every half ping interval
    Then the server closes "A" with ERROR PING_TIMEOUT within the advertised ping timeout and its tolerance

  @REQ-7.9 @MUST @v1
  Scenario: A connection that never negotiates is closed with HANDSHAKE_TIMEOUT
    Given the server's handshake timeout is known
    And a connection "A"
    Then the server closes "A" with ERROR HANDSHAKE_TIMEOUT within the handshake timeout and its tolerance

  @REQ-7.9 @MUST @v1
  Scenario: A connection that negotiates and pings but never logs in is closed with HANDSHAKE_TIMEOUT
    Given the server's handshake timeout is known
    And a connection "A" that has negotiated and keeps pinging
    Then the server closes "A" with ERROR HANDSHAKE_TIMEOUT within the handshake timeout and its tolerance
