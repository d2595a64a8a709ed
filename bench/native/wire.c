/*
 * The bytes on the wire, written out by hand for the few messages a load generator needs (layouts from
 * spec/pdu.ksy; MQTT 3.1.1 sections 3.1-3.14), and the handshake of each dialect:
 *   Parrot  VERSION_REQUEST -> VERSION_RESPONSE OK, LOGIN_REQUEST -> LOGIN_RESPONSE OK,
 *           and for a room run ROOM_JOIN -> ROOM_RESULT OK (ROOM_EVENTs of other joiners skipped);
 *   raw     nothing: the raw echo server speaks no protocol;
 *   MQTT    CONNECT (clean session, no keep-alive) -> CONNACK 0, SUBSCRIBE QoS 0 to the session's own
 *           topic (and the room topic) -> SUBACK.
 * Parrot header: "PR", version, message type, payload length (u32 big-endian). Strings: u8 length for
 * names, u16 for texts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loadgen.h"

enum {
  VERSION_REQUEST = 1,
  VERSION_RESPONSE = 2,
  LOGIN_REQUEST = 3,
  LOGIN_RESPONSE = 4,
  CHAT = 5,
  ERROR = 10,
  DIRECT_SEND = 32,
  ROOM_JOIN = 35,
  ROOM_RESULT = 37,
  ROOM_SAY = 38,
  ROOM_EVENT = 40,
};

uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static int put32(uint8_t *p, uint32_t v) {
  p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
  return 4;
}

/* u8-length string (names) */
static int put_name(uint8_t *p, const char *s) {
  int n = strlen(s);
  p[0] = n;
  memcpy(p + 1, s, n);
  return 1 + n;
}

/* u16-length string (texts) */
static int put_text(uint8_t *p, const char *s, int n) {
  p[0] = n >> 8, p[1] = n;
  memcpy(p + 2, s, n);
  return 2 + n;
}

void parrot_frame(struct conn *c, uint8_t type, const uint8_t *payload, uint32_t len) {
  uint8_t h[8] = {'P', 'R', c->version, type};
  put32(h + 4, len);
  put(c, h, 8);
  if (len > 0) put(c, payload, len);
}

void send_chat(struct conn *c) {
  uint8_t p[80];
  int n = put32(p, c->message_id);
  n += put_text(p + n, ECHO_TEXT, TEXT_LEN);
  parrot_frame(c, CHAT, p, n);
}

void send_room_say(struct conn *c) {
  uint8_t p[128];
  int n = put32(p, c->message_id);
  n += put_name(p + n, ROOM_NAME);
  n += put_text(p + n, ECHO_TEXT, TEXT_LEN);
  parrot_frame(c, ROOM_SAY, p, n);
}

void send_direct(struct conn *c, const struct conn *to) {
  uint8_t p[160];
  int n = put32(p, c->message_id);
  n += put_name(p + n, to->user);
  n += put_text(p + n, ECHO_TEXT, TEXT_LEN);
  parrot_frame(c, DIRECT_SEND, p, n);
}

/* MQTT fixed header: type/flags byte, then the remaining length in 7-bit groups. */
static void mqtt_packet(struct conn *c, uint8_t type, const uint8_t *body, int len) {
  uint8_t h[5];
  int n = 0, remaining = len;
  h[n++] = type;
  do {
    uint8_t b = remaining & 0x7f;
    remaining >>= 7;
    h[n++] = b | (remaining ? 0x80 : 0);
  } while (remaining);
  put(c, h, n);
  put(c, body, len);
}

void mqtt_publish(struct conn *c, const char *topic, const uint8_t *payload, int len) {
  uint8_t p[256];
  int tl = strlen(topic), n = 0;
  p[n++] = tl >> 8, p[n++] = tl;
  memcpy(p + n, topic, tl), n += tl;
  memcpy(p + n, payload, len), n += len;
  mqtt_packet(c, 0x30, p, n); /* PUBLISH, QoS 0, no packet id */
}

static void mqtt_connect(struct conn *c) {
  char id[48];
  int il = snprintf(id, sizeof id, "pb-native-%d-%d", getpid(), c->index);
  uint8_t p[128];
  const uint8_t fixed[] = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02 /* clean session */, 0, 0 /* no keep-alive */};
  int n = sizeof fixed;
  memcpy(p, fixed, n);
  p[n++] = il >> 8, p[n++] = il;
  memcpy(p + n, id, il), n += il;
  mqtt_packet(c, 0x10, p, n);
}

static int put_filter(uint8_t *p, const char *topic) {
  int tl = strlen(topic);
  p[0] = tl >> 8, p[1] = tl;
  memcpy(p + 2, topic, tl);
  p[2 + tl] = 0; /* QoS 0 */
  return 3 + tl;
}

static void mqtt_subscribe(struct conn *c) {
  uint8_t p[192];
  int n = 0;
  p[n++] = 0, p[n++] = 1; /* packet id */
  n += put_filter(p + n, c->topic);
  if (opt.mode == ROOM) n += put_filter(p + n, "parrot-bench/" ROOM_NAME);
  mqtt_packet(c, 0x82, p, n);
}

static void version_request(struct conn *c) {
  uint8_t p[17];
  int n = 0;
  const char *v = opt.versions;
  while (*v && n < 16) {
    char *end;
    long version = strtol(v, &end, 10);
    if (end == v) break;
    p[1 + n++] = (uint8_t)version;
    v = *end == ',' ? end + 1 : end;
  }
  p[0] = n;
  c->version = 0;
  parrot_frame(c, VERSION_REQUEST, p, 1 + n);
}

static void login_request(struct conn *c) {
  uint8_t p[200];
  int n = put_name(p, c->user);
  n += put_name(p + n, c->pass);
  parrot_frame(c, LOGIN_REQUEST, p, n);
}

void handshake_connected(struct conn *c) {
  snprintf(c->topic, sizeof c->topic, "parrot-bench/%d/%d", getpid(), c->index);
  if (opt.proto == RAW) {
    c->version = 1;
    c->state = READY;
  } else if (opt.proto == PARROT) {
    version_request(c);
    c->state = NEGOTIATING;
  } else {
    mqtt_connect(c);
    c->state = MQTT_CONNECTING;
  }
}

static void parrot_handshake(struct conn *c, uint8_t type, const uint8_t *p, int pl) {
  if (type == ERROR) {
    char why[96];
    snprintf(why, sizeof why, "ERROR %d during the handshake", pl >= 2 ? (p[0] << 8 | p[1]) : 0);
    return fail(c, why);
  }
  switch (c->state) {
    case NEGOTIATING:
      if (type != VERSION_RESPONSE || pl < 2 || p[0] != 0) return fail(c, "negotiation refused");
      c->version = p[1];
      if (opt.mode != ECHO && c->version < 2) return fail(c, "rooms and DMs need protocol v2");
      login_request(c);
      c->state = LOGGING_IN;
      break;
    case LOGGING_IN:
      if (type != LOGIN_RESPONSE || pl < 1 || p[0] != 0) return fail(c, "login refused");
      if (opt.mode != ROOM) {
        c->state = READY;
        break;
      }
      uint8_t join[48];
      int n = put32(join, 1);
      n += put_name(join + n, ROOM_NAME);
      parrot_frame(c, ROOM_JOIN, join, n);
      c->state = JOINING;
      break;
    case JOINING:
      if (type == ROOM_EVENT) break; /* another member joined first */
      if (type != ROOM_RESULT || pl < 5 || p[4] != 0) return fail(c, "ROOM_JOIN refused");
      c->state = READY;
      break;
    default:
      fail(c, "frame in an unexpected state");
  }
}

void handshake_frame(struct conn *c, const uint8_t *frame, int header_len, int len) {
  const uint8_t *p = frame + header_len;
  int pl = len - header_len;
  if (opt.proto != MQTT) return parrot_handshake(c, frame[3], p, pl);
  uint8_t type = frame[0] & 0xf0;
  if (c->state == MQTT_CONNECTING) {
    if (type != 0x20 || pl != 2 || p[1] != 0) return fail(c, "CONNACK refused");
    mqtt_subscribe(c);
    c->state = MQTT_SUBSCRIBING;
  } else if (c->state == MQTT_SUBSCRIBING) {
    if (type != 0x90 || pl < 3) return fail(c, "SUBACK missing");
    for (int i = 2; i < pl; i++)
      if (p[i] == 0x80) return fail(c, "SUBSCRIBE refused");
    c->state = READY;
  } else {
    fail(c, "packet in an unexpected state");
  }
}
