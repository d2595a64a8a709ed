@websocket
Feature: The WebSocket binding
  Over WebSocket (spec/README.md §2.3) the byte stream of §2 is carried in binary messages of a
  connection that selected the subprotocol parrot.v1. These scenarios open WebSockets of their own
  to see what the byte stream hides: the handshake's HTTP answer, each message's kind, the close
  code. They are judged when the run speaks WebSocket (--transport ws) and unsupported otherwise;
  every other scenario of the suite runs over WebSocket unchanged.

  Background:
    Given the run speaks WebSocket to the server
    And the server speaks protocol version 1

  @REQ-2.10 @MUST @v1
  Scenario: The server selects parrot.v1 when a client offers it among others
    Given a watched WebSocket "A"
    Then the server selected the subprotocol "parrot.v1" for "A"
    And "A" can still ping

  @REQ-2.10 @MUST @v1
  Scenario Outline: A handshake that does not offer parrot.v1 is refused with HTTP 400 (<offered>)
    When a WebSocket handshake offers the subprotocols "<offered>"
    Then the server refuses that handshake with HTTP status 400 and no upgrade

    Examples:
      | offered           |
      |                   |
      | parrot.v2         |
      | parrot, chat.v1   |

  @REQ-2.11 @MUST @v1
  Scenario: Every reply, closing ERROR included, comes in binary messages
    Given a watched WebSocket "A" logged in as "user1"
    When "A" sends CHAT 1, a PDU of unknown type 11 and CHAT 2 in one write
    Then "A" receives the echo of CHAT 1 with the ASCII text
    And "A" receives ERROR UNKNOWN_MESSAGE_TYPE
    And "A" receives the echo of CHAT 2 with the ASCII text
    When "A" sends the invalid vector "bad-magic-byte-swapped"
    Then "A" receives ERROR BAD_MAGIC and the spec's reaction to it
    And every message the server sent "A" was binary

  @REQ-2.12 @MUST @v1
  Scenario: A frame split over one-byte messages, with empty messages between them, is read
    Given a watched WebSocket "A"
    When "A" sends a VERSION_REQUEST one byte per message, an empty message after each
    Then "A" gets VERSION_RESPONSE OK and can log in as "user1"

  @REQ-2.12 @MUST @v1
  Scenario: Several frames in one message are all read, in order
    Given a watched WebSocket "A" logged in as "user1"
    When "A" sends 5 CHATs in one write
    Then "A" receives their 5 echoes in order and nothing else

  @REQ-2.13 @MUST @v1
  Scenario: A text message closes the WebSocket with close code 1003 and no ERROR
    Given a watched WebSocket "A" logged in as "user1"
    When "A" sends a text message
    Then the server closes the WebSocket of "A" with close code 1003, sending no PDU first
    And a connection "B" can log in as "user1" within the ping timeout and its tolerance

  @REQ-2.14 @MUST @v1
  Scenario: A closing ERROR comes in a binary message, then close code 1000
    Given a watched WebSocket "A" that has negotiated
    When "A" sends the invalid vector "bad-magic-byte-swapped"
    Then "A" receives ERROR BAD_MAGIC and the spec's reaction to it
    And the server closed the WebSocket of "A" with close code 1000
    And every message the server sent "A" was binary

  @REQ-2.14 @MUST @v1
  Scenario: LOGOUT ends with close code 1000
    Given a watched WebSocket "A" logged in as "user1"
    When "A" logs out
    Then the server closed the WebSocket of "A" with close code 1000

  @REQ-2.14 @REQ-2.8 @REQ-5.6 @MUST @v1
  Scenario Outline: A close frame with code <code> ends the client's stream: a partial frame is discarded and the login is free
    Given a watched WebSocket "A" logged in as "user1"
    When "A" sends half a CHAT frame and closes its WebSocket with close code <code>
    Then the server closes "A", with or without an ERROR first
    And a connection "B" can log in as "user1" within the ping timeout and its tolerance

    Examples:
      | code |
      | 1000 |
      | 1001 |
      | 4000 |

  @REQ-2.14 @REQ-5.6 @MUST @v1
  Scenario: A WebSocket dropped without a close frame frees the login
    Given a watched WebSocket "A" logged in as "user1"
    When "A" closes its connection abruptly with a reset
    Then a connection "B" can log in as "user1" within the ping timeout and its tolerance

  @REQ-2.15 @MUST @v1
  Scenario: A binary message of 8200 bytes, the largest frame, is accepted
    Given a watched WebSocket "A" logged in as "user1"
    When "A" sends a PDU of unknown type 240 in one message of 8200 bytes
    Then "A" receives ERROR UNKNOWN_MESSAGE_TYPE, or UNSUPPORTED_IN_VERSION if the server knows the type from a later version, and the spec's reaction to it
    And "A" can still chat
