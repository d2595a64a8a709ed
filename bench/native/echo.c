/*
 * Echo mode: every session in closed loop, one 64-byte message out, its echo back (checked byte for
 * byte: the same message id and text), then the next. Parrot: CHAT -> CHAT_ECHO; raw: CHAT -> the same
 * CHAT; MQTT: PUBLISH to the session's own topic -> that PUBLISH back.
 */
#include <string.h>

#include "loadgen.h"

enum { CHAT = 5, CHAT_ECHO = 6 };

static void start_round_trip(struct conn *c) {
  if (stopping) {
    c->state = READY;
    return;
  }
  c->message_id++;
  c->sent_at = now_ms();
  c->state = WAITING;
  if (opt.proto == MQTT) mqtt_publish(c, c->topic, (const uint8_t *)ECHO_TEXT, TEXT_LEN);
  else send_chat(c);
  flush_out(c);
}

void echo_begin(void) {
  for (int i = 0; i < opt.sessions; i++)
    if (conns[i].state == READY) start_round_trip(&conns[i]);
}

void echo_frame(struct conn *c, const uint8_t *frame, int header_len, int len) {
  const uint8_t *p = frame + header_len;
  int pl = len - header_len;
  if (c->state != WAITING) return fail(c, "a message while none was in flight");
  if (opt.proto == MQTT) {
    int tl = strlen(c->topic);
    if ((frame[0] & 0xf0) != 0x30 || pl != 2 + tl + TEXT_LEN || memcmp(p + 2, c->topic, tl) != 0 ||
        memcmp(p + 2 + tl, ECHO_TEXT, TEXT_LEN) != 0)
      return fail(c, "echo does not match the message sent");
  } else {
    uint8_t want = opt.proto == RAW ? CHAT : CHAT_ECHO;
    if (frame[3] != want || pl != 6 + TEXT_LEN || be32(p) != c->message_id ||
        memcmp(p + 6, ECHO_TEXT, TEXT_LEN) != 0)
      return fail(c, "echo does not match the message in flight");
  }
  if (measuring) hist_record(now_ms() - c->sent_at);
  start_round_trip(c);
}

int echo_idle(void) {
  for (int i = 0; i < opt.sessions; i++)
    if (conns[i].state == WAITING) return 0;
  return 1;
}
