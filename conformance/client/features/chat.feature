Feature: Chat, as the client does it
  The contract's client sends each line of its input as a CHAT and prints each echo's text as a line,
  in order; it ends (LOGOUT, then the server's close, then exit 0) once every CHAT is echoed.

  @REQ-6.7 @SHOULD @v1
  Scenario: CHATs in flight carry distinct message ids
    Given the client is given 5 messages
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    Then the client sends all 5 CHATs before any echo, with distinct message ids
    And the client completes its session

  @REQ-6.7 @SHOULD @v1
  Scenario: Echoes from a slow server are each printed once, in order
    Given the client is given the messages "first", "second" and "third"
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server answers everything 300 ms after it arrives
    Then the client completes its session
