/*
 * The event loop: opening connections (at most OPEN_CONCURRENCY handshakes at a time, so the server's
 * listen backlog never overflows), non-blocking reads split into whole Parrot frames or MQTT packets,
 * buffered writes, and the orderly close at the end (Parrot LOGOUT / MQTT DISCONNECT, then wait for the
 * server's EOF, so the next run can log the same users in again; RST for the raw echo server).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loadgen.h"

#define OPEN_CONCURRENCY 64
#define CLOSE_MS 10000

static int epfd = -1, opened, opening, ready_count, done_count;
static char first_error[256];

double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void drop(struct conn *c) {
  if (c->fd >= 0) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
  }
  if (c->state != DONE) done_count++;
  c->state = DONE;
}

void fail(struct conn *c, const char *why) {
  errors++;
  if (first_error[0] == 0) {
    snprintf(first_error, sizeof first_error, "session %d: %s", c->index, why);
    for (char *p = first_error; *p; p++)
      if (*p == '"' || *p == '\\') *p = '\'';
  }
  if (c->state > IDLE && c->state < READY) opening--;
  drop(c);
}

const char *first_error_text(void) { return first_error[0] ? first_error : NULL; }

int ready_sessions(void) { return ready_count; }

void put(struct conn *c, const void *bytes, int len) {
  if (c->state == DONE) return;
  if (c->out_len + len > OUT_CAP) {
    fail(c, "output buffer full (the server stopped reading)");
    return;
  }
  memcpy(c->out + c->out_len, bytes, len);
  c->out_len += len;
}

void flush_out(struct conn *c) {
  while (c->state != DONE && c->out_len > 0) {
    ssize_t n = write(c->fd, c->out, c->out_len);
    if (n < 0) {
      if (errno == EAGAIN) break;
      fail(c, strerror(errno));
      return;
    }
    memmove(c->out, c->out + n, c->out_len - n);
    c->out_len -= n;
  }
  if (c->state == DONE) return;
  struct epoll_event ev = {.events = EPOLLIN | (c->out_len > 0 ? EPOLLOUT : 0), .data.ptr = c};
  epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void dispatch(struct conn *c, const uint8_t *frame, int header_len, int len) {
  if (c->state < READY) {
    handshake_frame(c, frame, header_len, len);
    if (c->state == READY) opening--, ready_count++;
  } else if (c->state == CLOSING) {
    /* anything after our LOGOUT, until the server's EOF */
  } else if (opt.mode == ECHO) {
    echo_frame(c, frame, header_len, len);
  } else {
    fanout_frame(c, frame, header_len, len);
  }
}

/* Splits the input buffer into whole frames/packets; keeps a partial one for the next read. */
static void consume(struct conn *c) {
  int at = 0;
  while (c->state != DONE) {
    int avail = c->in_len - at, total, header_len;
    const uint8_t *b = c->in + at;
    if (opt.proto == MQTT) {
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
      header_len = 8;
      total = 8 + (int)be32(b + 4);
    }
    if (total > IN_CAP) return fail(c, "frame larger than the input buffer");
    if (avail < total) goto partial;
    dispatch(c, b, header_len, total);
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
      continue;
    }
    if (n < 0 && errno == EAGAIN) break;
    if (c->state == CLOSING) drop(c); /* the server's EOF after our goodbye: a clean end */
    else fail(c, n == 0 ? "connection closed by the server" : strerror(errno));
    return;
  }
  if (c->out_len > 0) flush_out(c);
}

static void on_connected(struct conn *c) {
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err) return fail(c, strerror(err));
  handshake_connected(c);
  if (c->state == READY) opening--, ready_count++;
  flush_out(c);
}

void start_opening(void) {
  if (epfd < 0) epfd = epoll_create1(0);
  while (opening < OPEN_CONCURRENCY && opened < opt.sessions) {
    struct conn *c = &conns[opened++];
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(opt.port)};
    inet_pton(AF_INET, opt.host, &addr.sin_addr);
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

int all_open(void) {
  start_opening();
  return opened == opt.sessions && opening == 0;
}

static void poll_once(int timeout_ms) {
  struct epoll_event events[256];
  int n = epoll_wait(epfd, events, 256, timeout_ms);
  for (int i = 0; i < n; i++) {
    struct conn *c = events[i].data.ptr;
    if (c->state == DONE) continue;
    if (c->state == CONNECTING) {
      if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_connected(c);
      continue;
    }
    if (events[i].events & EPOLLOUT) flush_out(c);
    if (c->state != DONE && events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c);
  }
}

void run_until(double deadline, int (*done)(void)) {
  for (;;) {
    if (done && done()) return;
    double left = deadline - now_ms();
    if (left <= 0) return;
    poll_once(left > 50 ? 50 : (int)left + 1);
  }
}

static int all_done(void) { return done_count == opt.sessions; }

void close_all(void) {
  static const uint8_t mqtt_disconnect[] = {0xe0, 0};
  for (int i = 0; i < opt.sessions; i++) {
    struct conn *c = &conns[i];
    if (c->state == DONE) continue;
    if (opt.proto == RAW) { /* RST, so no TIME_WAIT piles up on the client side between runs */
      struct linger l = {1, 0};
      setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      drop(c);
      continue;
    }
    if (opt.proto == MQTT) put(c, mqtt_disconnect, 2);
    else parrot_frame(c, 9, NULL, 0); /* LOGOUT */
    c->state = CLOSING;
    flush_out(c);
  }
  run_until(now_ms() + CLOSE_MS, all_done);
}
