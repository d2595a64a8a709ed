Feature: Per-state refusals come after the checks before them
  The requirements that refuse a PDU in a state (REQ-4.7, REQ-4.10, REQ-6.6) each name one step of
  spec/README.md §8.2 and apply only to a frame that passed every earlier step: decoding first, then,
  before negotiation, NEGOTIATION_REQUIRED, then the header version, then the state's rejections.

  Background:
    Given the server speaks protocol version 1
    And a bystander "B" logged in as "user2"

  @REQ-4.7 @REQ-8.1 @MUST @v1
  Scenario: Before negotiation, a PDU that does not decode is refused with its decoding code, not NEGOTIATION_REQUIRED
    Given a connection "A"
    When "A" sends the invalid vector "ping-payload-too-short"
    Then "A" receives ERROR MALFORMED_PAYLOAD and the spec's reaction to it
    And the bystander "B" can still chat

  @REQ-4.7 @REQ-8.1 @MUST @v1
  Scenario: Before negotiation, a wrong header version is NEGOTIATION_REQUIRED, which comes first
    Given a connection "A"
    When "A" sends a PING PDU with header version 9 before negotiating
    Then "A" receives ERROR NEGOTIATION_REQUIRED and the spec's reaction to it
    And the bystander "B" can still chat

  @REQ-6.6 @REQ-8.1 @MUST @v1
  Scenario Outline: A CHAT before login is refused by the earlier check when it fails one: <case>
    Given a connection "A" that has negotiated
    When "A" sends <pdu>
    Then "A" receives ERROR <error> and the spec's reaction to it
    And the bystander "B" can still chat

    Examples:
      | case                | pdu                                                 | error           |
      | over-long text      | CHAT 1 with 4097 bytes of text and header version 1 | STRING_TOO_LONG |
      | wrong header version | a CHAT PDU with header version 9                    | WRONG_VERSION   |
