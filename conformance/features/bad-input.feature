Feature: Bad input
  Whatever a client sends, the server answers with the error code the spec names, closes the connection
  only when the spec's error table says that code closes, and goes on serving everyone else
  (spec/README.md §2, §3, §8). Malformed bytes come from the spec's own vectors
  (spec/vectors/invalid.json). In every scenario a bystander session logged in beforehand proves the
  server still serves others afterwards.

  Background:
    Given the server speaks protocol version 1
    And a bystander "B" logged in as "user2"

  @REQ-2.6 @REQ-8.2 @MUST @v1
  Scenario Outline: Bytes that are not Parrot are refused with BAD_MAGIC: <vector>, <part>
    Given a connection "A"
    When "A" sends <part> of the invalid vector "<vector>"
    Then "A" receives ERROR BAD_MAGIC and the spec's reaction to it
    And the bystander "B" can still chat

    Examples:
      | vector                     | part              |
      | bad-magic-http             | all bytes         |
      | bad-magic-http             | the first 2 bytes |
      | bad-magic-tls-client-hello | all bytes         |
      | bad-magic-byte-swapped     | the first 2 bytes |

  @REQ-2.6 @MUST @v1
  Scenario: Garbage after login is refused with BAD_MAGIC and closes only that connection
    Given "A" is logged in as "user1"
    When "A" sends the text "GET / HTTP/1.1\r\n\r\n"
    Then "A" receives ERROR BAD_MAGIC and the spec's reaction to it
    And the bystander "B" can still chat
    And a connection "C" can log in as "user1"

  @REQ-2.7 @MUST @v1
  Scenario Outline: A header declaring more than 8192 payload bytes is refused at once: <vector>
    Given "A" is logged in as "user1"
    When "A" sends the header of the invalid vector "<vector>" and no payload
    Then "A" receives ERROR FRAME_TOO_LARGE and the spec's reaction to it
    And the bystander "B" can still chat

    Examples:
      | vector                 |
      | frame-too-large-8193   |
      | frame-too-large-u4-max |

  @REQ-2.8 @MUST @v1
  Scenario Outline: The stream ends in the middle of a frame: the server closes (<what>)
    Given "A" is logged in as "user1"
    And "A" stays silent after a last PING
    When "A" sends <what> and then ends its side of the stream
    Then the server closes "A", with or without an ERROR first
    And the bystander "B" can still chat
    And a connection "C" can log in as "user1"

    Examples:
      | what                             |
      | the first 5 bytes of a header    |
      | a header and half of its payload |

  @REQ-3.5 @REQ-11.2 @MUST @v1
  Scenario Outline: An unknown message type is refused without closing: <vector>
    Given "A" is logged in as "user1"
    When "A" sends the invalid vector "<vector>"
    Then "A" receives ERROR UNKNOWN_MESSAGE_TYPE, or UNSUPPORTED_IN_VERSION if the server knows the type from a later version, and the spec's reaction to it
    And "A" can still chat
    And the bystander "B" can still chat

    Examples:
      | vector                         |
      | unknown-type-0x00              |
      | unknown-type-0x0b              |
      | unknown-type-0xff              |

  @REQ-3.4 @MUST @v1
  Scenario Outline: A string that is not UTF-8 is refused with INVALID_UTF8 and closes: <vector>
    Given <connection>
    When "A" sends the invalid vector "<vector>"
    Then "A" receives ERROR INVALID_UTF8 and the spec's reaction to it
    And the bystander "B" can still chat

    Examples:
      | vector                  | connection                          |
      | utf8-overlong           | "A" is logged in as "user1"         |
      | utf8-lone-continuation  | "A" is logged in as "user1"         |
      | utf8-surrogate          | "A" is logged in as "user1"         |
      | utf8-truncated-sequence | "A" is logged in as "user1"         |
      | utf8-above-u10ffff      | "A" is logged in as "user1"         |
      | utf8-byte-ff            | "A" is logged in as "user1"         |
      | utf8-invalid-username   | a connection "A" that has negotiated |
      | utf8-invalid-password   | a connection "A" that has negotiated |

  @REQ-3.2 @MUST @v1
  Scenario Outline: A payload that does not fit its type is refused with MALFORMED_PAYLOAD and closes: <vector>
    Given <connection>
    When "A" sends the invalid vector "<vector>"
    Then "A" receives ERROR MALFORMED_PAYLOAD and the spec's reaction to it
    And the bystander "B" can still chat

    Examples:
      | vector                        | connection                  |
      | ping-payload-too-short        | "A" is logged in as "user1" |
      | chat-payload-too-short-for-id | "A" is logged in as "user1" |
      | chat-text-shorter-than-length | "A" is logged in as "user1" |
      | ping-trailing-byte            | "A" is logged in as "user1" |
      | logout-with-payload           | "A" is logged in as "user1" |
      | chat-trailing-bytes           | "A" is logged in as "user1" |
      | version-request-count-0       | a connection "A"            |
      | version-request-count-17      | a connection "A"            |

  @REQ-3.3 @MUST @v1
  Scenario Outline: A login field over its maximum is refused with STRING_TOO_LONG without closing: <vector>
    Given a connection "A" that has negotiated
    When "A" sends the invalid vector "<vector>"
    Then "A" receives ERROR STRING_TOO_LONG and the spec's reaction to it
    When "A" logs in as "user1"
    Then "A" is logged in
    And the bystander "B" can still chat

    Examples:
      | vector                      |
      | login-request-username-33   |
      | login-request-password-129  |

  @REQ-8.6 @MUST @v1
  Scenario Outline: A type only servers send is refused with UNEXPECTED_MESSAGE without closing: <type> <when>
    Given <connection>
    When "A" sends a <type> PDU
    Then "A" receives ERROR UNEXPECTED_MESSAGE and the spec's reaction to it
    And the bystander "B" can still chat

    Examples:
      | type             | when         | connection                           |
      | CHAT_ECHO        | logged in    | "A" is logged in as "user1"          |
      | PONG             | logged in    | "A" is logged in as "user1"          |
      | VERSION_RESPONSE | logged in    | "A" is logged in as "user1"          |
      | LOGIN_RESPONSE   | logged in    | "A" is logged in as "user1"          |
      | CHAT_ECHO        | before login | a connection "A" that has negotiated |
      | LOGIN_RESPONSE   | before login | a connection "A" that has negotiated |

  @REQ-8.7 @MUST @v1
  Scenario: A type from a later version than the negotiated one is refused with UNSUPPORTED_IN_VERSION
    Given the spec defines a message type newer than version 1
    And the server speaks a protocol version newer than 1
    And "A" is logged in as "user1"
    When "A" sends a PDU of the newest message type
    Then "A" receives ERROR UNSUPPORTED_IN_VERSION and the spec's reaction to it
    And the bystander "B" can still chat

  @REQ-8.5 @MUST @v1
  Scenario: An ERROR from the client whose code does not close is not answered
    Given "A" is logged in as "user1"
    When "A" sends ERROR UNKNOWN_MESSAGE_TYPE
    Then "A" can still ping
    And "A" can still chat

  @REQ-8.5 @MUST @v1
  Scenario: An ERROR from the client whose code closes ends the connection without a reply
    Given "A" is logged in as "user1"
    When "A" sends ERROR INTERNAL_ERROR
    Then the server closes "A" without sending anything
    And a connection "C" can log in as "user1"
    And the bystander "B" can still chat

  @REQ-2.5 @MUST @v1
  Scenario: A whole session dribbled one byte per write works
    Given a connection "A"
    When "A" dribbles a VERSION_REQUEST for version 1 one byte at a time
    Then "A" gets VERSION_RESPONSE OK choosing version 1
    When "A" dribbles a LOGIN_REQUEST for "user1" one byte at a time
    Then "A" is answered LOGIN_RESPONSE OK
    When "A" dribbles CHAT 3 with the emoji text one byte at a time
    Then "A" receives the echo of CHAT 3 with the emoji text
    And the bystander "B" can still chat

  @REQ-2.9 @REQ-2.4 @REQ-2.5 @MUST @v1
  Scenario: A login, a CHAT and a PING in one write are handled in order, the CHAT after the login
    Given a connection "A" that has negotiated
    When "A" sends LOGIN_REQUEST for "user1", CHAT 8 and PING 9 in one write
    Then "A" is answered LOGIN_RESPONSE OK
    And "A" receives the echo of CHAT 8 with the ASCII text
    And "A" receives PONG with token 9

  @REQ-8.3 @MUST @v1
  Scenario: Nothing behind a PDU that gets a closing ERROR is processed
    Given a connection "A"
    When "A" sends a PING before negotiating and, in the same write, a VERSION_REQUEST
    Then "A" receives ERROR NEGOTIATION_REQUIRED and the spec's reaction to it

  @REQ-8.4 @MUST @v1
  Scenario: After a refusal that does not close, the next frame is handled as usual
    Given "A" is logged in as "user1"
    When "A" sends a CHAT_ECHO PDU and, in the same write, CHAT 12 with the emoji text
    Then "A" receives ERROR UNEXPECTED_MESSAGE
    And "A" receives the echo of CHAT 12 with the emoji text
    And "A" can still ping

  @REQ-8.8 @MUST @v1
  Scenario: Errors on other connections leave a session's login and echoes untouched
    Given "C" is logged in as "user1"
    And a connection "A"
    When "A" sends the text "GET / HTTP/1.1\r\n\r\n"
    And "C" sends the invalid vector "utf8-overlong"
    Then the server closes "A", with or without an ERROR first
    And the server closes "C", with or without an ERROR first
    And the bystander "B" can still chat
    And "B" still holds the login of "user2"

  @REQ-8.1 @MUST @v1
  Scenario Outline: With two faults in one PDU, the first check of the spec's order wins: <case>
    Given <connection>
    When "A" sends <pdu>
    Then "A" receives ERROR <error> and the spec's reaction to it
    And the bystander "B" can still chat

    Examples:
      | case                                 | connection                           | pdu                                                       | error                |
      | unknown type before negotiation      | a connection "A"                     | a PDU of unknown type 11 with header version 0            | UNKNOWN_MESSAGE_TYPE |
      | unknown type with a wrong version    | "A" is logged in as "user1"          | a PDU of unknown type 11 with header version 9            | UNKNOWN_MESSAGE_TYPE |
      | over-long text with a wrong version  | "A" is logged in as "user1"          | CHAT 1 with 4097 bytes of text and header version 9       | STRING_TOO_LONG      |
      | wrong version from the wrong role    | "A" is logged in as "user1"          | a CHAT_ECHO PDU with header version 9                     | WRONG_VERSION        |
      | wrong version in the wrong state     | a connection "A" that has negotiated | a CHAT PDU with header version 9                          | WRONG_VERSION        |
      | over-long text in the wrong state    | a connection "A" that has negotiated | CHAT 1 with 4097 bytes of text and header version 1       | STRING_TOO_LONG      |

  @REQ-8.10 @SHOULD @v1
  Scenario Outline: An ERROR carries a human-readable text: <error>
    Given "A" is logged in as "user1"
    When "A" sends <pdu>
    Then the ERROR "A" receives is <error> with a text that is not empty

    Examples:
      | error                 | pdu                                          |
      | ALREADY_AUTHENTICATED | a LOGIN_REQUEST PDU                          |
      | UNEXPECTED_MESSAGE    | a CHAT_ECHO PDU                              |
      | UNKNOWN_MESSAGE_TYPE  | a PDU of unknown type 11 with header version 1 |
      | WRONG_VERSION         | a PING PDU with header version 9             |
