/*
 * The native closed-loop echo generator: C sessions on one thread with epoll, each sending one 64-byte
 * message, waiting for its echo and sending the next. It exists so the generator is never the limit of
 * what is measured (the TypeScript generator spends 15-30 us per round trip, MQTT.js 50-70 us, on the
 * same two cores as the server under test). Three wire dialects, written out by hand from spec/pdu.ksy and
 * MQTT 3.1.1 (only the few messages a closed loop needs):
 *   parrot     VERSION_REQUEST -> VERSION_RESPONSE, LOGIN_REQUEST -> LOGIN_RESPONSE OK, then CHAT -> CHAT_ECHO
 *              (same message id and text), LOGOUT at the end and wait for the server's EOF;
 *   raw        the same CHAT frame to the raw echo server, which sends it back unchanged;
 *   mqtt       CONNECT -> CONNACK, SUBSCRIBE own topic QoS 0 -> SUBACK, then PUBLISH to it -> PUBLISH back.
 * Prints one JSON line (the fields of bench/load-generator.ts's LoadResult, plus /proc/stat counters for
 * bench/machine-load.ts). Built by bench/native-generator.ts into bench/.build/ (git-ignored).
 *
 *   loadgen --proto parrot|raw|mqtt --host 127.0.0.1 --port P --sessions C [--warmup-ms MS]
 *           [--duration-ms MS] [--credentials FILE] [--server-pid PID] [--versions 1,2]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ECHO_TEXT "parrot bench: sixty-four bytes of chat text, echoed back to me!!"
#define TEXT_LEN 64
#define IN_CAP 16384
#define OUT_CAP 1024
#define OPEN_CONCURRENCY 64
#define HIST_MAX_US 10000000 /* latencies are recorded per microsecond up to 10 s, exactly */
#define DRAIN_MS 10000
#define CLOSE_MS 10000

enum proto { PARROT, RAW, MQTT };
enum state { IDLE, CONNECTING, NEGOTIATING, LOGGING_IN, MQTT_CONNECTING, MQTT_SUBSCRIBING, READY, WAITING, CLOSING, DONE };

struct conn {
  int fd;
  enum state state;
  uint8_t version;
  uint32_t message_id;
  double sent_at;
  int in_len;
  uint8_t in[IN_CAP];
  int out_len;
  uint8_t out[OUT_CAP];
  char user[64], pass[128];
  char topic[64];
};

static enum proto proto = PARROT;
static const char *host = "127.0.0.1";
static int port, sessions = 1, server_pid;
static long warmup_ms = 1000, duration_ms = 5000;
static const char *credentials, *versions = "1,2";
static struct conn *conns;
static int epfd, opened, opening, ready_count, done_count;
static int measuring, stopping;
static uint64_t round_trips, errors;
static char first_error[256];
static uint32_t *hist;
static uint64_t hist_count, hist_max;
static double hist_sum;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void fail(struct conn *c, const char *why) {
  errors++;
  if (first_error[0] == 0) snprintf(first_error, sizeof first_error, "%s", why);
  if (c->fd >= 0) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
  }
  if (c->state > IDLE && c->state < READY) opening--;
  if (c->state != DONE) done_count++;
  c->state = DONE;
}

static void flush_out(struct conn *c) {
  while (c->out_len > 0) {
    ssize_t n = write(c->fd, c->out, c->out_len);
    if (n < 0) {
      if (errno == EAGAIN) break;
      fail(c, strerror(errno));
      return;
    }
    memmove(c->out, c->out + n, c->out_len - n);
    c->out_len -= n;
  }
  struct epoll_event ev = {.events = EPOLLIN | (c->out_len > 0 ? EPOLLOUT : 0), .data.ptr = c};
  if (c->out_len > 0) epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void put(struct conn *c, const void *bytes, int len) {
  if (c->out_len + len > OUT_CAP) {
    fail(c, "output buffer full");
    return;
  }
  memcpy(c->out + c->out_len, bytes, len);
  c->out_len += len;
}

/* Parrot header: "PR", version, type, payload length (u32 big-endian). */
static void parrot_frame(struct conn *c, uint8_t type, const uint8_t *payload, uint32_t len) {
  uint8_t h[8] = {'P', 'R', c->version, type, len >> 24, len >> 16, len >> 8, len};
  put(c, h, 8);
  put(c, payload, len);
}

static void send_version_request(struct conn *c) {
  uint8_t p[17];
  int n = 0;
  for (const char *v = versions; *v && n < 16; v++)
    if (*v >= '0' && *v <= '9') p[1 + n++] = (uint8_t)strtol(v, (char **)&v, 10), v--;
  p[0] = n;
  c->version = 0;
  parrot_frame(c, 1, p, 1 + n);
}

static void send_login(struct conn *c) {
  uint8_t p[200];
  int ul = strlen(c->user), pl = strlen(c->pass), n = 0;
  p[n++] = ul;
  memcpy(p + n, c->user, ul), n += ul;
  p[n++] = pl;
  memcpy(p + n, c->pass, pl), n += pl;
  parrot_frame(c, 3, p, n);
}

static void send_chat(struct conn *c) {
  uint8_t p[4 + 2 + TEXT_LEN];
  uint32_t id = c->message_id;
  p[0] = id >> 24, p[1] = id >> 16, p[2] = id >> 8, p[3] = id;
  p[4] = 0, p[5] = TEXT_LEN;
  memcpy(p + 6, ECHO_TEXT, TEXT_LEN);
  parrot_frame(c, 5, p, sizeof p);
}

/* MQTT remaining length: 7 bits per byte, high bit = more. */
static int mqtt_header(uint8_t *h, uint8_t type, int remaining) {
  int n = 0;
  h[n++] = type;
  do {
    uint8_t b = remaining & 0x7f;
    remaining >>= 7;
    h[n++] = b | (remaining ? 0x80 : 0);
  } while (remaining);
  return n;
}

static void send_mqtt_connect(struct conn *c, int index) {
  char id[48];
  int il = snprintf(id, sizeof id, "pb-native-%d-%d", getpid(), index);
  uint8_t p[128], h[5];
  int n = 0;
  const uint8_t fixed[] = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02 /* clean session */, 0, 0 /* keepalive off */};
  memcpy(p, fixed, sizeof fixed), n += sizeof fixed;
  p[n++] = il >> 8, p[n++] = il;
  memcpy(p + n, id, il), n += il;
  put(c, h, mqtt_header(h, 0x10, n));
  put(c, p, n);
  snprintf(c->topic, sizeof c->topic, "parrot-bench/%s", id);
}

static void send_mqtt_subscribe(struct conn *c) {
  uint8_t p[96], h[5];
  int tl = strlen(c->topic), n = 0;
  p[n++] = 0, p[n++] = 1; /* packet id */
  p[n++] = tl >> 8, p[n++] = tl;
  memcpy(p + n, c->topic, tl), n += tl;
  p[n++] = 0; /* QoS 0 */
  put(c, h, mqtt_header(h, 0x82, n));
  put(c, p, n);
}

static void send_mqtt_publish(struct conn *c) {
  uint8_t p[160], h[5];
  int tl = strlen(c->topic), n = 0;
  p[n++] = tl >> 8, p[n++] = tl;
  memcpy(p + n, c->topic, tl), n += tl;
  memcpy(p + n, ECHO_TEXT, TEXT_LEN), n += TEXT_LEN;
  put(c, h, mqtt_header(h, 0x30, n));
  put(c, p, n);
}

static void record(double ms) {
  uint64_t us = ms * 1000 + 0.5;
  if (us < 1) us = 1;
  if (us > hist_max) hist_max = us;
  hist_sum += us;
  hist_count++;
  hist[us < HIST_MAX_US ? us : HIST_MAX_US - 1]++;
}

static double percentile_ms(double q) {
  uint64_t want = (uint64_t)(q * hist_count + 0.999999), seen = 0;
  if (want == 0) want = 1;
  for (uint64_t us = 0; us < HIST_MAX_US; us++)
    if ((seen += hist[us]) >= want) return us / 1000.0;
  return hist_max / 1000.0;
}

static void start_round_trip(struct conn *c) {
  if (stopping) {
    c->state = READY;
    return;
  }
  c->message_id++;
  c->sent_at = now_ms();
  c->state = WAITING;
  if (proto == MQTT) send_mqtt_publish(c);
  else send_chat(c);
  flush_out(c);
}

static void became_ready(struct conn *c) {
  c->state = READY;
  opening--;
  ready_count++;
}

static void finish_round_trip(struct conn *c) {
  if (measuring) {
    record(now_ms() - c->sent_at);
    round_trips++;
  }
  start_round_trip(c);
}

/* One whole Parrot frame of `len` bytes at `f`. */
static void on_parrot_frame(struct conn *c, const uint8_t *f, int len) {
  uint8_t type = f[3];
  const uint8_t *p = f + 8;
  int pl = len - 8;
  if (type == 10) {
    char why[128];
    int code = pl >= 2 ? (p[0] << 8 | p[1]) : 0;
    snprintf(why, sizeof why, "ERROR %d from the server in state %d", code, c->state);
    fail(c, why);
    return;
  }
  switch (c->state) {
    case NEGOTIATING:
      if (type != 2 || pl < 2 || p[0] != 0) return fail(c, "negotiation refused");
      c->version = p[1];
      send_login(c);
      c->state = LOGGING_IN;
      break;
    case LOGGING_IN:
      if (type != 4 || pl < 1 || p[0] != 0) return fail(c, "login refused");
      became_ready(c);
      break;
    case WAITING: {
      uint8_t want = proto == RAW ? 5 : 6;
      uint32_t id = pl >= 4 ? (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3] : 0;
      if (type != want || pl != 6 + TEXT_LEN || id != c->message_id ||
          memcmp(p + 6, ECHO_TEXT, TEXT_LEN) != 0)
        return fail(c, "echo does not match the message in flight");
      finish_round_trip(c);
      break;
    }
    case CLOSING:
      break; /* anything after our LOGOUT, until the server's EOF */
    default:
      fail(c, "frame in an unexpected state");
  }
}

static void on_mqtt_packet(struct conn *c, const uint8_t *pk, int header_len, int len) {
  uint8_t type = pk[0] & 0xf0;
  const uint8_t *p = pk + header_len;
  int pl = len - header_len;
  switch (c->state) {
    case MQTT_CONNECTING:
      if (type != 0x20 || pl != 2 || p[1] != 0) return fail(c, "CONNACK refused");
      send_mqtt_subscribe(c);
      c->state = MQTT_SUBSCRIBING;
      break;
    case MQTT_SUBSCRIBING:
      if (type != 0x90 || pl < 3 || p[2] == 0x80) return fail(c, "SUBACK refused");
      became_ready(c);
      break;
    case WAITING: {
      int tl = strlen(c->topic);
      if (type != 0x30 || pl != 2 + tl + TEXT_LEN || memcmp(p + 2, c->topic, tl) != 0 ||
          memcmp(p + 2 + tl, ECHO_TEXT, TEXT_LEN) != 0)
        return fail(c, "echo does not match the message sent");
      finish_round_trip(c);
      break;
    }
    case CLOSING:
      break;
    default:
      fail(c, "packet in an unexpected state");
  }
}

/* Splits the input buffer into whole frames/packets; keeps a partial one for the next read. */
static void consume(struct conn *c) {
  int at = 0;
  while (c->state != DONE) {
    int avail = c->in_len - at, total, header_len = 0;
    const uint8_t *b = c->in + at;
    if (proto == MQTT) {
      int remaining = 0, shift = 0, i = 1;
      for (;; i++) {
        if (i >= avail) goto partial;
        remaining |= (b[i] & 0x7f) << shift, shift += 7;
        if (!(b[i] & 0x80)) break;
        if (i == 4) return fail(c, "bad MQTT remaining length");
      }
      header_len = i + 1;
      total = header_len + remaining;
    } else {
      if (avail < 8) goto partial;
      if (b[0] != 'P' || b[1] != 'R') return fail(c, "bad magic from the server");
      total = 8 + (int)((uint32_t)b[4] << 24 | b[5] << 16 | b[6] << 8 | b[7]);
    }
    if (total > IN_CAP) return fail(c, "frame larger than the input buffer");
    if (avail < total) goto partial;
    if (proto == MQTT) on_mqtt_packet(c, b, header_len, total);
    else on_parrot_frame(c, b, total);
    at += total;
  }
  return;
partial:
  memmove(c->in, c->in + at, c->in_len - at);
  c->in_len -= at;
}

static void on_readable(struct conn *c) {
  for (;;) {
    ssize_t n = read(c->fd, c->in + c->in_len, IN_CAP - c->in_len);
    if (n > 0) {
      c->in_len += n;
      consume(c);
      if (c->state == DONE) return;
      if (c->out_len > 0) flush_out(c); /* replies queued by the handshake steps */
      continue;
    }
    if (n < 0 && errno == EAGAIN) return;
    if (c->state == CLOSING) { /* the server's EOF after our LOGOUT/DISCONNECT: a clean end */
      epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
      close(c->fd);
      c->fd = -1;
      c->state = DONE;
      done_count++;
      return;
    }
    fail(c, n == 0 ? "connection closed by the server" : strerror(errno));
    return;
  }
}

static void on_connected(struct conn *c, int index) {
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err) return fail(c, strerror(err));
  if (proto == RAW) {
    c->version = 1;
    became_ready(c);
  } else if (proto == PARROT) {
    send_version_request(c);
    c->state = NEGOTIATING;
  } else {
    send_mqtt_connect(c, index);
    c->state = MQTT_CONNECTING;
  }
  flush_out(c);
}

static void open_next(void) {
  while (opening < OPEN_CONCURRENCY && opened < sessions) {
    struct conn *c = &conns[opened++];
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, host, &addr.sin_addr);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0) {
      fail(c, strerror(errno));
      continue;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->state = CONNECTING;
    opening++;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
    if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS)
      fail(c, strerror(errno));
  }
}

static void poll_once(int timeout_ms) {
  struct epoll_event events[256];
  int n = epoll_wait(epfd, events, 256, timeout_ms);
  for (int i = 0; i < n; i++) {
    struct conn *c = events[i].data.ptr;
    if (c->state == DONE) continue;
    if (c->state == CONNECTING) {
      if (!(events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) continue;
      struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
      epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
      on_connected(c, (int)(c - conns));
      continue;
    }
    if (events[i].events & EPOLLOUT) flush_out(c);
    if (c->state != DONE && events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c);
  }
}

static void read_credentials(void) {
  FILE *f = fopen(credentials, "r");
  if (!f) {
    perror(credentials);
    exit(1);
  }
  for (int i = 0; i < sessions; i++)
    if (fscanf(f, "%63s %127s", conns[i].user, conns[i].pass) != 2) {
      fprintf(stderr, "%s holds fewer than %d accounts\n", credentials, sessions);
      exit(1);
    }
  fclose(f);
}

static double process_cpu_s(int pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  unsigned long utime = 0, stime = 0;
  if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) return -1;
  return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

static void proc_stat(unsigned long long *busy, unsigned long long *total) {
  unsigned long long f[8] = {0};
  FILE *s = fopen("/proc/stat", "r");
  if (!s || fscanf(s, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]) < 5) {
    *busy = *total = 0;
  } else {
    *total = 0;
    for (int i = 0; i < 8; i++) *total += f[i];
    *busy = *total - f[3] - f[4];
  }
  if (s) fclose(s);
}

static double self_cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* Runs the loop until `done()` or `deadline` (ms on the monotonic clock). */
static void run_until(double deadline, int (*done)(void)) {
  for (;;) {
    if (done && done()) return;
    double left = deadline - now_ms();
    if (left <= 0) return;
    poll_once(left > 50 ? 50 : (int)left + 1);
  }
}

static int all_open(void) {
  open_next();
  return opened == sessions && opening == 0;
}
static int all_idle(void) {
  for (int i = 0; i < sessions; i++)
    if (conns[i].state == WAITING) return 0;
  return 1;
}
static int all_done(void) { return done_count == sessions; }

static void close_all(void) {
  for (int i = 0; i < sessions; i++) {
    struct conn *c = &conns[i];
    if (c->state == DONE) continue;
    if (proto == RAW) { /* RST, so no TIME_WAIT piles up on the client side between runs */
      struct linger l = {1, 0};
      setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      close(c->fd);
      c->fd = -1;
      c->state = DONE;
      done_count++;
      continue;
    }
    uint8_t mqtt_disconnect[] = {0xe0, 0};
    if (proto == MQTT) put(c, mqtt_disconnect, 2);
    else parrot_frame(c, 9, NULL, 0); /* LOGOUT: wait for the server's EOF, then the login is free again */
    c->state = CLOSING;
    flush_out(c);
  }
  run_until(now_ms() + CLOSE_MS, all_done);
}

int main(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!strcmp(k, "--proto")) proto = !strcmp(v, "raw") ? RAW : !strcmp(v, "mqtt") ? MQTT : PARROT;
    else if (!strcmp(k, "--host")) host = v;
    else if (!strcmp(k, "--port")) port = atoi(v);
    else if (!strcmp(k, "--sessions")) sessions = atoi(v);
    else if (!strcmp(k, "--warmup-ms")) warmup_ms = atol(v);
    else if (!strcmp(k, "--duration-ms")) duration_ms = atol(v);
    else if (!strcmp(k, "--credentials")) credentials = v;
    else if (!strcmp(k, "--server-pid")) server_pid = atoi(v);
    else if (!strcmp(k, "--versions")) versions = v;
    else {
      fprintf(stderr, "loadgen: unknown option %s\n", k);
      return 2;
    }
  }
  if (port <= 0 || sessions <= 0 || (proto == PARROT && !credentials)) {
    fprintf(stderr, "usage: loadgen --proto parrot|raw|mqtt --port P --sessions C [--credentials FILE] ...\n");
    return 2;
  }
  conns = calloc(sessions, sizeof *conns);
  hist = calloc(HIST_MAX_US, sizeof *hist);
  if (!conns || !hist) return 1;
  for (int i = 0; i < sessions; i++) conns[i].fd = -1;
  if (proto == PARROT) read_credentials();
  epfd = epoll_create1(0);

  double open_started = now_ms();
  run_until(open_started + 120000, all_open);
  double open_ms = now_ms() - open_started;

  for (int i = 0; i < sessions; i++)
    if (conns[i].state == READY) start_round_trip(&conns[i]);
  run_until(now_ms() + warmup_ms, NULL);

  memset(hist, 0, HIST_MAX_US * sizeof *hist);
  hist_count = hist_max = 0, hist_sum = 0, round_trips = 0;
  unsigned long long busy0, total0, busy1, total1;
  double cpu0 = self_cpu_s(), server0 = server_pid ? process_cpu_s(server_pid) : 0;
  proc_stat(&busy0, &total0);
  measuring = 1;
  double window_start = now_ms();
  run_until(window_start + duration_ms, NULL);
  measuring = 0;
  double measured_ms = now_ms() - window_start;
  proc_stat(&busy1, &total1);
  double server_cpu = server_pid ? process_cpu_s(server_pid) - server0 : -1;
  double cpu = self_cpu_s() - cpu0;

  stopping = 1;
  run_until(now_ms() + DRAIN_MS, all_idle);
  close_all();

  double s = measured_ms / 1000;
  char server_us[32] = "null", server_util[32] = "null";
  if (server_cpu >= 0 && round_trips > 0) snprintf(server_us, sizeof server_us, "%.3f", server_cpu * 1e6 / round_trips);
  if (server_cpu >= 0) snprintf(server_util, sizeof server_util, "%.4f", server_cpu / s);
  for (char *p = first_error; *p; p++)
    if (*p == '"' || *p == '\\') *p = '\'';
  printf("{\"sessions\":%d,\"openMs\":%.1f,\"measuredMs\":%.1f,\"roundTrips\":%llu,\"roundTripsPerSec\":%.1f,"
         "\"latency\":{\"count\":%llu,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f,\"meanMs\":%.3f},"
         "\"generatorCpuUsPerRoundTrip\":%.3f,\"generatorCpuUtilisation\":%.4f,"
         "\"serverCpuUsPerRoundTrip\":%s,\"serverCpuUtilisation\":%s,\"errors\":%llu,\"firstError\":%s%s%s,"
         "\"benchCpuS\":%.4f,\"cpuCountersBefore\":{\"busyTicks\":%llu,\"totalTicks\":%llu},"
         "\"cpuCountersAfter\":{\"busyTicks\":%llu,\"totalTicks\":%llu}}\n",
         ready_count, open_ms, measured_ms, (unsigned long long)round_trips, round_trips / s,
         (unsigned long long)hist_count, percentile_ms(0.5), percentile_ms(0.99), hist_max / 1000.0,
         hist_count ? hist_sum / hist_count / 1000.0 : 0, round_trips ? cpu * 1e6 / round_trips : 0, cpu / s,
         server_us, server_util, (unsigned long long)errors, first_error[0] ? "\"" : "null",
         first_error[0] ? first_error : "", first_error[0] ? "\"" : "", cpu + (server_cpu > 0 ? server_cpu : 0),
         busy0, total0, busy1, total1);
  return 0;
}
