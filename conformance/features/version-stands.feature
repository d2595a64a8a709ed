Feature: A second VERSION_REQUEST changes nothing, whatever it offers
  Negotiation happens once per connection: a later VERSION_REQUEST is refused with ALREADY_NEGOTIATED and
  the negotiated version, the login and the session stand (spec/README.md §4.2). Each offer here differs
  from the version in force, so a server that renegotiates while it refuses is caught.

  @REQ-4.8 @REQ-4.9 @MUST @v1
  Scenario Outline: A version 1 session offered <offer> again stays a version 1 session
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    When "A" sends a VERSION_REQUEST PDU offering the versions <offer>
    Then "A" receives ERROR ALREADY_NEGOTIATED and the spec's reaction to it
    And "A" is still served in protocol version 1, logged in as before

    Examples:
      | offer |
      | 2     |
      | 2, 1  |
      | 250   |

  @REQ-4.8 @REQ-4.9 @MUST @v2
  Scenario Outline: A version 2 session offered <offer> again stays a version 2 session
    Given the server speaks protocol version 2
    And "A" is logged in as "user1"
    When "A" sends a VERSION_REQUEST PDU offering the versions <offer>
    Then "A" receives ERROR ALREADY_NEGOTIATED and the spec's reaction to it
    And "A" is still served in protocol version 2, logged in as before

    Examples:
      | offer |
      | 1     |
      | 250   |

  @REQ-4.8 @MUST @v1
  Scenario: Before login, a second VERSION_REQUEST offering another version leaves the connection negotiated
    Given the server speaks protocol version 1
    And a connection "A" that has negotiated
    When "A" sends a VERSION_REQUEST PDU offering the versions 2
    Then "A" receives ERROR ALREADY_NEGOTIATED and the spec's reaction to it
    When "A" logs in as "user1"
    Then "A" is logged in
    And "A" is still served in protocol version 1, logged in as before
