Feature: Version 2: slow readers
  A fan-out is never held back for one recipient: a member that stops reading while its room goes on
  is cut off once the relayed PDUs queued for it pass the server's bound, which lies between
  limits.minRelayBacklogBytes and limits.maxRelayBacklogBytes. It finds a gapless prefix of the room,
  then ERROR SLOW_CONSUMER, then the end; the others see it leave (spec/README.md §12.4).

  Background:
    Given the server speaks protocol version 2

  @REQ-12.37 @REQ-12.18 @MUST @v2
  Scenario: A member that stops reading is cut off with SLOW_CONSUMER after a gapless prefix
    Given "A" is logged in as "user1"
    And "C" is logged in as "user3"
    And "A" and "C" are in the room "firehose"
    When "C" stops reading
    And "A" says full messages in "firehose" until "C" leaves it
    Then "C", reading again, finds a gapless prefix of them and then ERROR SLOW_CONSUMER
    And a connection "D" can log in as "user3"
    And "A" can still ping

  @REQ-12.38 @MUST @v2
  Scenario: A member that falls behind by less than the least bound is not cut off
    Given "A" is logged in as "user1"
    And "C" is logged in as "user3"
    And "A" and "C" are in the room "firehose"
    When "C" stops reading
    And "A" says as many full messages in "firehose" as fit below the least relay bound
    Then "C", reading again, receives every one of them in order
    And "C" can still ping

  @REQ-12.41 @REQ-7.5 @REQ-12.37 @MUST @v2
  Scenario: A member that reads nothing but keeps talking is read and served until its backlog passes the bound
    Given "A" is logged in as "user1"
    And "C" is logged in as "user3"
    And "A" and "C" are in the room "talkers"
    When "C" stops reading but says a short message in "talkers" every few milliseconds
    And "A" floods "talkers", each batch once the talker's latest message has come round
    Then "C", reading again, finds a gapless prefix of the flood and its own messages, then all or ERROR SLOW_CONSUMER
