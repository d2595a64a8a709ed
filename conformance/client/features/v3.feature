Feature: Version 3, as the client lives it
  Only for a client that declares version 3 (--client-v3): it offers [1, 2, 3], reads the lines
  "/join ROOM" and "/history #ROOM", and shows room and direct messages, replays, history pages and
  gaps in the contract's version-3 output lines (conformance/README.md). The scenarios that drop
  the connection (tag reconnect) also need the command that reconnects (--client-reconnect). The scripted
  server keeps one room, "lobby", six messages old when the client joins; message n of it is
  "lobby line n" from user2, accepted at a fixed time ({time n} in the lines below).

  @REQ-15.24 @MUST @v3
  Scenario: A client offered version 3 takes SESSION_INFO and version-3 messages and shows them
    Given the client speaks version 3
    And the client is given the line "/join lobby"
    And the client's input stays open
    When the client is started
    And the client has negotiated version 3
    And the client has logged in
    And the client has joined "lobby"
    And user2 says 2 messages in "lobby"
    And user2 sends the client the direct message "call me"
    Then the client shows the line "[#lobby user2] lobby line 8"
    And the client shows the line "[dm from user2] call me"
    And the client logs out once its input ends

  @REQ-15.25 @MUST @v3 @reconnect
  Scenario: After a reconnect the client resumes its room from the last message it showed
    Given the client speaks version 3 and reconnects
    And the client is given the line "/join lobby"
    And the client's input stays open
    When the client is started
    And the client has negotiated version 3
    And the client has logged in
    And the client has joined "lobby"
    And user2 says 3 messages in "lobby"
    And the client shows the line "[#lobby user2] lobby line 9"
    And the scripted server drops the connection
    And user2 says 2 messages in "lobby"
    And the client has negotiated version 3
    And the client has logged in
    Then the client resumes "lobby" from the last message it showed

  @REQ-15.26 @REQ-15.28 @SHOULD @v3 @reconnect
  Scenario: Replayed messages are shown as missed, with the server's times, and live ones after them
    Given the client speaks version 3 and reconnects
    And the client is given the line "/join lobby"
    And the client's input stays open
    When the client is started
    And the client has negotiated version 3
    And the client has logged in
    And the client has joined "lobby"
    And user2 says 1 message in "lobby"
    And the client shows the line "[#lobby user2] lobby line 7"
    And the scripted server drops the connection
    And user2 says 2 messages in "lobby"
    And the client has negotiated version 3
    And the client has logged in
    And the client has joined "lobby"
    And user2 says 1 message in "lobby"
    Then the client shows the line "(replayed {time 8}) [#lobby user2] lobby line 8"
    And the client shows the line "(replayed {time 9}) [#lobby user2] lobby line 9"
    And the client shows the line "[#lobby user2] lobby line 10"
    And the client has shown the line "[#lobby user2] lobby line 7" exactly once

  @REQ-15.17 @SHOULD @v3
  Scenario: A message with an id the client already showed is not shown again
    Given the client speaks version 3
    And the client is given the line "/join lobby"
    And the client's input stays open
    When the client is started
    And the client has negotiated version 3
    And the client has logged in
    And the client has joined "lobby"
    And user2 says 1 message in "lobby"
    And the scripted server sends message 7 of "lobby" again
    And user2 says 1 message in "lobby"
    Then the client shows the line "[#lobby user2] lobby line 8"
    And the client has shown the line "[#lobby user2] lobby line 7" exactly once

  @REQ-15.17 @SHOULD @v3 @reconnect
  Scenario: A resume answered with a new epoch is shown to the user as a gap
    Given the client speaks version 3 and reconnects
    And the client is given the line "/join lobby"
    And the client's input stays open
    When the client is started
    And the client has negotiated version 3
    And the client has logged in
    And the client has joined "lobby"
    And user2 says 1 message in "lobby"
    And the client shows the line "[#lobby user2] lobby line 7"
    And the scripted server drops the connection
    And the scripted server has lost the history of "lobby": a new epoch
    And user2 says 2 messages in "lobby"
    And the client has negotiated version 3
    And the client has logged in
    Then the client shows a line starting with "* gap in #lobby"
    And the client shows the line "(replayed {time 2}) [#lobby user2] lobby line 2"

  @REQ-15.27 @REQ-15.28 @SHOULD @v3
  Scenario: A history request asks for no more than the server's page, and shows the server's times
    Given the client speaks version 3
    And the scripted server's pages hold at most 3 messages
    And the client is given the line "/join lobby"
    And the client is given the line "/history #lobby"
    And the client's input stays open
    When the client is started
    And the client has negotiated version 3
    And the client has logged in
    And the client has joined "lobby"
    Then the client shows the line "(history {time 6}) [#lobby user2] lobby line 6"
    And the client shows the line "(history {time 4}) [#lobby user2] lobby line 4"
    And every history request of the client asks for at most 3 messages

  @REQ-15.27 @SHOULD @v3 @reconnect
  Scenario: A replay longer than the server's page is paged on with no more than a page at a time
    Given the client speaks version 3 and reconnects
    And the scripted server's pages hold at most 2 messages
    And the client is given the line "/join lobby"
    And the client's input stays open
    When the client is started
    And the client has negotiated version 3
    And the client has logged in
    And the client has joined "lobby"
    And user2 says 1 message in "lobby"
    And the client shows the line "[#lobby user2] lobby line 7"
    And the scripted server drops the connection
    And user2 says 5 messages in "lobby"
    And the client has negotiated version 3
    And the client has logged in
    Then the client shows the line "(replayed {time 12}) [#lobby user2] lobby line 12"
    And every history request of the client asks for at most 2 messages
