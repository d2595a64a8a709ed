meta:
  id: parrot_pdu
  title: Parrot chat protocol data unit (PDU)
  application: Parrot chat protocol
  license: MIT
  endian: be
  encoding: UTF-8
doc: |
  One Parrot PDU: a fixed 8-byte header followed by a payload of
  `header.payload_length` bytes whose layout is chosen by
  `header.message_type`. Every integer is big-endian and unsigned.

  The header layout is the same in every protocol version, so a peer can
  always find frame boundaries and read the version field before it knows
  which version the other side speaks.

  Strings are UTF-8, prefixed by their length in bytes, and never
  NUL-terminated. A decoder MUST reject invalid UTF-8 (error code
  invalid_utf8); Kaitai cannot express that rule, so it is stated here and in
  spec/README.md.

  Keys starting with `-parrot-` are Parrot extensions that the Kaitai
  compiler ignores: `-parrot-error` names the error code (enum error_code) a
  decoder reports when that field's `valid` constraint fails. A `valid`
  failure without it is reported as malformed_payload.

  Checks run in the order a Kaitai parser makes them: the header's seq
  (magic, then payload_length), then `header.known_message_type` when the
  body's layout is chosen, then the payload's fields in seq order. That is
  the order of spec/README.md §8.2 steps 1-3.

  This file is the single source of truth for bytes on the wire: the
  TypeScript codec in generated/ is produced from it by `make generate`.
seq:
  - id: header
    type: header
    size: 8
    doc: |
      Fixed-size header present on every PDU. Read as its own 8-byte
      substream so that `header.known_message_type` (pos 3) finds the
      message type of this PDU also when several PDUs share one stream.
  - id: body
    size: header.payload_length
    doc: |
      Payload, exactly `header.payload_length` bytes; its layout depends on
      the message type. Choosing the layout is what checks the message type
      (`header.known_message_type`), so that check comes after the header's
      own, as spec/README.md §8.2 orders them.
    type:
      switch-on: header.known_message_type
      cases:
        'message_type::version_request': version_request
        'message_type::version_response': version_response
        'message_type::login_request': login_request
        'message_type::login_response': login_response
        'message_type::chat': chat
        'message_type::chat_echo': chat_echo
        'message_type::ping': ping
        'message_type::pong': pong
        'message_type::logout': logout
        'message_type::error': error
        'message_type::direct_send': direct_send
        'message_type::direct_status': direct_status
        'message_type::direct_message': direct_message
        'message_type::room_join': room_join
        'message_type::room_leave': room_leave
        'message_type::room_result': room_result
        'message_type::room_say': room_say
        'message_type::room_message': room_message
        'message_type::room_event': room_event
        'message_type::room_list_request': room_list_request
        'message_type::room_list': room_list
        'message_type::who_request': who_request
        'message_type::who_list': who_list
        'message_type::typing': typing
        'message_type::typing_notice': typing_notice
        'message_type::presence_subscribe': presence_subscribe
        'message_type::presence_event': presence_event
        'message_type::session_info': session_info
        'message_type::direct_send_v3': direct_send_v3
        'message_type::direct_status_v3': direct_status_v3
        'message_type::direct_message_v3': direct_message_v3
        'message_type::room_message_v3': room_message_v3
        'message_type::history_request': history_request
        'message_type::history_page': history_page
        'message_type::history_item': history_item
        'message_type::room_resume': room_resume
types:
  header:
    doc: The 8-byte header. Its layout never changes between protocol versions.
    seq:
      - id: magic
        type: u2
        valid: 0x5052
        -parrot-error: bad_magic
        doc: |
          Always 0x5052 (ASCII "PR"). Lets a receiver tell a Parrot peer from
          a stray client (an HTTP request, a TLS hello on a plain port) on
          the first two bytes.
      - id: version
        type: u1
        doc: |
          Protocol version this PDU is written in. 0 on VERSION_REQUEST and
          VERSION_RESPONSE and on any PDU sent before negotiation completes;
          the negotiated version (1, 2 or 3) on every PDU after that.
      - id: message_type
        type: u1
        doc: |
          Which payload layout follows. Types 0x01-0x1f are protocol v1;
          0x20-0x3f are protocol v2; 0x40-0x5f are protocol v3. Read here as a plain number: it is
          checked against enum message_type only in `known_message_type`,
          after payload_length.
      - id: payload_length
        type: u4
        valid:
          max: 8192
        -parrot-error: frame_too_large
        doc: |
          Number of payload bytes after this header. A receiver MUST refuse a
          value over 8192 as soon as it has read the header, before it
          buffers the payload.
    instances:
      known_message_type:
        pos: 3
        type: u1
        enum: message_type
        valid:
          in-enum: true
        -parrot-error: unknown_message_type
        doc: |
          message_type (the same byte, offset 3) read as enum message_type
          and checked against it. The check is here and not on the seq field
          so that it runs after payload_length's: the order of checks is the
          order of the seq, then this instance, which the body's switch
          evaluates. A header with an unknown type AND a payload_length over
          8192 is FRAME_TOO_LARGE (the stream cannot be framed any more: close),
          never UNKNOWN_MESSAGE_TYPE (skip the payload and go on, which would
          mean skipping up to 4 GiB). Vector: unknown-type-and-frame-too-large.

  version_request:
    doc: Client -> server, first PDU on a connection. Lists every protocol version the client speaks.
    seq:
      - id: version_count
        type: u1
        valid:
          min: 1
          max: 16
        doc: Number of entries in `versions` (1 to 16).
      - id: versions
        type: u1
        repeat: expr
        repeat-expr: version_count
        doc: Protocol versions the client speaks, in any order. Duplicates are allowed and mean nothing more.

  version_response:
    doc: Server -> client, answer to VERSION_REQUEST.
    seq:
      - id: status
        type: u1
        enum: version_status
        valid:
          in-enum: true
        doc: Whether a common version was found.
      - id: chosen_version
        type: u1
        doc: The highest version both sides speak; 0 when status is no_common_version.
      - id: ping_interval_ms
        type: u4
        doc: How often the client is expected to send PING, in milliseconds.
      - id: ping_timeout_ms
        type: u4
        doc: How long the server waits without receiving any PDU before it closes the session, in milliseconds.
      - id: supported_count
        type: u1
        valid:
          min: 1
          max: 16
        doc: Number of entries in `supported_versions` (1 to 16).
      - id: supported_versions
        type: u1
        repeat: expr
        repeat-expr: supported_count
        doc: Every protocol version the server speaks, in ascending order.

  login_request:
    doc: Client -> server, after negotiation. Credentials travel in clear inside the PDU; use TLS on untrusted networks.
    seq:
      - id: username_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `username` in bytes (0 to 32).
      - id: username
        type: str
        size: username_length
        doc: Account name.
      - id: password_length
        type: u1
        valid:
          max: 128
        -parrot-error: string_too_long
        doc: Length of `password` in bytes (0 to 128).
      - id: password
        type: str
        size: password_length
        doc: Account password.

  login_response:
    doc: Server -> client, answer to LOGIN_REQUEST.
    seq:
      - id: status
        type: u1
        enum: login_status
        valid:
          in-enum: true
        doc: Outcome of the login.
      - id: text_length
        type: u2
        valid:
          max: 512
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 512).
      - id: text
        type: str
        size: text_length
        doc: Human-readable explanation, e.g. "already logged in from another location". Informative only; clients act on `status`.

  chat:
    doc: Client -> server, a chat message to be parroted back.
    seq:
      - id: message_id
        type: u4
        doc: Chosen by the client; the server copies it into the CHAT_ECHO so the client can match them.
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The message. May be empty.

  chat_echo:
    doc: Server -> client, the server parroting a CHAT back to its sender.
    seq:
      - id: message_id
        type: u4
        doc: The `message_id` of the CHAT being echoed.
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The text of the CHAT, byte for byte.

  ping:
    doc: Client -> server keep-alive. The server answers with PONG.
    seq:
      - id: token
        type: u4
        doc: Chosen by the sender; copied into the PONG so the sender can match them.

  pong:
    doc: Server -> client, answer to PING.
    seq:
      - id: token
        type: u4
        doc: The `token` of the PING being answered.

  logout:
    doc: Client -> server. Ends the session; the server frees the login and closes the connection. Empty payload.
    seq: []

  error:
    doc: Either direction. Reports a protocol error; spec/protocol.json says which codes close the connection.
    seq:
      - id: code
        type: u2
        enum: error_code
        valid:
          in-enum: true
        doc: What went wrong.
      - id: text_length
        type: u2
        valid:
          max: 512
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 512).
      - id: text
        type: str
        size: text_length
        doc: Human-readable detail for logs. Informative only; receivers act on `code`.

  # ---- Protocol v2 (types 0x20-0x3f). Sent only on a connection that negotiated version 2, with
  # header version 2. Names (users, rooms) are at most 32 bytes; which names are meaningful (e.g.
  # the room name charset) is a protocol rule in spec/README.md §12, not a wire rule, so an empty or
  # odd name decodes fine and gets a protocol answer (not_delivered, bad_room_name, ...).

  direct_send:
    doc: Client -> server (v2). A direct message to one user by name. Answered with DIRECT_STATUS.
    seq:
      - id: message_id
        type: u4
        doc: Chosen by the client; copied into DIRECT_STATUS and into the recipient's DIRECT_MESSAGE.
      - id: to_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `to` in bytes (0 to 32).
      - id: to
        type: str
        size: to_length
        doc: Name of the recipient (a username).
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The message. May be empty.

  direct_status:
    doc: Server -> client (v2), answer to DIRECT_SEND.
    seq:
      - id: message_id
        type: u4
        doc: The `message_id` of the DIRECT_SEND answered.
      - id: status
        type: u1
        enum: delivery_status
        valid:
          in-enum: true
        doc: Whether the message reached the recipient's session.

  direct_message:
    doc: Server -> client (v2). A direct message relayed from another user (or from yourself).
    seq:
      - id: message_id
        type: u4
        doc: The sender's `message_id` of the DIRECT_SEND; ids are only unique per sender.
      - id: from_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `from` in bytes (0 to 32).
      - id: from
        type: str
        size: from_length
        doc: Username of the sender.
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The message, byte for byte as sent.

  room_join:
    doc: Client -> server (v2). Join a room, creating it if it does not exist. Answered with ROOM_RESULT.
    seq:
      - id: request_id
        type: u4
        doc: Chosen by the client; copied into the ROOM_RESULT.
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: Room name; must match ^[A-Za-z0-9_-]{1,32}$ (else ROOM_RESULT bad_room_name).

  room_leave:
    doc: Client -> server (v2). Leave a room. Answered with ROOM_RESULT.
    seq:
      - id: request_id
        type: u4
        doc: Chosen by the client; copied into the ROOM_RESULT.
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: Room name.

  room_result:
    doc: |
      Server -> client (v2). Answers ROOM_JOIN and ROOM_LEAVE, and refuses a ROOM_SAY or a room
      TYPING for a room the sender is not a member of (not_member).
    seq:
      - id: request_id
        type: u4
        doc: The `request_id` of the ROOM_JOIN/ROOM_LEAVE, the `message_id` of the ROOM_SAY, or 0 for a TYPING.
      - id: status
        type: u1
        enum: room_status
        valid:
          in-enum: true
        doc: Outcome.
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: The room named in the request, byte for byte.

  room_say:
    doc: Client -> server (v2). A message to every member of a room the sender is in.
    seq:
      - id: message_id
        type: u4
        doc: Chosen by the client; copied into every ROOM_MESSAGE it causes (or into ROOM_RESULT not_member).
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: Room name.
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The message. May be empty.

  room_message:
    doc: Server -> client (v2). A room message, sent to every member (the sender too) in the one order the server processed them.
    seq:
      - id: message_id
        type: u4
        doc: The sender's `message_id` of the ROOM_SAY.
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: Room the message was said in.
      - id: from_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `from` in bytes (0 to 32).
      - id: from
        type: str
        size: from_length
        doc: Username of the sender.
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The message, byte for byte as sent.

  room_event:
    doc: Server -> client (v2). Someone joined or left a room this session is a member of.
    seq:
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: The room.
      - id: user_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `user` in bytes (0 to 32).
      - id: user
        type: str
        size: user_length
        doc: Username that joined or left.
      - id: event
        type: u1
        enum: room_event_kind
        valid:
          in-enum: true
        doc: Joined or left.

  room_list_request:
    doc: Client -> server (v2). Asks for one page of the names of all existing rooms. Answered with ROOM_LIST.
    seq:
      - id: request_id
        type: u4
        doc: Chosen by the client; copied into the ROOM_LIST.
      - id: offset
        type: u4
        doc: Index of the first room wanted in the sorted list (0 for the first page).

  room_list:
    doc: Server -> client (v2). One page of the sorted list of existing rooms.
    seq:
      - id: request_id
        type: u4
        doc: The `request_id` of the ROOM_LIST_REQUEST answered.
      - id: total
        type: u4
        doc: Number of rooms that exist in all; a client pages with offset until it has them all.
      - id: room_count
        type: u1
        valid:
          max: 200
        doc: Number of entries in `rooms` (0 to 200, limits.maxListEntries). More is malformed_payload.
      - id: rooms
        type: name_entry
        repeat: expr
        repeat-expr: room_count
        doc: Room names, in ascending byte order, starting at the requested offset.

  who_request:
    doc: Client -> server (v2). Asks who is online, or who is in a room. Answered with WHO_LIST.
    seq:
      - id: request_id
        type: u4
        doc: Chosen by the client; copied into the WHO_LIST.
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: Room whose members are wanted; empty for every user online.
      - id: offset
        type: u4
        doc: Index of the first name wanted in the sorted list (0 for the first page).

  who_list:
    doc: Server -> client (v2). One page of the sorted names of users online, or of a room's members.
    seq:
      - id: request_id
        type: u4
        doc: The `request_id` of the WHO_REQUEST answered.
      - id: status
        type: u1
        enum: who_status
        valid:
          in-enum: true
        doc: ok, or no_such_room when the named room does not exist.
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: The room of the WHO_REQUEST, byte for byte (empty for everyone online).
      - id: total
        type: u4
        doc: Number of names in the whole list.
      - id: name_count
        type: u1
        valid:
          max: 200
        doc: Number of entries in `names` (0 to 200, limits.maxListEntries). More is malformed_payload.
      - id: names
        type: name_entry
        repeat: expr
        repeat-expr: name_count
        doc: Usernames, in ascending byte order, starting at the requested offset.

  typing:
    doc: Client -> server (v2). The sender started or stopped typing to a user or a room. No reply unless refused.
    seq:
      - id: target_kind
        type: u1
        enum: target_kind
        valid:
          in-enum: true
        doc: Whether `target` names a user or a room.
      - id: target_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `target` in bytes (0 to 32).
      - id: target
        type: str
        size: target_length
        doc: Username or room name.
      - id: state
        type: u1
        enum: typing_state
        valid:
          in-enum: true
        doc: Started or stopped typing.

  typing_notice:
    doc: Server -> client (v2). Someone is typing (or stopped) to this user or in a room this session is in.
    seq:
      - id: target_kind
        type: u1
        enum: target_kind
        valid:
          in-enum: true
        doc: 'user when the typist is typing to this session''s user, room when typing in `room`.'
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: The room when target_kind is room; empty when it is user.
      - id: from_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `from` in bytes (0 to 32).
      - id: from
        type: str
        size: from_length
        doc: Username of the typist.
      - id: state
        type: u1
        enum: typing_state
        valid:
          in-enum: true
        doc: Started or stopped; stopped is also sent by the server when the indicator expires.

  presence_subscribe:
    doc: Client -> server (v2). Turns PRESENCE_EVENT notifications for this session on or off. No reply.
    seq:
      - id: enabled
        type: u1
        enum: presence_mode
        valid:
          in-enum: true
        doc: on to receive PRESENCE_EVENT, off to stop.

  presence_event:
    doc: Server -> client (v2), to sessions that subscribed. A user logged in or their session ended.
    seq:
      - id: user_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `user` in bytes (0 to 32).
      - id: user
        type: str
        size: user_length
        doc: Username.
      - id: status
        type: u1
        enum: presence_status
        valid:
          in-enum: true
        doc: online (logged in) or offline (session ended, however it ended).

  # ---- Protocol v3 (types 0x40-0x5f), spec/README.md §15. Sent only on a connection that
  # negotiated version 3, with header version 3. Every room message and direct message the server
  # accepts gets a server id (epoch, seq) and the time it was accepted.
  session_info:
    doc: |
      Server -> client (v3), right after LOGIN_RESPONSE ok: the history the server keeps and how
      many stored direct messages follow it.
    seq:
      - id: max_page
        type: u2
        valid:
          min: 1
          max: 200
        doc: Most HISTORY_ITEMs one HISTORY_PAGE carries (1 to 200, limits.maxHistoryPage).
      - id: history_count
        type: u4
        doc: Newest messages kept per conversation (room or direct); 0 when the server bounds history by age only.
      - id: history_age_s
        type: u4
        doc: Seconds a message is kept after it was accepted; 0 when the server bounds history by count only.
      - id: offline_queue
        type: u2
        doc: Direct messages stored for one offline recipient at most; past it the oldest stored one is dropped.
      - id: stored_count
        type: u2
        doc: How many DIRECT_MESSAGE_V3 follow this PDU, stored while this user was away, oldest first.
      - id: dropped_count
        type: u4
        doc: Stored direct messages dropped for this user since its last version-3 login because its queue was full.
  direct_send_v3:
    doc: Client -> server (v3). A direct message to one user, stored when the user is not online on version 3. Answered with DIRECT_STATUS_V3.
    seq:
      - id: message_id
        type: u4
        doc: Chosen by the client; copied into DIRECT_STATUS_V3 and into the recipient's copy.
      - id: to_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `to` in bytes (0 to 32).
      - id: to
        type: str
        size: to_length
        doc: Name of the recipient (a username).
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The message. May be empty.
  direct_status_v3:
    doc: Server -> client (v3), answer to DIRECT_SEND_V3, with the id the server gave the message.
    seq:
      - id: message_id
        type: u4
        doc: The `message_id` of the DIRECT_SEND_V3 answered.
      - id: status
        type: u1
        enum: direct_outcome
        valid:
          in-enum: true
        doc: Delivered to the recipient's session now, or stored (which is also the answer for a name no account has).
      - id: epoch
        type: u4
        doc: The epoch of the conversation's history this id belongs to (never 0; spec/README.md §15.2).
      - id: seq
        type: u4
        doc: The message's place in that epoch, 1 for the first, one more for each next message.
      - id: time_s
        type: u4
        doc: When the server accepted the message, whole seconds since 1970-01-01T00:00:00Z (UTC).
      - id: time_ms
        type: u2
        valid:
          max: 999
        doc: The milliseconds after time_s (0 to 999; more is malformed_payload).
  direct_message_v3:
    doc: Server -> client (v3). A direct message, live or stored while the recipient was away, with its server id and time.
    seq:
      - id: message_id
        type: u4
        doc: The sender's `message_id`; ids are only unique per sender.
      - id: from_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `from` in bytes (0 to 32).
      - id: from
        type: str
        size: from_length
        doc: Username of the sender.
      - id: epoch
        type: u4
        doc: The epoch of the conversation between sender and recipient's history this id belongs to (never 0; spec/README.md §15.2).
      - id: seq
        type: u4
        doc: The message's place in that epoch, 1 for the first, one more for each next message.
      - id: time_s
        type: u4
        doc: When the server accepted the message, whole seconds since 1970-01-01T00:00:00Z (UTC).
      - id: time_ms
        type: u2
        valid:
          max: 999
        doc: The milliseconds after time_s (0 to 999; more is malformed_payload).
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The message, byte for byte as sent.
  room_message_v3:
    doc: Server -> client (v3). A room message, to every member on a v3 session in place of ROOM_MESSAGE, with its server id and time.
    seq:
      - id: message_id
        type: u4
        doc: The sender's `message_id` of the ROOM_SAY.
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: Room the message was said in.
      - id: from_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `from` in bytes (0 to 32).
      - id: from
        type: str
        size: from_length
        doc: Username of the sender.
      - id: epoch
        type: u4
        doc: The epoch of the room's history this id belongs to (never 0; spec/README.md §15.2).
      - id: seq
        type: u4
        doc: The message's place in that epoch, 1 for the first, one more for each next message.
      - id: time_s
        type: u4
        doc: When the server accepted the message, whole seconds since 1970-01-01T00:00:00Z (UTC).
      - id: time_ms
        type: u2
        valid:
          max: 999
        doc: The milliseconds after time_s (0 to 999; more is malformed_payload).
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The message, byte for byte as sent.
  history_request:
    doc: Client -> server (v3). One page of a room's or a direct conversation's history. Answered with HISTORY_PAGE, then its HISTORY_ITEMs.
    seq:
      - id: request_id
        type: u4
        doc: Chosen by the client; copied into the HISTORY_PAGE and each HISTORY_ITEM.
      - id: target_kind
        type: u1
        enum: target_kind
        valid:
          in-enum: true
        doc: room for a room's history, user for the direct conversation with `target`.
      - id: target_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `target` in bytes (0 to 32).
      - id: target
        type: str
        size: target_length
        doc: Room name, or the username of the other party of a direct conversation.
      - id: anchor
        type: u1
        enum: history_anchor
        valid:
          in-enum: true
        doc: latest, before (epoch, seq) or after (epoch, seq).
      - id: epoch
        type: u4
        doc: Epoch of the anchor id; ignored for latest.
      - id: seq
        type: u4
        doc: Seq of the anchor id; ignored for latest.
      - id: limit
        type: u2
        doc: Most items wanted; the server sends at most its advertised max_page.
  history_page:
    doc: Server -> client (v3). Answers HISTORY_REQUEST and ROOM_RESUME; item_count HISTORY_ITEMs with the same request_id follow it, oldest first.
    seq:
      - id: request_id
        type: u4
        doc: The `request_id` of the HISTORY_REQUEST or ROOM_RESUME answered.
      - id: status
        type: u1
        enum: history_status
        valid:
          in-enum: true
        doc: ok, not_member (nothing follows), or gap (the items do not continue from the anchor).
      - id: target_kind
        type: u1
        enum: target_kind
        valid:
          in-enum: true
        doc: As in the request.
      - id: target_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `target` in bytes (0 to 32).
      - id: target
        type: str
        size: target_length
        doc: As in the request, byte for byte.
      - id: epoch
        type: u4
        doc: The conversation's current epoch; 0 when it has no history.
      - id: oldest_seq
        type: u4
        doc: Seq of the oldest message kept in that epoch; 0 when none is kept.
      - id: newest_seq
        type: u4
        doc: Seq of the newest message in that epoch; 0 when none was ever accepted.
      - id: item_count
        type: u2
        valid:
          max: 200
        doc: Number of HISTORY_ITEMs that follow (0 to 200, limits.maxHistoryPage). More is malformed_payload.
  history_item:
    doc: Server -> client (v3). One stored message of a history page.
    seq:
      - id: request_id
        type: u4
        doc: The `request_id` of the page it belongs to.
      - id: epoch
        type: u4
        doc: The epoch of the conversation's history this id belongs to (never 0; spec/README.md §15.2).
      - id: seq
        type: u4
        doc: The message's place in that epoch, 1 for the first, one more for each next message.
      - id: time_s
        type: u4
        doc: When the server accepted the message, whole seconds since 1970-01-01T00:00:00Z (UTC).
      - id: time_ms
        type: u2
        valid:
          max: 999
        doc: The milliseconds after time_s (0 to 999; more is malformed_payload).
      - id: message_id
        type: u4
        doc: The sender's `message_id`.
      - id: from_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `from` in bytes (0 to 32).
      - id: from
        type: str
        size: from_length
        doc: Username of the sender.
      - id: text_length
        type: u2
        valid:
          max: 4096
        -parrot-error: string_too_long
        doc: Length of `text` in bytes (0 to 4096).
      - id: text
        type: str
        size: text_length
        doc: The message, byte for byte as sent.
  room_resume:
    doc: |
      Client -> server (v3). Join a room again after a reconnect, naming the last id this client
      saw in it. Answered like ROOM_JOIN with ROOM_RESULT; when ok, a HISTORY_PAGE of what was
      missed follows, before the ROOM_EVENT joined.
    seq:
      - id: request_id
        type: u4
        doc: Chosen by the client; copied into the ROOM_RESULT and the HISTORY_PAGE.
      - id: room_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `room` in bytes (0 to 32).
      - id: room
        type: str
        size: room_length
        doc: Room name, as in ROOM_JOIN.
      - id: epoch
        type: u4
        doc: Epoch of the last message this client saw in the room.
      - id: seq
        type: u4
        doc: Seq of that message.
  name_entry:
    doc: One name in a ROOM_LIST or WHO_LIST, length-prefixed like every name.
    seq:
      - id: name_length
        type: u1
        valid:
          max: 32
        -parrot-error: string_too_long
        doc: Length of `name` in bytes (0 to 32).
      - id: name
        type: str
        size: name_length
        doc: A room name or username.

enums:
  message_type:
    0x01:
      id: version_request
      doc: Client offers the protocol versions it speaks.
    0x02:
      id: version_response
      doc: Server answers with the chosen version and its timers.
    0x03:
      id: login_request
      doc: Client sends credentials.
    0x04:
      id: login_response
      doc: Server accepts or refuses the login.
    0x05:
      id: chat
      doc: Client sends a chat message.
    0x06:
      id: chat_echo
      doc: Server parrots a chat message back to its sender.
    0x07:
      id: ping
      doc: Client keep-alive.
    0x08:
      id: pong
      doc: Server answer to a keep-alive.
    0x09:
      id: logout
      doc: Client ends its session.
    0x0a:
      id: error
      doc: Either side reports an error.
    0x20:
      id: direct_send
      doc: (v2) Client sends a direct message to a user.
    0x21:
      id: direct_status
      doc: (v2) Server says whether a direct message was delivered.
    0x22:
      id: direct_message
      doc: (v2) Server relays a direct message to its recipient.
    0x23:
      id: room_join
      doc: (v2) Client joins (or creates) a room.
    0x24:
      id: room_leave
      doc: (v2) Client leaves a room.
    0x25:
      id: room_result
      doc: (v2) Server answers a room request.
    0x26:
      id: room_say
      doc: (v2) Client says something in a room.
    0x27:
      id: room_message
      doc: (v2) Server fans a room message out to every member.
    0x28:
      id: room_event
      doc: (v2) Server tells members that someone joined or left.
    0x29:
      id: room_list_request
      doc: (v2) Client asks for the list of rooms.
    0x2a:
      id: room_list
      doc: (v2) Server sends one page of the room list.
    0x2b:
      id: who_request
      doc: (v2) Client asks who is online or in a room.
    0x2c:
      id: who_list
      doc: (v2) Server sends one page of names.
    0x2d:
      id: typing
      doc: (v2) Client started or stopped typing to a user or room.
    0x2e:
      id: typing_notice
      doc: (v2) Server relays a typing indicator (or its expiry).
    0x2f:
      id: presence_subscribe
      doc: (v2) Client turns presence notifications on or off.
    0x30:
      id: presence_event
      doc: (v2) Server says a user came online or went offline.
    0x40:
      id: session_info
      doc: (v3) Server tells a v3 session the history it keeps and how many stored direct messages follow.
    0x41:
      id: direct_send_v3
      doc: (v3) Client sends a direct message that is stored when the recipient is away.
    0x42:
      id: direct_status_v3
      doc: (v3) Server answers a DIRECT_SEND_V3, delivered or stored, with the message's id and time.
    0x43:
      id: direct_message_v3
      doc: (v3) Server relays a direct message with its id and time (live or stored).
    0x44:
      id: room_message_v3
      doc: (v3) Server relays a room message with its id and time.
    0x45:
      id: history_request
      doc: (v3) Client asks for one page of a room's or a direct conversation's history.
    0x46:
      id: history_page
      doc: (v3) Server answers a history request or a resume; its items follow.
    0x47:
      id: history_item
      doc: (v3) One stored message of a history page.
    0x48:
      id: room_resume
      doc: (v3) Client joins a room again, naming the last id it saw; the server replays what it missed.

  version_status:
    0:
      id: ok
      doc: A common version was chosen.
    1:
      id: no_common_version
      doc: The client offered no version the server speaks; the server closes the connection.

  login_status:
    0:
      id: ok
      doc: Logged in.
    1:
      id: bad_credentials
      doc: Unknown user or wrong password; deliberately the same answer for both.
    2:
      id: already_logged_in
      doc: The account has a live session elsewhere ("already logged in from another location").

  error_code:
    100:
      id: bad_magic
      doc: The first two header bytes were not 0x5052.
    101:
      id: frame_too_large
      doc: The header declared a payload longer than 8192 bytes.
    102:
      id: malformed_payload
      doc: The payload does not match its message type's layout (too short, trailing bytes, a count or enum out of range).
    103:
      id: invalid_utf8
      doc: A string field is not valid UTF-8.
    104:
      id: string_too_long
      doc: A string field is longer than its maximum.
    105:
      id: unknown_message_type
      doc: The header names a message type this receiver does not know.
    200:
      id: negotiation_required
      doc: A PDU other than VERSION_REQUEST arrived before version negotiation.
    201:
      id: already_negotiated
      doc: VERSION_REQUEST arrived after negotiation completed.
    202:
      id: wrong_version
      doc: The header version is not the one negotiated for this connection.
    203:
      id: authentication_required
      doc: A PDU that needs a logged-in session arrived before login.
    204:
      id: already_authenticated
      doc: LOGIN_REQUEST arrived on a connection that is already logged in.
    205:
      id: unexpected_message
      doc: A PDU the sender's role never sends (e.g. a client sending CHAT_ECHO).
    206:
      id: unsupported_in_version
      doc: A message type that does not exist in the negotiated protocol version.
    207:
      id: too_many_login_attempts
      doc: Too many failed logins on one connection.
    300:
      id: ping_timeout
      doc: Nothing was received for longer than the ping timeout.
    301:
      id: handshake_timeout
      doc: The connection did not complete negotiation and login in time.
    302:
      id: server_shutdown
      doc: The server is shutting down.
    303:
      id: server_full
      doc: The server is at its connection limit.
    304:
      id: internal_error
      doc: The receiver hit an unexpected fault while handling this connection.
    305:
      id: slow_consumer
      doc: (v2) The receiver stopped reading while PDUs others caused (fan-out) piled up past the sender's bound; sent after the last whole relayed PDU, then the connection closes.
    400:
      id: rate_limited
      doc: (v2) The sender sent a rate-limited message (TYPING) too often; that PDU was dropped.

  delivery_status:
    0:
      id: delivered
      doc: The DIRECT_MESSAGE was queued on the recipient's session.
    1:
      id: not_delivered
      doc: |
        No v2 session of that name is logged in: the user is offline, speaks only v1, or does not
        exist. Deliberately one answer, so a DM cannot probe which account names exist.

  room_status:
    0:
      id: ok
      doc: Done (joined, or left).
    1:
      id: not_member
      doc: Leave, say or type in a room this session is not a member of (or that does not exist).
    2:
      id: already_member
      doc: Join a room this session is already in; membership is unchanged.
    3:
      id: too_many_rooms
      doc: Join would exceed limits.maxRoomsPerUser.
    4:
      id: room_full
      doc: Join would exceed limits.maxMembersPerRoom.
    5:
      id: bad_room_name
      doc: The room name does not match ^[A-Za-z0-9_-]{1,32}$.

  room_event_kind:
    0:
      id: joined
      doc: The user joined the room.
    1:
      id: left
      doc: The user left the room (ROOM_LEAVE, or their session ended however it ended).

  who_status:
    0:
      id: ok
      doc: The list follows.
    1:
      id: no_such_room
      doc: The named room does not exist (or the name is not a valid room name); the list is empty.

  target_kind:
    0:
      id: user
      doc: The target is a username.
    1:
      id: room
      doc: The target is a room name.

  typing_state:
    0:
      id: started
      doc: The typist is typing.
    1:
      id: stopped
      doc: The typist stopped typing (or, from the server, the indicator expired).

  presence_mode:
    0:
      id: "off"
      doc: No PRESENCE_EVENT for this session (the default).
    1:
      id: "on"
      doc: Send PRESENCE_EVENT to this session.

  presence_status:
    0:
      id: online
      doc: The user logged in.
    1:
      id: offline
      doc: The user's session ended.

  direct_outcome:
    0:
      id: delivered
      doc: (v3) The message was queued on the recipient's session (version 2 or 3).
    1:
      id: stored
      doc: |
        (v3) No session of that user takes it now: it was stored and is delivered at the
        recipient's next version-3 login. Also the answer for a name no account has, so a direct
        message cannot probe which account names exist.

  history_anchor:
    0:
      id: latest
      doc: (v3) The newest messages.
    1:
      id: before
      doc: (v3) The messages just before the anchor id.
    2:
      id: after
      doc: (v3) The messages just after the anchor id.

  history_status:
    0:
      id: ok
      doc: (v3) The items follow, continuing from the anchor when there is one.
    1:
      id: not_member
      doc: (v3) A room this session is not a member of (or no such room); no items follow.
    2:
      id: gap
      doc: (v3) The anchor's epoch is not the current one, or the messages right after it are no longer kept; the items start at the oldest kept.
