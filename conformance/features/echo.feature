Feature: Chat echo
  The server parrots every CHAT back to its sender as a CHAT_ECHO with the same message id and the same
  text, byte for byte, in order, none lost (spec/README.md §6). Texts are UTF-8 up to 4096 bytes.

  Background:
    Given the server speaks protocol version 1

  @REQ-6.1 @MUST @v1
  Scenario Outline: The message id is echoed unchanged (<id>)
    Given "A" is logged in as "user1"
    When "A" sends CHAT <id> with the ASCII text
    Then "A" receives the echo of CHAT <id> with the ASCII text

    Examples:
      | id         |
      | 0          |
      | 1          |
      | 4294967295 |

  @REQ-6.1 @REQ-6.4 @MUST @v1
  Scenario Outline: The text is echoed byte for byte: <text>
    Given "A" is logged in as "user1"
    When "A" sends CHAT 42 with the <text> text
    Then "A" receives the echo of CHAT 42 with the <text> text

    Examples:
      | text                         |
      | empty                        |
      | emoji                        |
      | CJK                          |
      | combining marks              |
      | right-to-left and zero-width |
      | control characters and NUL   |
      | maximum-length ASCII         |
      | maximum-length emoji         |
      | maximum-length mixed-width   |

  @REQ-6.1 @MUST @v1
  Scenario: Repeated message ids are echoed as they came
    Given "A" is logged in as "user1"
    When "A" sends CHAT 5 with the ASCII text
    And "A" sends CHAT 5 with the emoji text
    Then "A" receives the echo of CHAT 5 with the ASCII text
    And "A" receives the echo of CHAT 5 with the emoji text

  @REQ-6.5 @REQ-3.3 @MUST @v1
  Scenario Outline: A text over the maximum is refused with STRING_TOO_LONG and the connection goes on (<text>)
    Given "A" is logged in as "user1"
    When "A" sends CHAT 9 with the <text> text, unchecked
    Then "A" receives ERROR STRING_TOO_LONG and the spec's reaction to it
    And "A" can still chat

    Examples:
      | text                       |
      | one byte over the maximum  |
      | one emoji over the maximum |

  @REQ-6.2 @MUST @v1
  Scenario: The echo goes to the sender only
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends CHAT 1 with the ASCII text
    Then "A" receives the echo of CHAT 1 with the ASCII text
    And "B" has received nothing but its own replies

  @REQ-6.3 @REQ-2.4 @REQ-2.5 @MUST @v1
  Scenario: Many CHATs in one write are all echoed, in order
    Given "A" is logged in as "user1"
    When "A" sends 200 CHATs in one write
    Then "A" receives their 200 echoes in order and nothing else

  @REQ-6.6 @MUST @v1
  Scenario: A CHAT before login is refused with AUTHENTICATION_REQUIRED and the connection goes on
    Given a connection "A" that has negotiated
    When "A" sends a CHAT PDU
    Then "A" receives ERROR AUTHENTICATION_REQUIRED and the spec's reaction to it
    When "A" logs in as "user1"
    Then "A" is logged in
    And "A" can still chat
