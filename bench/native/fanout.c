/*
 * Fan-out modes, the same closed loop as bench/fanout-generator.ts:
 *   room  sessions 0..S-1 send; a ROOM_SAY (MQTT: PUBLISH to the room topic) must reach every member (the
 *         sender too) before that sender says the next thing;
 *   dm    every session sends a direct message (MQTT: PUBLISH to the recipient's own topic) to a random
 *         other session, the next once the recipient has it.
 * Latency is from the send to each member's receipt. Verified as a chat user would notice: every receipt
 * must be of a message in flight to that member (else a duplicate or out of order), nothing may be missing
 * after the drain, and in a room every member must have seen one sequence (a rolling hash per member).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loadgen.h"

enum { DIRECT_STATUS = 33, DIRECT_MESSAGE = 34, ROOM_MESSAGE = 39, ROOM_EVENT = 40 };

struct flight {
  int active;
  uint32_t id;
  double sent_at;
  int remaining; /* members still to receive it */
  int to;        /* dm: the recipient */
};

static struct flight *flights;
static int senders, members_live;
static uint64_t deliveries, messages, unexpected;
/* username -> session index, open addressing over a power-of-two table */
static int *names, name_slots;

static uint32_t fnv(const uint8_t *s, int n) {
  uint32_t h = 0x811c9dc5;
  for (int i = 0; i < n; i++) h = (h ^ s[i]) * 16777619u;
  return h;
}

static void index_names(void) {
  for (name_slots = 16; name_slots < 2 * opt.sessions; name_slots <<= 1) {}
  names = malloc(name_slots * sizeof *names);
  memset(names, -1, name_slots * sizeof *names);
  for (int i = 0; i < opt.sessions; i++) {
    uint32_t h = fnv((const uint8_t *)conns[i].user, strlen(conns[i].user));
    while (names[h & (name_slots - 1)] >= 0) h++;
    names[h & (name_slots - 1)] = i;
  }
}

static int index_of(const uint8_t *name, int n) {
  for (uint32_t h = fnv(name, n);; h++) {
    int i = names[h & (name_slots - 1)];
    if (i < 0) return -1;
    if ((int)strlen(conns[i].user) == n && memcmp(conns[i].user, name, n) == 0) return i;
  }
}

static void send_next(int s) {
  struct conn *c = &conns[s];
  struct flight *f = &flights[s];
  if (c->state == DONE || stopping) return;
  c->message_id++;
  f->active = 1;
  f->id = c->message_id;
  f->sent_at = now_ms();
  f->remaining = opt.mode == ROOM ? members_live : 1;
  if (opt.mode == DM) f->to = (s + 1 + rand() % (opt.sessions - 1)) % opt.sessions;
  if (opt.proto == MQTT) {
    uint8_t payload[TEXT_LEN];
    int n = snprintf((char *)payload, sizeof payload, "%d:%u:", s, c->message_id);
    memcpy(payload + n, ECHO_TEXT + n, TEXT_LEN - n);
    mqtt_publish(c, opt.mode == ROOM ? "parrot-bench/" ROOM_NAME : conns[f->to].topic, payload, TEXT_LEN);
  } else if (opt.mode == ROOM) {
    send_room_say(c);
  } else {
    send_direct(c, &conns[f->to]);
  }
  flush_out(c);
}

void fanout_begin(void) {
  senders = opt.mode == DM ? opt.sessions : (opt.senders < opt.sessions ? opt.senders : opt.sessions);
  flights = calloc(senders, sizeof *flights);
  if (opt.proto == PARROT) index_names();
  for (int i = 0; i < opt.sessions; i++) {
    conns[i].order_hash = 0x811c9dc5;
    if (conns[i].state == READY) members_live++;
  }
  for (int s = 0; s < senders; s++) send_next(s);
}

static void delivered(struct conn *member, int from, uint32_t id) {
  struct flight *f = from >= 0 && from < senders ? &flights[from] : NULL;
  if (f == NULL || !f->active || f->id != id || (opt.mode == DM && f->to != member->index)) {
    unexpected++;
    return;
  }
  if (opt.mode == ROOM) member->order_hash = (member->order_hash ^ ((uint32_t)from << 20 ^ id)) * 16777619u;
  if (measuring) {
    hist_record(now_ms() - f->sent_at);
    deliveries++;
  }
  if (--f->remaining > 0) return;
  f->active = 0;
  if (measuring) messages++;
  send_next(from);
}

void fanout_frame(struct conn *c, const uint8_t *frame, int header_len, int len) {
  const uint8_t *p = frame + header_len;
  int pl = len - header_len;
  if (opt.proto == MQTT) {
    int tl = pl >= 2 ? (p[0] << 8 | p[1]) : 0;
    const uint8_t *payload = p + 2 + tl;
    if ((frame[0] & 0xf0) != 0x30 || pl != 2 + tl + TEXT_LEN) return fail(c, "unexpected MQTT packet");
    char text[TEXT_LEN + 1];
    memcpy(text, payload, TEXT_LEN);
    text[TEXT_LEN] = 0;
    int from;
    unsigned id;
    if (sscanf(text, "%d:%u:", &from, &id) != 2) return fail(c, "malformed MQTT payload");
    return delivered(c, from, id);
  }
  uint8_t type = frame[3];
  if (type == ROOM_EVENT) return; /* a late joiner; not a message */
  if (type == DIRECT_STATUS) {
    if (pl != 5 || p[4] != 0) fail(c, "DIRECT_STATUS other than DELIVERED");
    return;
  }
  if (type != ROOM_MESSAGE && type != DIRECT_MESSAGE) return fail(c, "unexpected message type");
  int at = 4;
  if (type == ROOM_MESSAGE) at += 1 + p[at]; /* the room name */
  const uint8_t *from = p + at + 1;
  int from_len = p[at];
  at += 1 + from_len;
  if (at + 2 + TEXT_LEN != pl || p[at] != 0 || p[at + 1] != TEXT_LEN ||
      memcmp(p + at + 2, ECHO_TEXT, TEXT_LEN) != 0)
    return fail(c, "message text changed in transit");
  delivered(c, index_of(from, from_len), be32(p));
}

int fanout_idle(void) {
  for (int s = 0; s < senders; s++)
    if (flights[s].active && conns[s].state != DONE) return 0;
  return 1;
}

void fanout_report(char *out, int size) {
  uint64_t lost = 0;
  int mismatches = 0, first = -1;
  for (int s = 0; s < senders; s++)
    if (flights[s].active) lost += flights[s].remaining;
  for (int i = 0; i < opt.sessions && opt.mode == ROOM; i++) {
    if (conns[i].state == DONE) continue;
    if (first < 0) first = i;
    else if (conns[i].order_hash != conns[first].order_hash) mismatches++;
  }
  snprintf(out, size,
           "\"mode\":\"%s\",\"members\":%d,\"senders\":%d,\"messages\":%llu,\"deliveries\":%llu,"
           "\"lost\":%llu,\"unexpected\":%llu,\"orderMismatches\":%d",
           opt.mode == ROOM ? "room" : "dm", opt.sessions, senders, (unsigned long long)messages,
           (unsigned long long)deliveries, (unsigned long long)lost, (unsigned long long)unexpected,
           mismatches);
}
