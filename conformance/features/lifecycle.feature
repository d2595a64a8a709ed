Feature: A server's own end and its connection limit
  A server that shuts down tells every open connection with ERROR SERVER_SHUTDOWN before it closes them
  (REQ-9.4); one at its connection limit answers a further connection with ERROR SERVER_FULL, header
  version 0, in place of the VERSION_RESPONSE, and closes it (REQ-9.5). Both are SHOULDs, judged under
  --strict. Each scenario starts an instance of the server for itself, the way the run started the
  server under test (the --launch command, with {max_connections} for the limit, or the reference), so
  the shared instance is never stopped or filled; against a --target they are unsupported.

  @REQ-9.4 @SHOULD @v1
  Scenario: A server that shuts down sends SERVER_SHUTDOWN on every open connection, then closes them
    Given the server speaks protocol version 1
    And the scenario starts an instance of the server of its own
    And "A" is logged in as "user1" on that instance
    And "B" is logged in as "user2" on that instance
    When that instance is told to shut down
    Then "A" receives ERROR SERVER_SHUTDOWN and the spec's reaction to it
    And "B" receives ERROR SERVER_SHUTDOWN and the spec's reaction to it

  @REQ-9.5 @SHOULD @v1
  Scenario: A server at its connection limit answers one more connection with SERVER_FULL and closes it
    Given the server speaks protocol version 1
    And the scenario starts an instance of the server of its own, limited to a few connections
    And as many connections to that instance as it allows, each negotiated
    When one more connection "C" to that instance offers every version
    Then "C" receives ERROR SERVER_FULL with header version 0 in place of a VERSION_RESPONSE, then the close
    And the connections it holds are still served
