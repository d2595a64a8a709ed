/*
 * The native load generator (see main.c): what its parts share. One thread, one epoll set, a fixed array
 * of connections; every part works on `struct conn` and the options.
 */
#ifndef LOADGEN_H
#define LOADGEN_H

#include <stdint.h>

#define ECHO_TEXT "parrot bench: sixty-four bytes of chat text, echoed back to me!!"
#define TEXT_LEN 64
#define ROOM_NAME "bench-room"
#define IN_CAP 65536
#define OUT_CAP 4096

enum proto { PARROT, RAW, MQTT };
enum mode { ECHO, ROOM, DM };
/* Handshake states come before READY, so `state < READY` means "still opening". */
enum state {
  IDLE,
  CONNECTING,
  NEGOTIATING,
  LOGGING_IN,
  JOINING,
  MQTT_CONNECTING,
  MQTT_SUBSCRIBING,
  READY,
  WAITING,
  CLOSING,
  DONE
};

struct conn {
  int fd;
  int index;
  enum state state;
  uint8_t version;
  uint32_t message_id;
  double sent_at;
  int in_len, out_len;
  uint8_t in[IN_CAP];
  uint8_t out[OUT_CAP];
  char user[64], pass[128];
  char topic[64]; /* MQTT: this session's own topic */
  /* Fan-out: a rolling hash of the (sender, message id) sequence this member received. */
  uint32_t order_hash;
};

struct options {
  enum proto proto;
  enum mode mode;
  const char *host;
  int port, sessions, senders, server_pid;
  long warmup_ms, duration_ms;
  const char *credentials, *versions;
};

extern struct options opt;
extern struct conn *conns;
extern int measuring, stopping;
extern uint64_t errors;

/* loop.c */
double now_ms(void);
void fail(struct conn *c, const char *why);
const char *first_error_text(void);
void put(struct conn *c, const void *bytes, int len);
void flush_out(struct conn *c);
void start_opening(void);
int all_open(void);
void run_until(double deadline, int (*done)(void));
void close_all(void);
int ready_sessions(void);

/* wire.c: building frames and packets, and the handshake of each dialect */
void parrot_frame(struct conn *c, uint8_t type, const uint8_t *payload, uint32_t len);
void send_chat(struct conn *c);
void send_room_say(struct conn *c);
void send_direct(struct conn *c, const struct conn *to);
void mqtt_publish(struct conn *c, const char *topic, const uint8_t *payload, int len);
void handshake_connected(struct conn *c);
void handshake_frame(struct conn *c, const uint8_t *frame, int header_len, int len);
uint32_t be32(const uint8_t *p);

/* echo.c / fanout.c: the steady state of each mode */
void echo_begin(void);
void echo_frame(struct conn *c, const uint8_t *frame, int header_len, int len);
int echo_idle(void);
void fanout_begin(void);
void fanout_frame(struct conn *c, const uint8_t *frame, int header_len, int len);
int fanout_idle(void);
void fanout_report(char *out, int size);

/* stats.c */
void hist_reset(void);
void hist_record(double ms);
void hist_json(char *out, int size);
uint64_t hist_total(void);
double process_cpu_s(int pid);
double self_cpu_s(void);
void proc_stat(unsigned long long *busy, unsigned long long *total);

#endif
