Feature: Login, as the client does it
  The client acts on the status of LOGIN_RESPONSE, never on its text: the scripted server sends texts
  that say the opposite of the status. A refused login ends a contract client (it has no other
  password to try) without a CHAT; a closing ERROR after the refusal ends it too.

  @REQ-5.9 @REQ-9.7 @MUST @v1
  Scenario: BAD_CREDENTIALS with the text "OK" is a refused login
    Given the client is given the message "hello"
    When the client is started
    And the client has negotiated version 1
    And the client logs in with its user and password
    And the scripted server answers the login BAD_CREDENTIALS with the text "OK"
    Then the client sends no CHAT and ends its session
    And the client exits with a failure
    And with the contract's exit codes it exits 5

  @REQ-5.9 @REQ-9.7 @MUST @v1
  Scenario: ALREADY_LOGGED_IN with the text "OK" is a refused login
    Given the client is given the message "hello"
    When the client is started
    And the client has negotiated version 1
    And the client logs in with its user and password
    And the scripted server answers the login ALREADY_LOGGED_IN with the text "OK"
    Then the client sends no CHAT and ends its session
    And the client exits with a failure
    And with the contract's exit codes it exits 6

  @REQ-5.9 @MUST @v1
  Scenario: OK with the text "bad username or password" is a login
    Given the client is given the messages "hello" and "world"
    When the client is started
    And the client has negotiated version 1
    And the client logs in with its user and password
    And the scripted server answers the login OK with the text "bad username or password"
    Then the client completes its session

  @REQ-9.6 @REQ-9.7 @MUST @v1
  Scenario: BAD_CREDENTIALS then ERROR TOO_MANY_LOGIN_ATTEMPTS ends the client, which names the code
    Given the client is given the message "hello"
    When the client is started
    And the client has negotiated version 1
    And the client logs in with its user and password
    And the scripted server answers the login BAD_CREDENTIALS and then sends ERROR TOO_MANY_LOGIN_ATTEMPTS
    Then the client closes the connection without sending anything more
    And the client exits with a failure
    And with the contract's exit codes it exits 5 naming "207"
