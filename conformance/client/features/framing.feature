Feature: Framing and bad input, as the client receives it
  The client reads frames at any chunking, answers a frame it must refuse with the spec's ERROR (and
  closes when that code closes), skips what it must skip, and never answers an ERROR with an ERROR.
  The bad frame comes from the scripted server after the client's first CHAT.

  @REQ-2.5 @MUST @v1
  Scenario: Every frame from the server arrives one byte per write
    Given the client is given the messages "one" and "two"
    And the scripted server writes every PDU one byte at a time
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    Then the client completes its session

  @REQ-2.4 @MUST @v1
  Scenario: Many frames arrive in one write
    Given the client is given the messages "one", "two", "three" and "four"
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server waits for all 4 CHATs and answers them in one write, with a PONG of an unused token between each
    Then the client completes its session

  @REQ-8.2 @REQ-8.3 @MUST @v1
  Scenario Outline: A frame that breaks the stream or its encoding is answered with its ERROR and the close: <frame>
    Given the client is given the messages "one" and "two"
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server answers the first CHAT with <frame>
    Then the client answers ERROR <code> and closes the connection
    And the client exits with a failure

    @REQ-2.6
    Examples: bad magic
      | frame                | code      |
      | a frame of bad magic | BAD_MAGIC |

    @REQ-2.7
    Examples: oversized
      | frame                             | code            |
      | a header announcing 8193 bytes    | FRAME_TOO_LARGE |

    @REQ-3.2
    Examples: malformed
      | frame                                  | code              |
      | a CHAT_ECHO with a byte after its text | MALFORMED_PAYLOAD |

    @REQ-3.4
    Examples: not UTF-8
      | frame                             | code         |
      | a CHAT_ECHO whose text is not UTF-8 | INVALID_UTF8 |

    @REQ-4.10
    Examples: wrong header version
      | frame                            | code          |
      | a CHAT_ECHO with header version 9 | WRONG_VERSION |

  @REQ-8.2 @REQ-8.4 @MUST @v1
  Scenario Outline: A PDU the client must refuse without closing is answered with its ERROR, and the session goes on: <frame>
    Given the client is given the messages "one" and "two"
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server sends <frame> before the first echo
    Then the client answers ERROR <code> and stays connected
    And the client completes its session

    @REQ-3.5 @REQ-11.2
    Examples: unknown type
      | frame                       | code                 |
      | a PDU of unknown type 0x7e | UNKNOWN_MESSAGE_TYPE |

    @REQ-8.6
    Examples: the client's own role
      | frame  | code               |
      | a CHAT | UNEXPECTED_MESSAGE |

    @REQ-8.7 @REQ-12.4
    Examples: a version 2 type on a version 1 connection
      | frame                           | code                   |
      | a ROOM_EVENT with header version 1 | UNSUPPORTED_IN_VERSION |

  @REQ-2.8 @MUST @v1
  Scenario Outline: The server's end of the stream in the middle of a frame ends the client: <end>
    Given the client is given the messages "one" and "two"
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server sends half of the first echo, then <end>
    Then the client closes the connection
    And the client exits with a failure

    Examples:
      | end           |
      | a FIN         |
      | a reset (RST) |

  @REQ-8.5 @MUST @v1
  Scenario: A non-closing ERROR from the server is not answered with an ERROR
    Given the client is given the messages "one" and "two"
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server sends an ERROR UNKNOWN_MESSAGE_TYPE before the first echo
    Then the client ends its session without sending an ERROR

  @REQ-9.6 @REQ-8.5 @REQ-9.7 @MUST @v1
  Scenario Outline: A closing ERROR <error> from the server ends the client
    Given the client's input stays open
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server sends ERROR <error> and keeps the connection open
    Then the client closes the connection without sending anything more
    And the client exits with a failure
    And with the contract's exit codes it exits 7 naming "<code>"

    Examples:
      | error           | code |
      | SERVER_SHUTDOWN | 302  |
      | PING_TIMEOUT    | 300  |
      | INTERNAL_ERROR  | 304  |
