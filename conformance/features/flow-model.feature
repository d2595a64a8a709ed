# Written by conformance/tools/write-flow-model-feature.ts from spec/protocol.json (through
# generated/protocol.ts). Do not edit: change the spec, run `make generate`, then
# `node --import tsx conformance/tools/write-flow-model-feature.ts`.
Feature: The flow tables, state by state and type by type
  For every state a client can put a connection in (CONNECTED, NEGOTIATED, AUTHENTICATED), every message
  type and every protocol version, the server answers a well-formed PDU of that type, sent with the header
  version its state prescribes, as spec/protocol.json says (transitions, rejections, globalRules, the
  error table): the reply or ERROR, whether it closes, and the state that follows, which is then probed
  (a CHAT is refused before login and echoed after it). The hand-written features judge what the tables
  cannot say.

  @MUST
  Scenario Outline: Flow model, version <version>, <state>: <type>
    Given the server speaks protocol version <version>
    And a connection "M" in state <state> of protocol version <version>
    When "M" sends the flow model's <type> PDU
    Then the server answers "M" as the flow tables say for <type> in <state> of version <version>: <expected>

    @v1 @REQ-4.2
    Examples: v1 REQ-4.2
      | version | state     | type            | expected                                                                          |
      | 1       | CONNECTED | VERSION_REQUEST | VERSION_RESPONSE OK -> NEGOTIATED or VERSION_RESPONSE NO_COMMON_VERSION -> CLOSED |

    @v1 @REQ-4.7
    Examples: v1 REQ-4.7
      | version | state     | type             | expected                          |
      | 1       | CONNECTED | VERSION_RESPONSE | ERROR NEGOTIATION_REQUIRED, close |
      | 1       | CONNECTED | LOGIN_REQUEST    | ERROR NEGOTIATION_REQUIRED, close |
      | 1       | CONNECTED | LOGIN_RESPONSE   | ERROR NEGOTIATION_REQUIRED, close |
      | 1       | CONNECTED | CHAT             | ERROR NEGOTIATION_REQUIRED, close |
      | 1       | CONNECTED | CHAT_ECHO        | ERROR NEGOTIATION_REQUIRED, close |
      | 1       | CONNECTED | PING             | ERROR NEGOTIATION_REQUIRED, close |
      | 1       | CONNECTED | PONG             | ERROR NEGOTIATION_REQUIRED, close |
      | 1       | CONNECTED | LOGOUT           | ERROR NEGOTIATION_REQUIRED, close |

    @v1 @REQ-8.5
    Examples: v1 REQ-8.5
      | version | state         | type  | expected                  |
      | 1       | CONNECTED     | ERROR | no reply, state unchanged |
      | 1       | NEGOTIATED    | ERROR | no reply, state unchanged |
      | 1       | AUTHENTICATED | ERROR | no reply, state unchanged |

    @v1 @REQ-4.8
    Examples: v1 REQ-4.8
      | version | state         | type            | expected                                  |
      | 1       | NEGOTIATED    | VERSION_REQUEST | ERROR ALREADY_NEGOTIATED, state unchanged |
      | 1       | AUTHENTICATED | VERSION_REQUEST | ERROR ALREADY_NEGOTIATED, state unchanged |

    @v1 @REQ-8.6
    Examples: v1 REQ-8.6
      | version | state         | type              | expected                                  |
      | 1       | NEGOTIATED    | VERSION_RESPONSE  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | LOGIN_RESPONSE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | CHAT_ECHO         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | PONG              | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | DIRECT_STATUS     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | DIRECT_MESSAGE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | ROOM_RESULT       | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | ROOM_MESSAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | ROOM_EVENT        | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | ROOM_LIST         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | WHO_LIST          | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | TYPING_NOTICE     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | PRESENCE_EVENT    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | SESSION_INFO      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | DIRECT_STATUS_V3  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | DIRECT_MESSAGE_V3 | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | ROOM_MESSAGE_V3   | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | HISTORY_PAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | NEGOTIATED    | HISTORY_ITEM      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | VERSION_RESPONSE  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | LOGIN_RESPONSE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | CHAT_ECHO         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | PONG              | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | DIRECT_STATUS     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | DIRECT_MESSAGE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | ROOM_RESULT       | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | ROOM_MESSAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | ROOM_EVENT        | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | ROOM_LIST         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | WHO_LIST          | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | TYPING_NOTICE     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | PRESENCE_EVENT    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | SESSION_INFO      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | DIRECT_STATUS_V3  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | DIRECT_MESSAGE_V3 | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | ROOM_MESSAGE_V3   | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | HISTORY_PAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 1       | AUTHENTICATED | HISTORY_ITEM      | ERROR UNEXPECTED_MESSAGE, state unchanged |

    @v1 @REQ-5.2
    Examples: v1 REQ-5.2
      | version | state      | type          | expected                                                                                                                             |
      | 1       | NEGOTIATED | LOGIN_REQUEST | LOGIN_RESPONSE OK -> AUTHENTICATED or LOGIN_RESPONSE BAD_CREDENTIALS -> NEGOTIATED or LOGIN_RESPONSE ALREADY_LOGGED_IN -> NEGOTIATED |

    @v1 @REQ-6.6
    Examples: v1 REQ-6.6
      | version | state      | type | expected                                       |
      | 1       | NEGOTIATED | CHAT | ERROR AUTHENTICATION_REQUIRED, state unchanged |

    @v1 @REQ-7.2
    Examples: v1 REQ-7.2
      | version | state         | type | expected                 |
      | 1       | NEGOTIATED    | PING | PONG OK -> NEGOTIATED    |
      | 1       | AUTHENTICATED | PING | PONG OK -> AUTHENTICATED |

    @v1 @REQ-9.2
    Examples: v1 REQ-9.2
      | version | state         | type   | expected              |
      | 1       | NEGOTIATED    | LOGOUT | no reply OK -> CLOSED |
      | 1       | AUTHENTICATED | LOGOUT | no reply OK -> CLOSED |

    @v1 @REQ-8.7
    Examples: v1 REQ-8.7
      | version | state         | type               | expected                                      |
      | 1       | NEGOTIATED    | DIRECT_SEND        | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | ROOM_JOIN          | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | ROOM_LEAVE         | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | ROOM_SAY           | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | ROOM_LIST_REQUEST  | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | WHO_REQUEST        | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | TYPING             | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | PRESENCE_SUBSCRIBE | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | DIRECT_SEND_V3     | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | HISTORY_REQUEST    | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | NEGOTIATED    | ROOM_RESUME        | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | DIRECT_SEND        | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | ROOM_JOIN          | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | ROOM_LEAVE         | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | ROOM_SAY           | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | ROOM_LIST_REQUEST  | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | WHO_REQUEST        | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | TYPING             | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | PRESENCE_SUBSCRIBE | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | DIRECT_SEND_V3     | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | HISTORY_REQUEST    | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 1       | AUTHENTICATED | ROOM_RESUME        | ERROR UNSUPPORTED_IN_VERSION, state unchanged |

    @v1 @REQ-5.8
    Examples: v1 REQ-5.8
      | version | state         | type          | expected                                     |
      | 1       | AUTHENTICATED | LOGIN_REQUEST | ERROR ALREADY_AUTHENTICATED, state unchanged |

    @v1 @REQ-6.1
    Examples: v1 REQ-6.1
      | version | state         | type | expected                      |
      | 1       | AUTHENTICATED | CHAT | CHAT_ECHO OK -> AUTHENTICATED |

    @v2 @REQ-4.7
    Examples: v2 REQ-4.7
      | version | state     | type               | expected                          |
      | 2       | CONNECTED | DIRECT_SEND        | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | DIRECT_STATUS      | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | DIRECT_MESSAGE     | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | ROOM_JOIN          | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | ROOM_LEAVE         | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | ROOM_RESULT        | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | ROOM_SAY           | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | ROOM_MESSAGE       | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | ROOM_EVENT         | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | ROOM_LIST_REQUEST  | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | ROOM_LIST          | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | WHO_REQUEST        | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | WHO_LIST           | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | TYPING             | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | TYPING_NOTICE      | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | PRESENCE_SUBSCRIBE | ERROR NEGOTIATION_REQUIRED, close |
      | 2       | CONNECTED | PRESENCE_EVENT     | ERROR NEGOTIATION_REQUIRED, close |

    @v2 @REQ-4.8
    Examples: v2 REQ-4.8
      | version | state         | type            | expected                                  |
      | 2       | NEGOTIATED    | VERSION_REQUEST | ERROR ALREADY_NEGOTIATED, state unchanged |
      | 2       | AUTHENTICATED | VERSION_REQUEST | ERROR ALREADY_NEGOTIATED, state unchanged |

    @v2 @REQ-8.6
    Examples: v2 REQ-8.6
      | version | state         | type              | expected                                  |
      | 2       | NEGOTIATED    | VERSION_RESPONSE  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | LOGIN_RESPONSE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | CHAT_ECHO         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | PONG              | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | DIRECT_STATUS     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | DIRECT_MESSAGE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | ROOM_RESULT       | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | ROOM_MESSAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | ROOM_EVENT        | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | ROOM_LIST         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | WHO_LIST          | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | TYPING_NOTICE     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | PRESENCE_EVENT    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | SESSION_INFO      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | DIRECT_STATUS_V3  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | DIRECT_MESSAGE_V3 | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | ROOM_MESSAGE_V3   | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | HISTORY_PAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | NEGOTIATED    | HISTORY_ITEM      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | VERSION_RESPONSE  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | LOGIN_RESPONSE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | CHAT_ECHO         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | PONG              | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | DIRECT_STATUS     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | DIRECT_MESSAGE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | ROOM_RESULT       | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | ROOM_MESSAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | ROOM_EVENT        | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | ROOM_LIST         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | WHO_LIST          | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | TYPING_NOTICE     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | PRESENCE_EVENT    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | SESSION_INFO      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | DIRECT_STATUS_V3  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | DIRECT_MESSAGE_V3 | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | ROOM_MESSAGE_V3   | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | HISTORY_PAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 2       | AUTHENTICATED | HISTORY_ITEM      | ERROR UNEXPECTED_MESSAGE, state unchanged |

    @v2 @REQ-5.2
    Examples: v2 REQ-5.2
      | version | state      | type          | expected                                                                                                                             |
      | 2       | NEGOTIATED | LOGIN_REQUEST | LOGIN_RESPONSE OK -> AUTHENTICATED or LOGIN_RESPONSE BAD_CREDENTIALS -> NEGOTIATED or LOGIN_RESPONSE ALREADY_LOGGED_IN -> NEGOTIATED |

    @v2 @REQ-6.6
    Examples: v2 REQ-6.6
      | version | state      | type | expected                                       |
      | 2       | NEGOTIATED | CHAT | ERROR AUTHENTICATION_REQUIRED, state unchanged |

    @v2 @REQ-7.2
    Examples: v2 REQ-7.2
      | version | state         | type | expected                 |
      | 2       | NEGOTIATED    | PING | PONG OK -> NEGOTIATED    |
      | 2       | AUTHENTICATED | PING | PONG OK -> AUTHENTICATED |

    @v2 @REQ-9.2
    Examples: v2 REQ-9.2
      | version | state         | type   | expected              |
      | 2       | NEGOTIATED    | LOGOUT | no reply OK -> CLOSED |
      | 2       | AUTHENTICATED | LOGOUT | no reply OK -> CLOSED |

    @v2 @REQ-8.5
    Examples: v2 REQ-8.5
      | version | state         | type  | expected                  |
      | 2       | NEGOTIATED    | ERROR | no reply, state unchanged |
      | 2       | AUTHENTICATED | ERROR | no reply, state unchanged |

    @v2 @REQ-12.5
    Examples: v2 REQ-12.5
      | version | state      | type               | expected                                       |
      | 2       | NEGOTIATED | DIRECT_SEND        | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 2       | NEGOTIATED | ROOM_JOIN          | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 2       | NEGOTIATED | ROOM_LEAVE         | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 2       | NEGOTIATED | ROOM_SAY           | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 2       | NEGOTIATED | ROOM_LIST_REQUEST  | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 2       | NEGOTIATED | WHO_REQUEST        | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 2       | NEGOTIATED | TYPING             | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 2       | NEGOTIATED | PRESENCE_SUBSCRIBE | ERROR AUTHENTICATION_REQUIRED, state unchanged |

    @v2 @REQ-8.7
    Examples: v2 REQ-8.7
      | version | state         | type            | expected                                      |
      | 2       | NEGOTIATED    | DIRECT_SEND_V3  | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 2       | NEGOTIATED    | HISTORY_REQUEST | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 2       | NEGOTIATED    | ROOM_RESUME     | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 2       | AUTHENTICATED | DIRECT_SEND_V3  | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 2       | AUTHENTICATED | HISTORY_REQUEST | ERROR UNSUPPORTED_IN_VERSION, state unchanged |
      | 2       | AUTHENTICATED | ROOM_RESUME     | ERROR UNSUPPORTED_IN_VERSION, state unchanged |

    @v2 @REQ-5.8
    Examples: v2 REQ-5.8
      | version | state         | type          | expected                                     |
      | 2       | AUTHENTICATED | LOGIN_REQUEST | ERROR ALREADY_AUTHENTICATED, state unchanged |

    @v2 @REQ-6.1
    Examples: v2 REQ-6.1
      | version | state         | type | expected                      |
      | 2       | AUTHENTICATED | CHAT | CHAT_ECHO OK -> AUTHENTICATED |

    @v2 @REQ-12.11
    Examples: v2 REQ-12.11
      | version | state         | type        | expected                                                                                 |
      | 2       | AUTHENTICATED | DIRECT_SEND | DIRECT_STATUS DELIVERED -> AUTHENTICATED or DIRECT_STATUS NOT_DELIVERED -> AUTHENTICATED |

    @v2 @REQ-12.13
    Examples: v2 REQ-12.13
      | version | state         | type      | expected                                                                                                                                                                                                              |
      | 2       | AUTHENTICATED | ROOM_JOIN | ROOM_RESULT OK -> AUTHENTICATED or ROOM_RESULT ALREADY_MEMBER -> AUTHENTICATED or ROOM_RESULT TOO_MANY_ROOMS -> AUTHENTICATED or ROOM_RESULT ROOM_FULL -> AUTHENTICATED or ROOM_RESULT BAD_ROOM_NAME -> AUTHENTICATED |

    @v2 @REQ-12.15
    Examples: v2 REQ-12.15
      | version | state         | type       | expected                                                                   |
      | 2       | AUTHENTICATED | ROOM_LEAVE | ROOM_RESULT OK -> AUTHENTICATED or ROOM_RESULT NOT_MEMBER -> AUTHENTICATED |

    @v2 @REQ-12.17
    Examples: v2 REQ-12.17
      | version | state         | type     | expected                                                                |
      | 2       | AUTHENTICATED | ROOM_SAY | no reply OK -> AUTHENTICATED or ROOM_RESULT NOT_MEMBER -> AUTHENTICATED |

    @v2 @REQ-12.19
    Examples: v2 REQ-12.19
      | version | state         | type              | expected                      |
      | 2       | AUTHENTICATED | ROOM_LIST_REQUEST | ROOM_LIST OK -> AUTHENTICATED |

    @v2 @REQ-12.20
    Examples: v2 REQ-12.20
      | version | state         | type        | expected                                                               |
      | 2       | AUTHENTICATED | WHO_REQUEST | WHO_LIST OK -> AUTHENTICATED or WHO_LIST NO_SUCH_ROOM -> AUTHENTICATED |

    @v2 @REQ-12.22
    Examples: v2 REQ-12.22
      | version | state         | type   | expected                                                                                                       |
      | 2       | AUTHENTICATED | TYPING | no reply OK -> AUTHENTICATED or ROOM_RESULT NOT_MEMBER -> AUTHENTICATED or ERROR RATE_LIMITED -> AUTHENTICATED |

    @v2 @REQ-12.32
    Examples: v2 REQ-12.32
      | version | state         | type               | expected                     |
      | 2       | AUTHENTICATED | PRESENCE_SUBSCRIBE | no reply OK -> AUTHENTICATED |

    @v3 @REQ-4.7
    Examples: v3 REQ-4.7
      | version | state     | type              | expected                          |
      | 3       | CONNECTED | SESSION_INFO      | ERROR NEGOTIATION_REQUIRED, close |
      | 3       | CONNECTED | DIRECT_SEND_V3    | ERROR NEGOTIATION_REQUIRED, close |
      | 3       | CONNECTED | DIRECT_STATUS_V3  | ERROR NEGOTIATION_REQUIRED, close |
      | 3       | CONNECTED | DIRECT_MESSAGE_V3 | ERROR NEGOTIATION_REQUIRED, close |
      | 3       | CONNECTED | ROOM_MESSAGE_V3   | ERROR NEGOTIATION_REQUIRED, close |
      | 3       | CONNECTED | HISTORY_REQUEST   | ERROR NEGOTIATION_REQUIRED, close |
      | 3       | CONNECTED | HISTORY_PAGE      | ERROR NEGOTIATION_REQUIRED, close |
      | 3       | CONNECTED | HISTORY_ITEM      | ERROR NEGOTIATION_REQUIRED, close |
      | 3       | CONNECTED | ROOM_RESUME       | ERROR NEGOTIATION_REQUIRED, close |

    @v3 @REQ-4.8
    Examples: v3 REQ-4.8
      | version | state         | type            | expected                                  |
      | 3       | NEGOTIATED    | VERSION_REQUEST | ERROR ALREADY_NEGOTIATED, state unchanged |
      | 3       | AUTHENTICATED | VERSION_REQUEST | ERROR ALREADY_NEGOTIATED, state unchanged |

    @v3 @REQ-8.6
    Examples: v3 REQ-8.6
      | version | state         | type              | expected                                  |
      | 3       | NEGOTIATED    | VERSION_RESPONSE  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | LOGIN_RESPONSE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | CHAT_ECHO         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | PONG              | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | DIRECT_STATUS     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | DIRECT_MESSAGE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | ROOM_RESULT       | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | ROOM_MESSAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | ROOM_EVENT        | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | ROOM_LIST         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | WHO_LIST          | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | TYPING_NOTICE     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | PRESENCE_EVENT    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | SESSION_INFO      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | DIRECT_STATUS_V3  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | DIRECT_MESSAGE_V3 | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | ROOM_MESSAGE_V3   | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | HISTORY_PAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | NEGOTIATED    | HISTORY_ITEM      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | VERSION_RESPONSE  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | LOGIN_RESPONSE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | CHAT_ECHO         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | PONG              | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | DIRECT_STATUS     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | DIRECT_MESSAGE    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | ROOM_RESULT       | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | ROOM_MESSAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | ROOM_EVENT        | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | ROOM_LIST         | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | WHO_LIST          | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | TYPING_NOTICE     | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | PRESENCE_EVENT    | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | SESSION_INFO      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | DIRECT_STATUS_V3  | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | DIRECT_MESSAGE_V3 | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | ROOM_MESSAGE_V3   | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | HISTORY_PAGE      | ERROR UNEXPECTED_MESSAGE, state unchanged |
      | 3       | AUTHENTICATED | HISTORY_ITEM      | ERROR UNEXPECTED_MESSAGE, state unchanged |

    @v3 @REQ-5.2
    Examples: v3 REQ-5.2
      | version | state      | type          | expected                                                                                                                             |
      | 3       | NEGOTIATED | LOGIN_REQUEST | LOGIN_RESPONSE OK -> AUTHENTICATED or LOGIN_RESPONSE BAD_CREDENTIALS -> NEGOTIATED or LOGIN_RESPONSE ALREADY_LOGGED_IN -> NEGOTIATED |

    @v3 @REQ-6.6
    Examples: v3 REQ-6.6
      | version | state      | type | expected                                       |
      | 3       | NEGOTIATED | CHAT | ERROR AUTHENTICATION_REQUIRED, state unchanged |

    @v3 @REQ-7.2
    Examples: v3 REQ-7.2
      | version | state         | type | expected                 |
      | 3       | NEGOTIATED    | PING | PONG OK -> NEGOTIATED    |
      | 3       | AUTHENTICATED | PING | PONG OK -> AUTHENTICATED |

    @v3 @REQ-9.2
    Examples: v3 REQ-9.2
      | version | state         | type   | expected              |
      | 3       | NEGOTIATED    | LOGOUT | no reply OK -> CLOSED |
      | 3       | AUTHENTICATED | LOGOUT | no reply OK -> CLOSED |

    @v3 @REQ-8.5
    Examples: v3 REQ-8.5
      | version | state         | type  | expected                  |
      | 3       | NEGOTIATED    | ERROR | no reply, state unchanged |
      | 3       | AUTHENTICATED | ERROR | no reply, state unchanged |

    @v3 @REQ-12.5
    Examples: v3 REQ-12.5
      | version | state      | type               | expected                                       |
      | 3       | NEGOTIATED | DIRECT_SEND        | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 3       | NEGOTIATED | ROOM_JOIN          | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 3       | NEGOTIATED | ROOM_LEAVE         | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 3       | NEGOTIATED | ROOM_SAY           | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 3       | NEGOTIATED | ROOM_LIST_REQUEST  | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 3       | NEGOTIATED | WHO_REQUEST        | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 3       | NEGOTIATED | TYPING             | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 3       | NEGOTIATED | PRESENCE_SUBSCRIBE | ERROR AUTHENTICATION_REQUIRED, state unchanged |

    @v3 @REQ-15.4
    Examples: v3 REQ-15.4
      | version | state      | type            | expected                                       |
      | 3       | NEGOTIATED | DIRECT_SEND_V3  | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 3       | NEGOTIATED | HISTORY_REQUEST | ERROR AUTHENTICATION_REQUIRED, state unchanged |
      | 3       | NEGOTIATED | ROOM_RESUME     | ERROR AUTHENTICATION_REQUIRED, state unchanged |

    @v3 @REQ-5.8
    Examples: v3 REQ-5.8
      | version | state         | type          | expected                                     |
      | 3       | AUTHENTICATED | LOGIN_REQUEST | ERROR ALREADY_AUTHENTICATED, state unchanged |

    @v3 @REQ-6.1
    Examples: v3 REQ-6.1
      | version | state         | type | expected                      |
      | 3       | AUTHENTICATED | CHAT | CHAT_ECHO OK -> AUTHENTICATED |

    @v3 @REQ-12.11
    Examples: v3 REQ-12.11
      | version | state         | type        | expected                                                                                 |
      | 3       | AUTHENTICATED | DIRECT_SEND | DIRECT_STATUS DELIVERED -> AUTHENTICATED or DIRECT_STATUS NOT_DELIVERED -> AUTHENTICATED |

    @v3 @REQ-12.13
    Examples: v3 REQ-12.13
      | version | state         | type      | expected                                                                                                                                                                                                              |
      | 3       | AUTHENTICATED | ROOM_JOIN | ROOM_RESULT OK -> AUTHENTICATED or ROOM_RESULT ALREADY_MEMBER -> AUTHENTICATED or ROOM_RESULT TOO_MANY_ROOMS -> AUTHENTICATED or ROOM_RESULT ROOM_FULL -> AUTHENTICATED or ROOM_RESULT BAD_ROOM_NAME -> AUTHENTICATED |

    @v3 @REQ-12.15
    Examples: v3 REQ-12.15
      | version | state         | type       | expected                                                                   |
      | 3       | AUTHENTICATED | ROOM_LEAVE | ROOM_RESULT OK -> AUTHENTICATED or ROOM_RESULT NOT_MEMBER -> AUTHENTICATED |

    @v3 @REQ-12.17
    Examples: v3 REQ-12.17
      | version | state         | type     | expected                                                                |
      | 3       | AUTHENTICATED | ROOM_SAY | no reply OK -> AUTHENTICATED or ROOM_RESULT NOT_MEMBER -> AUTHENTICATED |

    @v3 @REQ-12.19
    Examples: v3 REQ-12.19
      | version | state         | type              | expected                      |
      | 3       | AUTHENTICATED | ROOM_LIST_REQUEST | ROOM_LIST OK -> AUTHENTICATED |

    @v3 @REQ-12.20
    Examples: v3 REQ-12.20
      | version | state         | type        | expected                                                               |
      | 3       | AUTHENTICATED | WHO_REQUEST | WHO_LIST OK -> AUTHENTICATED or WHO_LIST NO_SUCH_ROOM -> AUTHENTICATED |

    @v3 @REQ-12.22
    Examples: v3 REQ-12.22
      | version | state         | type   | expected                                                                                                       |
      | 3       | AUTHENTICATED | TYPING | no reply OK -> AUTHENTICATED or ROOM_RESULT NOT_MEMBER -> AUTHENTICATED or ERROR RATE_LIMITED -> AUTHENTICATED |

    @v3 @REQ-12.32
    Examples: v3 REQ-12.32
      | version | state         | type               | expected                     |
      | 3       | AUTHENTICATED | PRESENCE_SUBSCRIBE | no reply OK -> AUTHENTICATED |

    @v3 @REQ-15.19
    Examples: v3 REQ-15.19
      | version | state         | type           | expected                                                                                |
      | 3       | AUTHENTICATED | DIRECT_SEND_V3 | DIRECT_STATUS_V3 DELIVERED -> AUTHENTICATED or DIRECT_STATUS_V3 STORED -> AUTHENTICATED |

    @v3 @REQ-15.11
    Examples: v3 REQ-15.11
      | version | state         | type            | expected                                                                                                          |
      | 3       | AUTHENTICATED | HISTORY_REQUEST | HISTORY_PAGE OK -> AUTHENTICATED or HISTORY_PAGE GAP -> AUTHENTICATED or HISTORY_PAGE NOT_MEMBER -> AUTHENTICATED |

    @v3 @REQ-15.15
    Examples: v3 REQ-15.15
      | version | state         | type        | expected                                                                                                                                                                                                              |
      | 3       | AUTHENTICATED | ROOM_RESUME | ROOM_RESULT OK -> AUTHENTICATED or ROOM_RESULT ALREADY_MEMBER -> AUTHENTICATED or ROOM_RESULT TOO_MANY_ROOMS -> AUTHENTICATED or ROOM_RESULT ROOM_FULL -> AUTHENTICATED or ROOM_RESULT BAD_ROOM_NAME -> AUTHENTICATED |
