@cluster
Feature: Several nodes, one service
  Run over several targets (`--target A:P1,B:P2`, `--nodes N`, `make conformance-cluster`), the suite
  judges them as the nodes of one service (spec/README.md §13.6, REQ-13.22): the connections of every
  scenario are spread over them round-robin, "A" on the first node, "B" on the second, so each rule of
  the suite is judged across nodes. These scenarios cite the cluster's own requirements; they say
  which connection goes where only through that order. With one target they are unsupported.

  @REQ-13.1 @REQ-13.22 @MUST @v1
  Scenario: A login held on one node is refused on another, and the session holding it keeps working
    Given the server speaks protocol version 1
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    And a connection "B" that has negotiated
    When "B" logs in as "user1"
    Then "B" is refused with ALREADY_LOGGED_IN
    And "A" can still chat

  @REQ-13.2 @REQ-9.1 @MUST @v1
  Scenario: A login freed by a LOGOUT on one node can be taken on another once the EOF has come
    Given the server speaks protocol version 1
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    When "A" logs out
    Then a connection "B" can log in as "user1"

  @REQ-13.2 @REQ-5.6 @MUST @v1
  Scenario: A login freed by a reset on one node can be taken on another within the half-open window
    Given the server speaks protocol version 1
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    When "A" closes its connection abruptly with a reset
    Then a connection "B" can log in as "user1" within the ping timeout and its tolerance

  @REQ-13.6 @REQ-13.21 @MUST @v2
  Scenario: The list of who is online names the users of every node, version 1 included, to a session on any node
    Given the server speaks protocol version 2
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "V" is logged in as "user3" with protocol version 1
    And "W" is logged in as "user4" with protocol version 1
    When "A" reads the whole list of who is online
    Then the list "A" read is sorted, paged and counted as the spec says
    And the list "A" read includes "user1", "user2", "user3" and "user4"
    When "B" reads the whole list of who is online
    Then the list "B" read includes "user1", "user2", "user3" and "user4"

  @REQ-13.7 @REQ-13.21 @MUST @v2
  Scenario: A direct message reaches a recipient on another node, both ways, DELIVERED to its sender
    Given the server speaks protocol version 2
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends direct message 42 to "user2" with the ASCII text
    Then "A" receives DIRECT_STATUS DELIVERED for message 42
    And "B" receives direct message 42 from "user1" with the ASCII text
    When "B" sends direct message 43 to "user1" with the emoji text
    Then "B" receives DIRECT_STATUS DELIVERED for message 43
    And "A" receives direct message 43 from "user2" with the emoji text
    And "A" and "B" have received nothing but their own replies

  @REQ-13.8 @MUST @v2
  Scenario: A presence subscriber on one node hears of logins and session ends on another
    Given the server speaks protocol version 2
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    When "A" sends PRESENCE_SUBSCRIBE ON
    And "B" is logged in as "user2"
    Then "A" receives PRESENCE_EVENT ONLINE for "user2"
    When "B" logs out
    Then "A" receives PRESENCE_EVENT OFFLINE for "user2" once the session of "B" has ended
    And "A" has received nothing but its own replies

  @REQ-13.18 @REQ-13.15 @REQ-15.7 @MUST @v3
  Scenario: Version-3 members on both nodes, senders on both at once: one order for all, the ids increasing along it
    Given the server speaks protocol version 3
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "D" is logged in as "user4"
    And "A", "B", "C" and "D" are in the room "v3-chorus"
    When "A", "B" and "C" each send 30 room messages to "v3-chorus" in one write, at the same time
    Then every member of "v3-chorus" receives each of those messages exactly once, in one order for all, with ids increasing along it
    And "A", "B", "C" and "D" have received nothing but their own replies

  @REQ-13.19 @REQ-15.6 @REQ-15.20 @MUST @v3
  Scenario: Version-3 direct messages across nodes: one id in both copies, and stored ones delivered at a login on another node
    Given the server speaks protocol version 3
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends a version 3 direct message to "user2", answered DELIVERED
    Then "B" receives it as DIRECT_MESSAGE_V3 with the id of its DIRECT_STATUS_V3, and nothing else
    When "A" sends 3 version 3 direct messages to "user4", each answered STORED
    Then "D", logging in as "user4", is told of 3 stored messages and receives them in order with their ids

  @REQ-13.15 @REQ-13.16 @MUST @v2
  Scenario: A room spans the nodes: members on both see each other's joins and messages, and both are listed
    Given the server speaks protocol version 2
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "A" and "B" are in the room "lobby"
    When "B" says message 1 in "lobby" with the emoji text
    Then "A" and "B" each receive room message 1 in "lobby" from "user2" with the emoji text
    When "A" reads the whole member list of "lobby"
    Then the list "A" read is exactly "user1" and "user2"
    When "B" reads the whole room list
    Then the list "B" read includes "lobby"

  @REQ-13.12 @MUST @v2
  Scenario: A typing indicator reaches its recipient on another node, and so does its expiry
    Given the server speaks protocol version 2
    And the run judges several nodes of one service
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    When "A" sends TYPING STARTED to the user "user2"
    Then "B" receives TYPING_NOTICE STARTED from "user1"
    And "B" receives TYPING_NOTICE STOPPED from "user1" when the indicator for it expires
