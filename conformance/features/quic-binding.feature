@quic
Feature: The QUIC binding
  Over QUIC (spec/README.md §14) one QUIC connection carries one Parrot connection on its first
  client-initiated bidirectional stream, and the QUIC connection's close says how it ended. These
  scenarios open QUIC connections of their own to see what the byte stream hides: a refused
  handshake, the application error code of the server's CONNECTION_CLOSE. They are judged when
  the run speaks QUIC (--transport quic) and unsupported otherwise; every other scenario of the
  suite runs over QUIC unchanged.

  Background:
    Given the run speaks QUIC to the server
    And the server speaks protocol version 1

  @REQ-14.1 @MUST @v1
  Scenario Outline: A handshake that does not offer the ALPN parrot is refused (<offered>)
    When a QUIC handshake offers only the ALPN identifiers "<offered>"
    Then the server refuses that QUIC handshake with CRYPTO_ERROR 376

    Examples:
      | offered   |
      | quic      |
      | parrot.v1 |
      | h3, hq-29 |

  @REQ-14.1 @MUST @v1
  Scenario: A handshake offering parrot among other identifiers is accepted and served
    When "A" opens a watched QUIC connection offering the ALPN identifiers "h3, parrot"
    Then "A" can still ping

  @REQ-14.5 @MUST @v1
  Scenario: After LOGOUT the server closes the QUIC connection with NO_ERROR
    Given a watched QUIC connection "A" logged in as "user1"
    When "A" logs out
    Then the server closed the QUIC connection of "A" with application error NO_ERROR

  @REQ-14.5 @MUST @v1
  Scenario: A closing ERROR is followed by the stream's end, then CONNECTION_CLOSE NO_ERROR
    Given a watched QUIC connection "A" that has negotiated
    When "A" sends the invalid vector "bad-magic-byte-swapped"
    Then "A" receives ERROR BAD_MAGIC and the spec's reaction to it
    And the server closed the QUIC connection of "A" with application error NO_ERROR

  @REQ-14.7 @MUST @v1
  Scenario: A QUIC connection that opens no stream is closed with NO_STREAM after the handshake timeout
    Given a watched QUIC connection "A" that opens no stream
    Then the server closes the QUIC connection of "A" with application error NO_STREAM once the handshake timeout has run
