Feature: Version negotiation
  The first PDU on a connection is the client's VERSION_REQUEST; the server picks the highest version
  both sides speak and advertises its keep-alive timers (spec/README.md §4). VERSION_REQUEST and
  VERSION_RESPONSE carry header version 0; every later PDU carries the negotiated version.

  @REQ-2.1 @REQ-4.2 @REQ-4.3 @MUST @v1
  Scenario: The server chooses the highest version both sides speak
    Given a connection "A"
    When "A" offers every version the suite knows and the unknown versions 200 and 201
    Then "A" gets VERSION_RESPONSE OK choosing the highest version both lists contain
    And the server answers "A" in the chosen version

  @REQ-7.6 @MUST @v1
  Scenario: The advertised timers can be kept: an interval above 0 and a longer timeout
    Given a connection "A" that has negotiated
    Then the VERSION_RESPONSE to "A" advertises a ping interval above 0 and a longer ping timeout

  @REQ-4.2 @REQ-4.3 @REQ-4.9 @MUST @v1
  Scenario: The server downgrades to version 1 when the client offers only version 1
    Given the server speaks protocol version 1
    And a connection "A"
    When "A" offers the versions 1
    Then "A" gets VERSION_RESPONSE OK choosing version 1
    And the server answers "A" in the chosen version

  @REQ-4.2 @MUST @v1
  Scenario: Unknown versions and duplicates in the offer are ignored
    Given the server speaks protocol version 1
    And a connection "A"
    When "A" offers the versions 1, 1, 255, 1
    Then "A" gets VERSION_RESPONSE OK choosing version 1

  @REQ-4.3 @REQ-4.4 @REQ-4.9 @MUST @v1
  Scenario: No common version: the server lists its versions, then closes
    Given a connection "A"
    When "A" offers the versions 250
    Then "A" gets VERSION_RESPONSE NO_COMMON_VERSION with chosen version 0, listing the server's versions
    And the server closes "A"

  @REQ-4.7 @REQ-8.2 @MUST @v1
  Scenario Outline: Anything but VERSION_REQUEST before negotiation is refused and closes: <type> v<header version>
    Given a connection "A"
    When "A" sends a <type> PDU with header version <header version> before negotiating
    Then "A" receives ERROR NEGOTIATION_REQUIRED and the spec's reaction to it

    Examples:
      | type           | header version |
      | LOGIN_REQUEST  | 0              |
      | LOGIN_REQUEST  | 1              |
      | CHAT           | 0              |
      | PING           | 0              |
      | LOGOUT         | 0              |
      | CHAT_ECHO      | 0              |

  @REQ-4.8 @MUST @v1
  Scenario: A second VERSION_REQUEST is refused and the negotiated version stands
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    When "A" sends a VERSION_REQUEST PDU offering the versions 1
    Then "A" receives ERROR ALREADY_NEGOTIATED and the spec's reaction to it
    And "A" can still chat

  @REQ-4.10 @MUST @v1
  Scenario Outline: A PDU with the wrong header version after negotiation closes the connection: <version>
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    When "A" sends a PING PDU with header version <version>
    Then "A" receives ERROR WRONG_VERSION and the spec's reaction to it

    Examples:
      | version |
      | 0       |
      | 2       |
      | 255     |

  @REQ-4.10 @MUST @v1
  Scenario: A wrong header version before login closes only that connection
    Given the server speaks protocol version 1
    And a bystander "B" logged in as "user2"
    And a connection "A" that has negotiated
    When "A" sends a LOGIN_REQUEST PDU with header version 9
    Then "A" receives ERROR WRONG_VERSION and the spec's reaction to it
    And the bystander "B" can still chat
