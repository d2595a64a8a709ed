Feature: Timers run from the moment the spec names, and nothing else restarts them
  The handshake timeout runs from the connect; the ping timeout from the last complete frame the server
  received, accepted or refused (spec/README.md §7). Each scenario moves the events a wrong clock would
  start from: a negotiation or a refused login that comes late, refused PDUs of every kind, a peer's ERROR,
  and what the server itself sends the session. (A rate-limited TYPING is not among them: it can only
  come within 250 ms of an accepted one, which restarts the clock anyway, and 250 ms is within the
  tolerance and slack of the judgement.) A clock started at the wrong moment closes visibly early
  or late; one restarted by the wrong event does not close at all.

  @REQ-7.9 @REQ-7.11 @MUST @v1
  Scenario: A connection that negotiates late is closed with HANDSHAKE_TIMEOUT counted from its connect
    Given the server speaks protocol version 1
    And the server's handshake timeout is known
    And a connection "A"
    When "A" waits until a handshake clock started later would be seen to be late, then negotiates and keeps pinging
    Then the server closes "A" with ERROR HANDSHAKE_TIMEOUT within the handshake timeout and its tolerance

  @REQ-7.9 @REQ-7.11 @MUST @v1
  Scenario: A refused login late in the handshake does not restart the handshake timeout
    Given the server speaks protocol version 1
    And the server's handshake timeout is known
    And a connection "A" that has negotiated and keeps pinging
    When "A" waits until a handshake clock started later would be seen to be late, then fails to log in once
    Then the server closes "A" with ERROR HANDSHAKE_TIMEOUT within the handshake timeout and its tolerance

  @REQ-7.3 @REQ-7.5 @MUST @v1
  Scenario Outline: Every kind of refused PDU restarts the ping-timeout clock, version 1: <refusal>
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    And "A" stays silent
    When "A" sends <refusal> every advertised ping interval for 2 times the ping timeout
    Then "A" can still chat

    Examples:
      | refusal                                    |
      | a LOGIN_REQUEST while logged in            |
      | a VERSION_REQUEST offering another version |
      | a CHAT_ECHO, which only servers send       |
      | a CHAT over the maximum length             |
      | a version 2 type on a version 1 connection |
      | an ERROR whose code does not close         |

  @REQ-7.3 @REQ-7.5 @MUST @v2
  Scenario Outline: Every kind of refused PDU restarts the ping-timeout clock, version 2: <refusal>
    Given the server speaks protocol version 2
    And "A" is logged in as "user1"
    And "A" stays silent
    When "A" sends <refusal> every advertised ping interval for 2 times the ping timeout
    Then "A" can still chat

    Examples:
      | refusal                                          |
      | a VERSION_REQUEST offering another version       |
      | a ROOM_SAY to a room it is not in                |
      | a ROOM_JOIN with a name that is not a room name  |
      | an ERROR whose code does not close               |

  @REQ-7.4 @REQ-7.3 @MUST @v2
  Scenario: What the server sends a silent session does not restart its ping-timeout clock
    Given the server speaks protocol version 2
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" stays silent after a last PING
    When "B" sends direct messages to "user1" every quarter ping interval
    Then the server closes "A" with ERROR PING_TIMEOUT counted from its last PING, whatever it sent "A" meanwhile
