Feature: Version 2: negotiation and version 1 rules on both versions
  A server that speaks version 2 chooses it for a client that offers it and version 1 for a client
  that offers only version 1, listing both; before login a version 2 request is refused like a CHAT;
  on a version 1 connection a version 2 type is refused with UNSUPPORTED_IN_VERSION; and version 1's
  types work on a version 2 connection with header version 2 (spec/README.md §12.1). On a server
  that does not speak version 2, every scenario here is unsupported, not failed.

  Background:
    Given the server speaks protocol version 2

  @REQ-12.1 @REQ-4.2 @REQ-4.3 @MUST @v2
  Scenario: A client offering versions 1 and 2 gets version 2, and the server lists both
    Given a connection "A"
    When "A" offers the versions 1, 2
    Then "A" gets VERSION_RESPONSE OK choosing version 2
    And the VERSION_RESPONSE to "A" lists the versions 1, 2
    And the server answers "A" in the chosen version

  @REQ-12.1 @MUST @v2
  Scenario: A client offering only version 2 gets version 2
    Given a connection "A"
    When "A" offers the versions 2
    Then "A" gets VERSION_RESPONSE OK choosing version 2
    And the server answers "A" in the chosen version

  @REQ-12.2 @REQ-4.2 @MUST @v2
  Scenario: A client offering only version 1 gets version 1 from a version 2 server, and can use it
    Given a connection "A"
    When "A" offers the versions 1
    Then "A" gets VERSION_RESPONSE OK choosing version 1
    And the VERSION_RESPONSE to "A" lists the versions 1, 2
    When "A" logs in as "user1"
    Then "A" is logged in
    And "A" can still chat
    And "A" can still ping

  @REQ-12.5 @REQ-8.2 @MUST @v2
  Scenario Outline: A version 2 request before login is refused with AUTHENTICATION_REQUIRED: <type>
    Given a connection "A" that has negotiated
    When "A" sends a <type> PDU
    Then "A" receives ERROR AUTHENTICATION_REQUIRED and the spec's reaction to it
    When "A" logs in as "user1"
    Then "A" is logged in

    Examples:
      | type               |
      | DIRECT_SEND        |
      | ROOM_JOIN          |
      | ROOM_LEAVE         |
      | ROOM_SAY           |
      | ROOM_LIST_REQUEST  |
      | WHO_REQUEST        |
      | TYPING             |
      | PRESENCE_SUBSCRIBE |

  @REQ-12.4 @REQ-8.7 @MUST @v2
  Scenario Outline: A version 2 type on a version 1 connection is refused with UNSUPPORTED_IN_VERSION: <type>
    Given "A" is logged in as "user1" with protocol version 1
    And a bystander "B" logged in as "user2"
    When "A" sends a <type> PDU
    Then "A" receives ERROR UNSUPPORTED_IN_VERSION and the spec's reaction to it
    And "A" can still chat
    And "B" has received nothing but its own replies

    Examples:
      | type               |
      | DIRECT_SEND        |
      | ROOM_JOIN          |
      | ROOM_LEAVE         |
      | ROOM_SAY           |
      | ROOM_LIST_REQUEST  |
      | WHO_REQUEST        |
      | TYPING             |
      | PRESENCE_SUBSCRIBE |

  # §8.2: the sender role (step 7) is checked before the version a type exists in (step 8).
  @REQ-8.6 @REQ-8.1 @MUST @v2
  Scenario Outline: A version 2 type only servers send is refused with UNEXPECTED_MESSAGE on either version: <type> on version <version>
    Given "A" is logged in as "user1" with protocol version <version>
    When "A" sends a <type> PDU
    Then "A" receives ERROR UNEXPECTED_MESSAGE and the spec's reaction to it
    And "A" can still chat

    Examples:
      | type           | version |
      | ROOM_MESSAGE   | 1       |
      | PRESENCE_EVENT | 1       |
      | DIRECT_MESSAGE | 2       |
      | TYPING_NOTICE  | 2       |

  @REQ-12.3 @REQ-12.4 @MUST @v2
  Scenario: TYPINGs too close together on a version 1 connection are UNSUPPORTED_IN_VERSION, never RATE_LIMITED
    Given "A" is logged in as "user1" with protocol version 1
    And "B" is logged in as "user2"
    When "A" sends TYPING STARTED to the user "user2" twice in one write
    Then "A" receives ERROR UNSUPPORTED_IN_VERSION
    And "A" receives ERROR UNSUPPORTED_IN_VERSION and the spec's reaction to it
    And "B" has received nothing but its own replies

  @REQ-12.6 @REQ-5.1 @REQ-6.1 @REQ-7.2 @REQ-9.1 @MUST @v2
  Scenario: Login, chat, ping and logout work on a version 2 connection, all in header version 2
    Given a connection "A" that has negotiated
    When "A" logs in as "user1"
    Then "A" is logged in
    When "A" sends CHAT 7 with the emoji text
    Then "A" receives the echo of CHAT 7 with the emoji text
    When "A" sends PING with token 7
    Then "A" receives PONG with token 7
    When "A" logs out
    Then a connection "B" can log in as "user1"

  @REQ-12.6 @REQ-6.2 @MUST @v2
  Scenario: A CHAT on a version 2 connection is echoed to its sender only, not to its rooms
    Given "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "lobby"
    When "A" sends CHAT 1 with the ASCII text
    Then "A" receives the echo of CHAT 1 with the ASCII text
    And "A" and "B" have received nothing but their own replies

  @REQ-12.6 @REQ-5.3 @MUST @v2
  Scenario: One live login per user across versions: a version 2 login of a user held on version 1 is refused
    Given "V" is logged in as "user1" with protocol version 1
    And a connection "A" that has negotiated
    When "A" logs in as "user1"
    Then "A" is refused with ALREADY_LOGGED_IN
    And "V" can still chat

  @REQ-12.6 @REQ-4.10 @MUST @v2
  Scenario: Header version 1 on a version 2 connection is WRONG_VERSION, which closes
    Given "A" is logged in as "user1"
    When "A" sends a PING PDU with header version 1
    Then "A" receives ERROR WRONG_VERSION and the spec's reaction to it

  # §12.1: the header version (§8.2 step 6) is checked before the version a type exists in (step 8).
  @REQ-4.10 @REQ-8.1 @MUST @v2
  Scenario: A version 2 type with header version 2 on a version 1 connection is WRONG_VERSION
    Given "A" is logged in as "user1" with protocol version 1
    When "A" sends a ROOM_JOIN PDU with header version 2
    Then "A" receives ERROR WRONG_VERSION and the spec's reaction to it
