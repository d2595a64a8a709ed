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

  This file is the single source of truth for bytes on the wire: the
  TypeScript codec in generated/ is produced from it by `make generate`.
seq:
  - id: header
    type: header
    doc: Fixed-size header present on every PDU.
  - id: body
    size: header.payload_length
    doc: Payload, exactly `header.payload_length` bytes; its layout depends on the message type.
    type:
      switch-on: header.message_type
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
          the negotiated version (1 or 2) on every PDU after that.
      - id: message_type
        type: u1
        enum: message_type
        valid:
          in-enum: true
        -parrot-error: unknown_message_type
        doc: Which payload layout follows. Types 0x01-0x1f are protocol v1; 0x20-0x3f are reserved for protocol v2.
      - id: payload_length
        type: u4
        valid:
          max: 8192
        -parrot-error: frame_too_large
        doc: |
          Number of payload bytes after this header. A receiver MUST refuse a
          value over 8192 as soon as it has read the header, before it
          buffers the payload.

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
