Feature: An ERROR from the client
  A frame whose type byte says ERROR is an ERROR PDU only once it decodes (spec/README.md §8.2: step 3
  decodes, step 4 looks at what the PDU is). One that does not decode is refused like any other frame,
  with its decoding code, and the code it carried is not acted on (REQ-8.11); one that decodes is
  never answered, whatever version its code belongs to (REQ-8.5, REQ-8.12). Malformed bytes come
  from the spec's own vectors (spec/vectors/invalid.json).

  Background:
    Given the server speaks protocol version 1
    And a bystander "B" logged in as "user2"

  @REQ-8.11 @REQ-3.2 @MUST @v1
  Scenario Outline: An ERROR whose code is outside the enum is refused with MALFORMED_PAYLOAD and closes: <vector>
    Given "A" is logged in as "user1"
    When "A" sends the invalid vector "<vector>"
    Then "A" receives ERROR MALFORMED_PAYLOAD and the spec's reaction to it
    And a connection "C" can log in as "user1"
    And the bystander "B" can still chat

    Examples:
      | vector            |
      | error-code-0      |
      | error-code-106    |
      | error-code-u2-max |

  @REQ-8.11 @REQ-3.3 @MUST @v1
  Scenario: An ERROR whose text is over 512 bytes is refused with STRING_TOO_LONG and the connection goes on
    Given "A" is logged in as "user1"
    When "A" sends the invalid vector "error-text-513"
    Then "A" receives ERROR STRING_TOO_LONG and the spec's reaction to it
    And "A" can still chat
    And the bystander "B" can still chat

  @REQ-8.12 @REQ-8.5 @MUST @v1
  Scenario: A version-2 code that does not close, sent on a version-1 connection, is not answered
    Given the server speaks a protocol version newer than 1
    And "A" is logged in as "user1"
    When "A" sends ERROR RATE_LIMITED
    Then "A" can still ping
    And "A" can still chat

  @REQ-8.12 @REQ-8.5 @MUST @v1
  Scenario: A version-2 code that closes, sent on a version-1 connection, ends it without a reply
    Given the server speaks a protocol version newer than 1
    And "A" is logged in as "user1"
    When "A" sends ERROR SLOW_CONSUMER
    Then the server closes "A" without sending anything
    And a connection "C" can log in as "user1"
    And the bystander "B" can still chat
