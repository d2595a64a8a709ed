Feature: Many users at once
  The server serves many sessions at the same time, and each gets exactly its own echoes, in order, none
  lost and none crossed (spec/README.md §6, §8). The number of sessions (100 by default) and of
  messages per session are run parameters: --sessions and --messages.

  Background:
    Given the server speaks protocol version 1

  @REQ-6.3 @REQ-6.2 @MUST @v1
  Scenario: Every concurrent session gets exactly its own echoes, in order
    Given the configured number of sessions are logged in at once with the load accounts
    When every session sends the configured number of CHATs, all sessions at the same time
    Then every session receives exactly the echoes of its own CHATs, in order, and nothing else
    And every session can log out
