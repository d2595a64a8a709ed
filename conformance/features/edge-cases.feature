Feature: Edge cases: names, ids, texts and writes at the limits
  Accounts whose names are mixed case, non-ASCII UTF-8 (whose UTF-8 and UTF-16 orders differ), at the
  32-byte limit with a 128-byte password; names and passwords compared as exact byte strings; ids and
  tokens at 0 and 2^32-1; empty and maximal texts; frames combined with other frames and with garbage in
  one write (spec/README.md §3.3, §5, §6, §12.2). Every account here is in conformance/fixtures/accounts.json.

  @REQ-5.1 @REQ-5.10 @MUST @v1
  Scenario Outline: An account with an edge-case name logs in and chats: <case>
    Given the server speaks protocol version 1
    And a connection "A" that has negotiated
    When "A" logs in as "<user>"
    Then "A" is logged in
    And "A" can still chat

    Examples:
      | case                                             | user                   |
      | mixed case                                       | User1                  |
      | non-ASCII letters                                | Ünïcödé                |
      | precomposed (NFC) letters                        | café                   |
      | a character outside the BMP                      | 🦜parrot               |
      | 32 bytes of name and a 128-byte password         | 名前名前名前名前名前ab |

  @REQ-5.10 @MUST @v1
  Scenario: Names that differ only in case are two users, each with its own password
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    And a connection "B" that has negotiated
    When "B" logs in as "User1" with the password "pass1"
    Then "B" is refused with BAD_CREDENTIALS
    When "B" logs in as "User1"
    Then "B" is logged in
    And "A" can still chat

  @REQ-5.10 @MUST @v1
  Scenario Outline: Names and passwords are compared as bytes, never folded, normalised or trimmed: <case>
    Given the server speaks protocol version 1
    And a connection "A" that has negotiated
    When "A" logs in as "<user>" spelt <name> with its password spelt <password>
    Then "A" is refused with BAD_CREDENTIALS
    And "A" can still ping

    Examples:
      | case                        | user    | name                  | password              |
      | name in upper case          | user1   | in upper case         | exactly               |
      | name in lower case          | User1   | in lower case         | exactly               |
      | name decomposed (NFD)       | café    | decomposed (NFD)      | exactly               |
      | non-ASCII name decomposed   | Ünïcödé | decomposed (NFD)      | exactly               |
      | name with a trailing space  | user1   | with a trailing space | exactly               |
      | name with a leading space   | user1   | with a leading space  | exactly               |
      | password in upper case      | user1   | exactly               | in upper case         |
      | password decomposed (NFD)   | café    | exactly               | decomposed (NFD)      |

  @REQ-5.12 @REQ-5.10 @MUST @v1
  Scenario Outline: A password with U+0000 appended is not the password: <case>
    Given the server speaks protocol version 1
    And a connection "A" that has negotiated
    When "A" logs in as "<user>" spelt exactly with its password spelt <password>
    Then "A" is refused with BAD_CREDENTIALS
    When "A" logs in as "<user>"
    Then "A" is logged in

    Examples:
      | case                                 | user    | password               |
      | after an ASCII password              | user1   | with a trailing NUL    |
      | twice, after an ASCII password       | user2   | with two trailing NULs |
      | after a non-ASCII account's password | Ünïcödé | with a trailing NUL    |

  @REQ-3.6 @REQ-6.1 @MUST @v1
  Scenario Outline: Texts are echoed as the bytes sent, never normalised or trimmed: <text>
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    When "A" sends CHAT 3 with the <text> text
    Then "A" receives the echo of CHAT 3 with the <text> text

    Examples:
      | text                       |
      | surrounding whitespace     |
      | combining marks            |
      | control characters and NUL |

  @REQ-6.8 @REQ-6.1 @MUST @v1
  Scenario: The extreme message ids and a repeated id are echoed in the order sent, each with its own text
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    When "A" sends CHAT 4294967295 with the maximum-length emoji text
    And "A" sends CHAT 0 with the empty text
    And "A" sends CHAT 4294967295 with the empty text
    Then "A" receives the echo of CHAT 4294967295 with the maximum-length emoji text
    And "A" receives the echo of CHAT 0 with the empty text
    And "A" receives the echo of CHAT 4294967295 with the empty text

  @REQ-2.4 @REQ-2.6 @REQ-8.3 @MUST @v1
  Scenario: A CHAT, a PING and garbage in one write: the CHAT is echoed, the PING answered, then BAD_MAGIC
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    When "A" sends CHAT 0 with the maximum-length ASCII text, PING 4294967295 and garbage in one write
    Then "A" receives the echo of CHAT 0 with the maximum-length ASCII text
    And "A" receives PONG with token 4294967295
    And "A" receives ERROR BAD_MAGIC and the spec's reaction to it

  @REQ-2.4 @REQ-3.5 @REQ-8.4 @MUST @v1
  Scenario: A refused PDU between two CHATs in one write leaves both CHATs echoed, in order
    Given the server speaks protocol version 1
    And "A" is logged in as "user1"
    When "A" sends CHAT 1, a PDU of unknown type 11 and CHAT 2 in one write
    Then "A" receives the echo of CHAT 1 with the ASCII text
    And "A" receives ERROR UNKNOWN_MESSAGE_TYPE
    And "A" receives the echo of CHAT 2 with the ASCII text
    And "A" can still ping

  @REQ-12.33 @REQ-12.20 @MUST @v2
  Scenario: Who is online is sorted by UTF-8 bytes, which is not UTF-16 order
    Given the server speaks protocol version 2
    And "A" is logged in as "～wide-tilde"
    And "B" is logged in as "🦜parrot"
    And "C" is logged in as "Ünïcödé"
    And "D" is logged in as "User1"
    When "A" reads the whole list of who is online
    Then the list "A" read is sorted, paged and counted as the spec says
    And the list "A" read includes "User1", "Ünïcödé", "～wide-tilde" and "🦜parrot"

  @REQ-12.9 @REQ-12.33 @MUST @v2
  Scenario Outline: Direct messages between non-ASCII names, with the extreme ids and texts: <case>
    Given the server speaks protocol version 2
    And "A" is logged in as "Ünïcödé"
    And "B" is logged in as "名前名前名前名前名前ab"
    When "A" sends direct message <id> to "名前名前名前名前名前ab" with the <text> text
    Then "A" receives DIRECT_STATUS DELIVERED for message <id>
    And "B" receives direct message <id> from "Ünïcödé" with the <text> text
    And "A" and "B" have received nothing but their own replies

    Examples:
      | case                 | id         | text                 |
      | id 0, empty text     | 0          | empty                |
      | id 2^32-1, maximal   | 4294967295 | maximum-length emoji |

  @REQ-12.13 @REQ-12.33 @MUST @v2
  Scenario Outline: Room requests with the extreme request ids are answered with the same id: <id>
    Given the server speaks protocol version 2
    And "A" is logged in as "user1"
    When "A" sends ROOM_JOIN <id> for "Edge-Room_32-bytes-long-exactlyZ"
    Then "A" receives ROOM_RESULT <id> OK for "Edge-Room_32-bytes-long-exactlyZ" and then its own ROOM_EVENT JOINED
    When "A" sends ROOM_JOIN <id> for "edge-room_32-bytes-long-exactlyZ"
    Then "A" receives ROOM_RESULT <id> OK for "edge-room_32-bytes-long-exactlyZ" and then its own ROOM_EVENT JOINED
    When "A" sends ROOM_LEAVE <id> for "EDGE-ROOM_32-BYTES-LONG-EXACTLYZ"
    Then "A" receives ROOM_RESULT <id> NOT_MEMBER for "EDGE-ROOM_32-BYTES-LONG-EXACTLYZ"

    Examples:
      | id         |
      | 0          |
      | 4294967295 |

  @REQ-2.4 @REQ-2.9 @REQ-8.3 @MUST @v2
  Scenario: A ROOM_SAY, a DIRECT_SEND and garbage in one write: both handled in order, then BAD_MAGIC
    Given the server speaks protocol version 2
    And "A" is logged in as "user1"
    And "B" is logged in as "user2"
    And "C" is logged in as "user3"
    And "A", "B" and "C" are in the room "edge-batch"
    When "A" says message 9 in "edge-batch" with the ASCII text, sends direct message 10 to "user2" with the empty text and garbage in one write
    Then "A" receives room message 9 in "edge-batch" from "user1" with the ASCII text
    And "A" receives DIRECT_STATUS DELIVERED for message 10
    And "A" receives ERROR BAD_MAGIC and the spec's reaction to it
    And "B" receives room message 9 in "edge-batch" from "user1" with the ASCII text
    And "B" receives direct message 10 from "user1" with the empty text
    And "C" receives room message 9 in "edge-batch" from "user1" with the ASCII text
    And "B" and "C" each receive ROOM_EVENT LEFT for "user1" in "edge-batch"
    And "B" can still chat
    And "C" can still chat
