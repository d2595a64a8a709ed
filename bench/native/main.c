/*
 * The native load generator: C sessions on one thread with epoll, so the generator is never the limit of
 * what is measured (the TypeScript generator spends 10-40 us per round trip, MQTT.js 50-70 us, on the same
 * two cores as the server under test). Modes:
 *   echo  closed-loop round trips (echo.c) against Parrot, the raw echo server or an MQTT broker;
 *   room  room fan-out, dm  direct messages (fanout.c) against Parrot v2 or an MQTT broker.
 * Opens every session (loop.c, wire.c), warms up, measures for --duration-ms, drains what is in flight,
 * closes in order, and prints one JSON line: the fields of bench/load-generator.ts's LoadResult (echo) or
 * bench/fanout-generator.ts's FanoutResult (room, dm), with raw /proc/stat counters for
 * bench/machine-load.ts. Built by bench/native-generator.ts into bench/.build/ (git-ignored).
 *
 *   loadgen --proto parrot|raw|mqtt [--mode echo|room|dm] --host 127.0.0.1 --port P --sessions C
 *           [--senders S] [--warmup-ms MS] [--duration-ms MS] [--credentials FILE] [--server-pid PID]
 *           [--versions 1,2]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loadgen.h"

#define OPEN_TIMEOUT_MS 120000
#define DRAIN_MS 10000

struct options opt = {.proto = PARROT, .mode = ECHO, .host = "127.0.0.1", .sessions = 1, .senders = 4,
                      .warmup_ms = 1000, .duration_ms = 5000, .versions = "1,2"};
struct conn *conns;
int measuring, stopping;
uint64_t errors;

static int parse_options(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (!strcmp(k, "--proto")) opt.proto = !strcmp(v, "raw") ? RAW : !strcmp(v, "mqtt") ? MQTT : PARROT;
    else if (!strcmp(k, "--mode")) opt.mode = !strcmp(v, "room") ? ROOM : !strcmp(v, "dm") ? DM : ECHO;
    else if (!strcmp(k, "--host")) opt.host = v;
    else if (!strcmp(k, "--port")) opt.port = atoi(v);
    else if (!strcmp(k, "--sessions")) opt.sessions = atoi(v);
    else if (!strcmp(k, "--senders")) opt.senders = atoi(v);
    else if (!strcmp(k, "--warmup-ms")) opt.warmup_ms = atol(v);
    else if (!strcmp(k, "--duration-ms")) opt.duration_ms = atol(v);
    else if (!strcmp(k, "--credentials")) opt.credentials = v;
    else if (!strcmp(k, "--server-pid")) opt.server_pid = atoi(v);
    else if (!strcmp(k, "--versions")) opt.versions = v;
    else return fprintf(stderr, "loadgen: unknown option %s\n", k), 0;
  }
  if (opt.port <= 0 || opt.sessions <= 0 || (opt.proto == PARROT && !opt.credentials) ||
      (opt.mode != ECHO && opt.proto == RAW) || (opt.mode == DM && opt.sessions < 2)) {
    fprintf(stderr, "usage: loadgen --proto parrot|raw|mqtt [--mode echo|room|dm] --port P --sessions C "
                    "[--credentials FILE] ...\n");
    return 0;
  }
  return 1;
}

static void read_credentials(void) {
  FILE *f = fopen(opt.credentials, "r");
  if (!f) {
    perror(opt.credentials);
    exit(1);
  }
  for (int i = 0; i < opt.sessions; i++)
    if (fscanf(f, "%63s %127s", conns[i].user, conns[i].pass) != 2) {
      fprintf(stderr, "%s holds fewer than %d accounts\n", opt.credentials, opt.sessions);
      exit(1);
    }
  fclose(f);
}

int main(int argc, char **argv) {
  if (!parse_options(argc, argv)) return 2;
  conns = calloc(opt.sessions, sizeof *conns);
  if (!conns) return 1;
  for (int i = 0; i < opt.sessions; i++) conns[i].fd = -1, conns[i].index = i;
  if (opt.proto == PARROT) read_credentials();
  hist_reset();
  srand(getpid());

  double open_started = now_ms();
  run_until(open_started + OPEN_TIMEOUT_MS, all_open);
  double open_ms = now_ms() - open_started;
  int ready = ready_sessions();

  if (opt.mode == ECHO) echo_begin();
  else fanout_begin();
  run_until(now_ms() + opt.warmup_ms, NULL);

  hist_reset();
  unsigned long long busy0, total0, busy1, total1;
  double cpu0 = self_cpu_s(), server0 = opt.server_pid ? process_cpu_s(opt.server_pid) : 0;
  proc_stat(&busy0, &total0);
  measuring = 1;
  double window_start = now_ms();
  run_until(window_start + opt.duration_ms, NULL);
  measuring = 0;
  double measured_ms = now_ms() - window_start;
  proc_stat(&busy1, &total1);
  double server_cpu = opt.server_pid ? process_cpu_s(opt.server_pid) - server0 : -1;
  double cpu = self_cpu_s() - cpu0;

  stopping = 1;
  run_until(now_ms() + DRAIN_MS, opt.mode == ECHO ? echo_idle : fanout_idle);
  char fanout[512] = "";
  if (opt.mode != ECHO) fanout_report(fanout, sizeof fanout);
  close_all();

  /* per round trip (echo) or per delivery (room, dm) */
  const char *unit = opt.mode == ECHO ? "RoundTrip" : "Delivery";
  uint64_t n = hist_total();
  double s = measured_ms / 1000;
  char latency[256], server_per[32] = "null", server_util[32] = "null", first[300] = "null";
  hist_json(latency, sizeof latency);
  if (server_cpu >= 0 && n > 0) snprintf(server_per, sizeof server_per, "%.3f", server_cpu * 1e6 / n);
  if (server_cpu >= 0) snprintf(server_util, sizeof server_util, "%.4f", server_cpu / s);
  if (first_error_text()) snprintf(first, sizeof first, "\"%s\"", first_error_text());
  printf("{%s%s\"sessions\":%d,\"openMs\":%.1f,\"measuredMs\":%.1f,", fanout, fanout[0] ? "," : "", ready,
         open_ms, measured_ms);
  if (opt.mode == ECHO) printf("\"roundTrips\":%llu,\"roundTripsPerSec\":%.1f,", (unsigned long long)n, n / s);
  else printf("\"deliveriesPerSec\":%.1f,", n / s);
  printf("\"latency\":%s,\"generatorCpuUsPer%s\":%.3f,\"generatorCpuUtilisation\":%.4f,"
         "\"serverCpuUsPer%s\":%s,\"serverCpuUtilisation\":%s,\"errors\":%llu,\"firstError\":%s,"
         "\"benchCpuS\":%.4f,\"cpuCountersBefore\":{\"busyTicks\":%llu,\"totalTicks\":%llu},"
         "\"cpuCountersAfter\":{\"busyTicks\":%llu,\"totalTicks\":%llu}}\n",
         latency, unit, n ? cpu * 1e6 / n : 0, cpu / s, unit, server_per, server_util,
         (unsigned long long)errors, first, cpu + (server_cpu > 0 ? server_cpu : 0), busy0, total0, busy1,
         total1);
  return 0;
}
