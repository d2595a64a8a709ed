Feature: Version negotiation, as the client does it
  The client's first PDU is VERSION_REQUEST (header version 0) listing every version it offers, and
  it sends nothing else until the VERSION_RESPONSE arrives. It then uses the chosen version in every
  header, ends cleanly when there is no common version or when the server answers with an ERROR, and
  never adopts a version it did not offer. (Every scenario also checks the header version of every PDU
  the client sends, and that nothing precedes the VERSION_RESPONSE.)

  @REQ-4.1 @REQ-4.9 @MUST @v2
  Scenario: The first PDU is a VERSION_REQUEST listing the offered versions, and nothing follows it before the VERSION_RESPONSE
    Given the client offers versions "1,2"
    And the client is given the message "hello"
    When the client is started
    Then its first PDU is a VERSION_REQUEST with header version 0 listing the versions it offers
    And it sends nothing else for 1000 ms
    When the scripted server chooses version 2
    And the client has logged in
    Then the client completes its session

  @REQ-4.5 @MUST @v2
  Scenario: Every PDU after the VERSION_RESPONSE carries the chosen version 2
    Given the client offers versions "1,2"
    And the client is given the messages "one", "two" and "three"
    When the client is started
    And the client has negotiated version 2
    And the client has logged in
    Then the client completes its session
    And every PDU it sent after the VERSION_RESPONSE carried header version 2

  @REQ-4.5 @REQ-11.1 @MUST @v1
  Scenario: A server that chooses version 1 from an offer of 1 and 2 gets version 1 only
    Given the client offers versions "1,2"
    And the scripted server speaks versions "1"
    And the client is given the messages "one" and "two"
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    Then the client completes its session
    And every PDU it sent after the VERSION_RESPONSE carried header version 1

  @REQ-4.1 @MUST @v1
  Scenario: A client offering only version 1 lists only version 1
    Given the client offers versions "1"
    And the client is given the message "hello"
    When the client is started
    Then its first PDU is a VERSION_REQUEST with header version 0 listing the versions it offers
    When the scripted server chooses version 1
    And the client has logged in
    Then the client completes its session

  @REQ-4.6 @SHOULD @v1
  Scenario: NO_COMMON_VERSION ends the client, which shows the server's versions
    Given the client reports the contract's exit codes
    And the client offers versions "1"
    And the scripted server speaks versions "7,9"
    When the client is started
    And the scripted server answers the VERSION_REQUEST with NO_COMMON_VERSION
    Then the client closes the connection without sending anything more
    And the client exits with a failure
    And with the contract's exit codes it exits 4 naming "7" and "9"

  @REQ-4.11 @MUST @v1
  Scenario: A VERSION_RESPONSE choosing a version the client did not offer is never adopted
    Given the client offers versions "1"
    And the client is given the message "hello"
    When the client is started
    And the scripted server chooses version 2
    Then the client closes the connection, at most after an ERROR WRONG_VERSION with header version 0
    And the client exits with a failure

  @REQ-9.6 @REQ-9.7 @MUST @v1
  Scenario: An ERROR in place of the VERSION_RESPONSE ends the client
    Given the client is given the message "hello"
    When the client is started
    And the scripted server answers the VERSION_REQUEST with ERROR SERVER_FULL
    Then the client closes the connection without sending anything more
    And the client exits with a failure
    And with the contract's exit codes it exits 7 naming "303"
