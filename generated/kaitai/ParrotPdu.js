// This is a generated file! Please edit source .ksy file and use kaitai-struct-compiler to rebuild

(function (root, factory) {
  if (typeof define === 'function' && define.amd) {
    define(['exports', 'kaitai-struct/KaitaiStream'], factory);
  } else if (typeof exports === 'object' && exports !== null && typeof exports.nodeType !== 'number') {
    factory(exports, require('kaitai-struct/KaitaiStream'));
  } else {
    factory(root.ParrotPdu || (root.ParrotPdu = {}), root.KaitaiStream);
  }
})(typeof self !== 'undefined' ? self : this, function (ParrotPdu_, KaitaiStream) {
/**
 * One Parrot PDU: a fixed 8-byte header followed by a payload of
 * `header.payload_length` bytes whose layout is chosen by
 * `header.message_type`. Every integer is big-endian and unsigned.
 * 
 * The header layout is the same in every protocol version, so a peer can
 * always find frame boundaries and read the version field before it knows
 * which version the other side speaks.
 * 
 * Strings are UTF-8, prefixed by their length in bytes, and never
 * NUL-terminated. A decoder MUST reject invalid UTF-8 (error code
 * invalid_utf8); Kaitai cannot express that rule, so it is stated here and in
 * spec/README.md.
 * 
 * Keys starting with `-parrot-` are Parrot extensions that the Kaitai
 * compiler ignores: `-parrot-error` names the error code (enum error_code) a
 * decoder reports when that field's `valid` constraint fails. A `valid`
 * failure without it is reported as malformed_payload.
 * 
 * This file is the single source of truth for bytes on the wire: the
 * TypeScript codec in generated/ is produced from it by `make generate`.
 */

var ParrotPdu = (function() {
  ParrotPdu.ErrorCode = Object.freeze({
    BAD_MAGIC: 100,
    FRAME_TOO_LARGE: 101,
    MALFORMED_PAYLOAD: 102,
    INVALID_UTF8: 103,
    STRING_TOO_LONG: 104,
    UNKNOWN_MESSAGE_TYPE: 105,
    NEGOTIATION_REQUIRED: 200,
    ALREADY_NEGOTIATED: 201,
    WRONG_VERSION: 202,
    AUTHENTICATION_REQUIRED: 203,
    ALREADY_AUTHENTICATED: 204,
    UNEXPECTED_MESSAGE: 205,
    UNSUPPORTED_IN_VERSION: 206,
    TOO_MANY_LOGIN_ATTEMPTS: 207,
    PING_TIMEOUT: 300,
    HANDSHAKE_TIMEOUT: 301,
    SERVER_SHUTDOWN: 302,
    SERVER_FULL: 303,
    INTERNAL_ERROR: 304,

    100: "BAD_MAGIC",
    101: "FRAME_TOO_LARGE",
    102: "MALFORMED_PAYLOAD",
    103: "INVALID_UTF8",
    104: "STRING_TOO_LONG",
    105: "UNKNOWN_MESSAGE_TYPE",
    200: "NEGOTIATION_REQUIRED",
    201: "ALREADY_NEGOTIATED",
    202: "WRONG_VERSION",
    203: "AUTHENTICATION_REQUIRED",
    204: "ALREADY_AUTHENTICATED",
    205: "UNEXPECTED_MESSAGE",
    206: "UNSUPPORTED_IN_VERSION",
    207: "TOO_MANY_LOGIN_ATTEMPTS",
    300: "PING_TIMEOUT",
    301: "HANDSHAKE_TIMEOUT",
    302: "SERVER_SHUTDOWN",
    303: "SERVER_FULL",
    304: "INTERNAL_ERROR",
  });

  ParrotPdu.LoginStatus = Object.freeze({
    OK: 0,
    BAD_CREDENTIALS: 1,
    ALREADY_LOGGED_IN: 2,

    0: "OK",
    1: "BAD_CREDENTIALS",
    2: "ALREADY_LOGGED_IN",
  });

  ParrotPdu.MessageType = Object.freeze({
    VERSION_REQUEST: 1,
    VERSION_RESPONSE: 2,
    LOGIN_REQUEST: 3,
    LOGIN_RESPONSE: 4,
    CHAT: 5,
    CHAT_ECHO: 6,
    PING: 7,
    PONG: 8,
    LOGOUT: 9,
    ERROR: 10,

    1: "VERSION_REQUEST",
    2: "VERSION_RESPONSE",
    3: "LOGIN_REQUEST",
    4: "LOGIN_RESPONSE",
    5: "CHAT",
    6: "CHAT_ECHO",
    7: "PING",
    8: "PONG",
    9: "LOGOUT",
    10: "ERROR",
  });

  ParrotPdu.VersionStatus = Object.freeze({
    OK: 0,
    NO_COMMON_VERSION: 1,

    0: "OK",
    1: "NO_COMMON_VERSION",
  });

  function ParrotPdu(_io, _parent, _root) {
    this._io = _io;
    this._parent = _parent;
    this._root = _root || this;

    this._read();
  }
  ParrotPdu.prototype._read = function() {
    this.header = new Header(this._io, this, this._root);
    switch (this.header.messageType) {
    case ParrotPdu.MessageType.CHAT:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new Chat(_io__raw_body, this, this._root);
      break;
    case ParrotPdu.MessageType.CHAT_ECHO:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new ChatEcho(_io__raw_body, this, this._root);
      break;
    case ParrotPdu.MessageType.ERROR:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new Error(_io__raw_body, this, this._root);
      break;
    case ParrotPdu.MessageType.LOGIN_REQUEST:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new LoginRequest(_io__raw_body, this, this._root);
      break;
    case ParrotPdu.MessageType.LOGIN_RESPONSE:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new LoginResponse(_io__raw_body, this, this._root);
      break;
    case ParrotPdu.MessageType.LOGOUT:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new Logout(_io__raw_body, this, this._root);
      break;
    case ParrotPdu.MessageType.PING:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new Ping(_io__raw_body, this, this._root);
      break;
    case ParrotPdu.MessageType.PONG:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new Pong(_io__raw_body, this, this._root);
      break;
    case ParrotPdu.MessageType.VERSION_REQUEST:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new VersionRequest(_io__raw_body, this, this._root);
      break;
    case ParrotPdu.MessageType.VERSION_RESPONSE:
      this._raw_body = this._io.readBytes(this.header.payloadLength);
      var _io__raw_body = new KaitaiStream(this._raw_body);
      this.body = new VersionResponse(_io__raw_body, this, this._root);
      break;
    default:
      this.body = this._io.readBytes(this.header.payloadLength);
      break;
    }
  }

  /**
   * Client -> server, a chat message to be parroted back.
   */

  var Chat = ParrotPdu.Chat = (function() {
    function Chat(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    Chat.prototype._read = function() {
      this.messageId = this._io.readU4be();
      this.textLength = this._io.readU2be();
      if (!(this.textLength <= 4096)) {
        throw new KaitaiStream.ValidationGreaterThanError(4096, this.textLength, this._io, "/types/chat/seq/1");
      }
      this.text = KaitaiStream.bytesToStr(this._io.readBytes(this.textLength), "UTF-8");
    }

    /**
     * Chosen by the client; the server copies it into the CHAT_ECHO so the client can match them.
     */

    /**
     * Length of `text` in bytes (0 to 4096).
     */

    /**
     * The message. May be empty.
     */

    return Chat;
  })();

  /**
   * Server -> client, the server parroting a CHAT back to its sender.
   */

  var ChatEcho = ParrotPdu.ChatEcho = (function() {
    function ChatEcho(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    ChatEcho.prototype._read = function() {
      this.messageId = this._io.readU4be();
      this.textLength = this._io.readU2be();
      if (!(this.textLength <= 4096)) {
        throw new KaitaiStream.ValidationGreaterThanError(4096, this.textLength, this._io, "/types/chat_echo/seq/1");
      }
      this.text = KaitaiStream.bytesToStr(this._io.readBytes(this.textLength), "UTF-8");
    }

    /**
     * The `message_id` of the CHAT being echoed.
     */

    /**
     * Length of `text` in bytes (0 to 4096).
     */

    /**
     * The text of the CHAT, byte for byte.
     */

    return ChatEcho;
  })();

  /**
   * Either direction. Reports a protocol error; spec/protocol.json says which codes close the connection.
   */

  var Error = ParrotPdu.Error = (function() {
    function Error(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    Error.prototype._read = function() {
      this.code = this._io.readU2be();
      if (!Object.prototype.hasOwnProperty.call(ParrotPdu.ErrorCode, this.code)) {
        throw new KaitaiStream.ValidationNotInEnumError(this.code, this._io, "/types/error/seq/0");
      }
      this.textLength = this._io.readU2be();
      if (!(this.textLength <= 512)) {
        throw new KaitaiStream.ValidationGreaterThanError(512, this.textLength, this._io, "/types/error/seq/1");
      }
      this.text = KaitaiStream.bytesToStr(this._io.readBytes(this.textLength), "UTF-8");
    }

    /**
     * What went wrong.
     */

    /**
     * Length of `text` in bytes (0 to 512).
     */

    /**
     * Human-readable detail for logs. Informative only; receivers act on `code`.
     */

    return Error;
  })();

  /**
   * The 8-byte header. Its layout never changes between protocol versions.
   */

  var Header = ParrotPdu.Header = (function() {
    function Header(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    Header.prototype._read = function() {
      this.magic = this._io.readU2be();
      if (!(this.magic == 20562)) {
        throw new KaitaiStream.ValidationNotEqualError(20562, this.magic, this._io, "/types/header/seq/0");
      }
      this.version = this._io.readU1();
      this.messageType = this._io.readU1();
      if (!Object.prototype.hasOwnProperty.call(ParrotPdu.MessageType, this.messageType)) {
        throw new KaitaiStream.ValidationNotInEnumError(this.messageType, this._io, "/types/header/seq/2");
      }
      this.payloadLength = this._io.readU4be();
      if (!(this.payloadLength <= 8192)) {
        throw new KaitaiStream.ValidationGreaterThanError(8192, this.payloadLength, this._io, "/types/header/seq/3");
      }
    }

    /**
     * Always 0x5052 (ASCII "PR"). Lets a receiver tell a Parrot peer from
     * a stray client (an HTTP request, a TLS hello on a plain port) on
     * the first two bytes.
     */

    /**
     * Protocol version this PDU is written in. 0 on VERSION_REQUEST and
     * VERSION_RESPONSE and on any PDU sent before negotiation completes;
     * the negotiated version (1 or 2) on every PDU after that.
     */

    /**
     * Which payload layout follows. Types 0x01-0x1f are protocol v1; 0x20-0x3f are reserved for protocol v2.
     */

    /**
     * Number of payload bytes after this header. A receiver MUST refuse a
     * value over 8192 as soon as it has read the header, before it
     * buffers the payload.
     */

    return Header;
  })();

  /**
   * Client -> server, after negotiation. Credentials travel in clear inside the PDU; use TLS on untrusted networks.
   */

  var LoginRequest = ParrotPdu.LoginRequest = (function() {
    function LoginRequest(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    LoginRequest.prototype._read = function() {
      this.usernameLength = this._io.readU1();
      if (!(this.usernameLength <= 32)) {
        throw new KaitaiStream.ValidationGreaterThanError(32, this.usernameLength, this._io, "/types/login_request/seq/0");
      }
      this.username = KaitaiStream.bytesToStr(this._io.readBytes(this.usernameLength), "UTF-8");
      this.passwordLength = this._io.readU1();
      if (!(this.passwordLength <= 128)) {
        throw new KaitaiStream.ValidationGreaterThanError(128, this.passwordLength, this._io, "/types/login_request/seq/2");
      }
      this.password = KaitaiStream.bytesToStr(this._io.readBytes(this.passwordLength), "UTF-8");
    }

    /**
     * Length of `username` in bytes (0 to 32).
     */

    /**
     * Account name.
     */

    /**
     * Length of `password` in bytes (0 to 128).
     */

    /**
     * Account password.
     */

    return LoginRequest;
  })();

  /**
   * Server -> client, answer to LOGIN_REQUEST.
   */

  var LoginResponse = ParrotPdu.LoginResponse = (function() {
    function LoginResponse(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    LoginResponse.prototype._read = function() {
      this.status = this._io.readU1();
      if (!Object.prototype.hasOwnProperty.call(ParrotPdu.LoginStatus, this.status)) {
        throw new KaitaiStream.ValidationNotInEnumError(this.status, this._io, "/types/login_response/seq/0");
      }
      this.textLength = this._io.readU2be();
      if (!(this.textLength <= 512)) {
        throw new KaitaiStream.ValidationGreaterThanError(512, this.textLength, this._io, "/types/login_response/seq/1");
      }
      this.text = KaitaiStream.bytesToStr(this._io.readBytes(this.textLength), "UTF-8");
    }

    /**
     * Outcome of the login.
     */

    /**
     * Length of `text` in bytes (0 to 512).
     */

    /**
     * Human-readable explanation, e.g. "already logged in from another location". Informative only; clients act on `status`.
     */

    return LoginResponse;
  })();

  /**
   * Client -> server. Ends the session; the server frees the login and closes the connection. Empty payload.
   */

  var Logout = ParrotPdu.Logout = (function() {
    function Logout(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    Logout.prototype._read = function() {
    }

    return Logout;
  })();

  /**
   * Client -> server keep-alive. The server answers with PONG.
   */

  var Ping = ParrotPdu.Ping = (function() {
    function Ping(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    Ping.prototype._read = function() {
      this.token = this._io.readU4be();
    }

    /**
     * Chosen by the sender; copied into the PONG so the sender can match them.
     */

    return Ping;
  })();

  /**
   * Server -> client, answer to PING.
   */

  var Pong = ParrotPdu.Pong = (function() {
    function Pong(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    Pong.prototype._read = function() {
      this.token = this._io.readU4be();
    }

    /**
     * The `token` of the PING being answered.
     */

    return Pong;
  })();

  /**
   * Client -> server, first PDU on a connection. Lists every protocol version the client speaks.
   */

  var VersionRequest = ParrotPdu.VersionRequest = (function() {
    function VersionRequest(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    VersionRequest.prototype._read = function() {
      this.versionCount = this._io.readU1();
      if (!(this.versionCount >= 1)) {
        throw new KaitaiStream.ValidationLessThanError(1, this.versionCount, this._io, "/types/version_request/seq/0");
      }
      if (!(this.versionCount <= 16)) {
        throw new KaitaiStream.ValidationGreaterThanError(16, this.versionCount, this._io, "/types/version_request/seq/0");
      }
      this.versions = [];
      for (var i = 0; i < this.versionCount; i++) {
        this.versions.push(this._io.readU1());
      }
    }

    /**
     * Number of entries in `versions` (1 to 16).
     */

    /**
     * Protocol versions the client speaks, in any order. Duplicates are allowed and mean nothing more.
     */

    return VersionRequest;
  })();

  /**
   * Server -> client, answer to VERSION_REQUEST.
   */

  var VersionResponse = ParrotPdu.VersionResponse = (function() {
    function VersionResponse(_io, _parent, _root) {
      this._io = _io;
      this._parent = _parent;
      this._root = _root;

      this._read();
    }
    VersionResponse.prototype._read = function() {
      this.status = this._io.readU1();
      if (!Object.prototype.hasOwnProperty.call(ParrotPdu.VersionStatus, this.status)) {
        throw new KaitaiStream.ValidationNotInEnumError(this.status, this._io, "/types/version_response/seq/0");
      }
      this.chosenVersion = this._io.readU1();
      this.pingIntervalMs = this._io.readU4be();
      this.pingTimeoutMs = this._io.readU4be();
      this.supportedCount = this._io.readU1();
      if (!(this.supportedCount >= 1)) {
        throw new KaitaiStream.ValidationLessThanError(1, this.supportedCount, this._io, "/types/version_response/seq/4");
      }
      if (!(this.supportedCount <= 16)) {
        throw new KaitaiStream.ValidationGreaterThanError(16, this.supportedCount, this._io, "/types/version_response/seq/4");
      }
      this.supportedVersions = [];
      for (var i = 0; i < this.supportedCount; i++) {
        this.supportedVersions.push(this._io.readU1());
      }
    }

    /**
     * Whether a common version was found.
     */

    /**
     * The highest version both sides speak; 0 when status is no_common_version.
     */

    /**
     * How often the client is expected to send PING, in milliseconds.
     */

    /**
     * How long the server waits without receiving any PDU before it closes the session, in milliseconds.
     */

    /**
     * Number of entries in `supported_versions` (1 to 16).
     */

    /**
     * Every protocol version the server speaks, in ascending order.
     */

    return VersionResponse;
  })();

  /**
   * Fixed-size header present on every PDU.
   */

  /**
   * Payload, exactly `header.payload_length` bytes; its layout depends on the message type.
   */

  return ParrotPdu;
})();
ParrotPdu_.ParrotPdu = ParrotPdu;
});
