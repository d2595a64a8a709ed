Feature: Version 2 requests, as the client sends them
  Only for a client that declares the contract's command lines (--client-commands): the lines
  "/msg USER TEXT", "/join ROOM", "/say ROOM TEXT", "/typing USER" and "/presence on" ask it for the
  version 2 PDUs of spec/README.md §12. Each must be well-formed (the generated codec decodes it),
  carry header version 2, and be sent only on a version 2 connection.

  @REQ-3.1 @REQ-4.5 @MUST @v2 @commands
  Scenario: Direct, room, typing and presence requests are well-formed version 2 PDUs
    Given the client reads command lines
    And the client is given the line "/msg user2 hi there"
    And the client is given the line "/join lobby"
    And the client is given the line "/say lobby hello all"
    And the client is given the line "/typing user2"
    And the client is given the line "/presence on"
    When the client is started
    And the client has negotiated version 2
    And the client has logged in
    Then the client ends its session
    And the client sent these version 2 PDUs, in this order:
      | type               | fields                       |
      | DIRECT_SEND        | to=user2 text=hi there       |
      | ROOM_JOIN          | room=lobby                   |
      | ROOM_SAY           | room=lobby text=hello all    |
      | TYPING             | targetKind=USER target=user2 state=STARTED |
      | PRESENCE_SUBSCRIBE | enabled=ON                   |

  @REQ-11.1 @MUST @v1 @commands
  Scenario: On a version 1 connection the version 2 lines send nothing of version 2
    Given the client reads command lines
    And the client offers versions "1,2"
    And the scripted server speaks versions "1"
    And the client is given the line "/msg user2 hi"
    And the client is given the line "/join lobby"
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    Then the client ends its session

  @REQ-12.29 @SHOULD @v2 @commands
  Scenario: Repeated typing lines are spaced by at least the typing rate limit
    Given the client reads command lines
    And the client is given the line "/typing user2"
    And the client is given the line "/typing user2"
    And the client is given the line "/typing user2"
    And the client is given the line "/typing user2"
    When the client is started
    And the client has negotiated version 2
    And the client has logged in
    Then the client ends its session
    And the client's 4 TYPINGs arrived at least 250 ms apart

  @REQ-2.9 @MUST @v2 @commands
  Scenario: Room events, room messages and direct messages among the echoes are shown once each, in the order they arrived
    Given the client reads command lines
    And the client is given the line "/join lobby"
    And the client is given the messages "one", "two" and "three"
    When the client is started
    And the client has negotiated version 2
    And the client has logged in
    And the scripted server sends room and direct traffic from another user before every echo
    Then the client completes its session
    And the client showed every room event, room message, direct message and echo once, in the order they arrived
