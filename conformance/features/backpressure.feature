Feature: Backpressure: nothing is lost or reordered while the server's socket is full
  A client writes megabytes of requests and reads nothing meanwhile, so what the server writes backs up
  in the kernel and then in the server; then it reads everything behind a PING barrier. Every answer
  must be there once, in the order of the requests, and the barrier's PONG right behind them
  (spec/README.md §6, §12.4: messages are never dropped, duplicated or reordered, under any load). A
  server may close a room member that reads nothing once its fan-out backs up past a bound of the
  server's own (REQ-12.34), after an unbroken prefix of the room's messages.

  @REQ-6.3 @REQ-6.1 @MUST @v1
  Scenario: CHATs written while the sender reads nothing are all echoed, in order
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    When "A" stops reading and writes megabytes of CHATs and a PING
    Then "A" receives every echo once, in order, and then the PONG

  @REQ-12.16 @REQ-12.8 @MUST @v2
  Scenario: Room messages fanned out to members that read nothing all arrive, once each, in one order
    Given the server speaks protocol version 2
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "A", "B" and "C" are in the room "backpressure"
    When "A", "B" and "C" stop reading and "A" says megabytes of messages in "backpressure"
    Then "A", "B" and "C" each receive those room messages from "user1" in order, once each, all or up to the end of the stream

  @REQ-12.38 @REQ-6.3 @MUST @v2
  Scenario: Room messages relayed to a member whose socket is full of its own echoes all arrive
    Given the server speaks protocol version 2
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "busy-member"
    When "B" stops reading and writes megabytes of CHATs and a PING, and meanwhile "A" says a few messages in "busy-member"
    Then "B" receives every echo once, in order, and those room messages from "user1", then the PONG
