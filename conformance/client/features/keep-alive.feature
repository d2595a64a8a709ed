Feature: Keep-alive, as the client does it
  The scripted server advertises short timers. The client pings at least once every advertised
  ping_interval_ms from the VERSION_RESPONSE on, also while its login is being checked; a judge allows
  a gap over the interval by up to 10 % of it for the MUST (scheduling jitter on both sides), none for
  the SHOULD (REQ-7.12: clients schedule PINGs at no more than 0.8 of the interval). A server silent
  for ping_timeout_ms is dead: PONGs of tokens the client never sent are no sign of life, and neither
  is a server that answers PINGs but never the CHAT the client waits on (spec/README.md §7.1).

  @REQ-7.1 @REQ-4.5 @MUST @v1
  Scenario: An idle client pings at least every advertised interval
    Given the scripted server advertises a ping interval of 1000 ms and a ping timeout of 3000 ms
    And the client's input stays open
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    Then over 4 ping intervals the client's PINGs are never more than 110 % of the interval apart
    And the client completes its session once its input ends

  @REQ-7.12 @SHOULD @v1
  Scenario: An idle client's PINGs are never late at all
    Given the scripted server advertises a ping interval of 1000 ms and a ping timeout of 3000 ms
    And the client's input stays open
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    Then over 4 ping intervals the client's PINGs are never more than 100 % of the interval apart
    And the client completes its session once its input ends

  @REQ-7.1 @MUST @v1
  Scenario: The client keeps pinging while its login is checked
    Given the scripted server advertises a ping interval of 1000 ms and a ping timeout of 5000 ms
    And the client is given the message "hello"
    When the client is started
    And the client has negotiated version 1
    And the client logs in with its user and password
    And the scripted server holds the client's frames unread for 2500 ms, then answers the login OK
    Then from the VERSION_RESPONSE to the login the client's PINGs were never more than 110 % of the interval apart
    And the client completes its session

  @REQ-7.8 @REQ-9.7 @SHOULD @v1
  Scenario: A server silent for the ping timeout is dead
    Given the scripted server advertises a ping interval of 1000 ms and a ping timeout of 2000 ms
    And the client's input stays open
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server falls silent
    Then the client closes the connection within the ping timeout and the tolerance after the server's last sign of life
    And the client exits with a failure
    And with the contract's exit codes it exits 8

  @REQ-7.8 @SHOULD @v1
  Scenario: PONGs of tokens the client never sent are no sign of life
    Given the scripted server advertises a ping interval of 1000 ms and a ping timeout of 2000 ms
    And the client's input stays open
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server leaves the client's PINGs unanswered and sends PONGs of unused tokens every 250 ms
    Then the client closes the connection within the ping timeout and the tolerance after the server's last sign of life
    And the client exits with a failure

  @REQ-7.8 @SHOULD @v1
  Scenario: A client waiting for an echo that never comes gives up after the ping timeout
    Given the scripted server advertises a ping interval of 1000 ms and a ping timeout of 2000 ms
    And the client is given the message "hello"
    When the client is started
    And the client has negotiated version 1
    And the client has logged in
    And the scripted server answers PINGs but withholds every echo
    Then the client closes the connection within the ping timeout and the tolerance after its CHAT
    And the client exits with a failure
