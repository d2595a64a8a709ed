/*
 * What the generator measures besides counting: latencies per microsecond up to 10 s in a flat
 * histogram (exact percentiles, 40 MB, reset after the warm-up), its own CPU (getrusage), the server's
 * (/proc/PID/stat utime + stime) and the machine's busy time (/proc/stat), from which
 * bench/machine-load.ts works out how much of the machine other processes took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "loadgen.h"

#define HIST_MAX_US 10000000

static uint32_t *hist;
static uint64_t count, max_us;
static double sum_us;

void hist_reset(void) {
  if (hist == NULL) hist = calloc(HIST_MAX_US, sizeof *hist);
  else memset(hist, 0, HIST_MAX_US * sizeof *hist);
  count = max_us = 0;
  sum_us = 0;
}

void hist_record(double ms) {
  uint64_t us = ms * 1000 + 0.5;
  if (us < 1) us = 1;
  if (us > max_us) max_us = us;
  sum_us += us;
  count++;
  hist[us < HIST_MAX_US ? us : HIST_MAX_US - 1]++;
}

uint64_t hist_total(void) { return count; }

static double percentile_ms(double q) {
  uint64_t want = (uint64_t)(q * count + 0.999999), seen = 0;
  if (want == 0) want = 1;
  for (uint64_t us = 0; us < HIST_MAX_US; us++)
    if ((seen += hist[us]) >= want) return us / 1000.0;
  return max_us / 1000.0;
}

void hist_json(char *out, int size) {
  snprintf(out, size, "{\"count\":%llu,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f,\"meanMs\":%.3f}",
           (unsigned long long)count, count ? percentile_ms(0.5) : 0, count ? percentile_ms(0.99) : 0,
           max_us / 1000.0, count ? sum_us / count / 1000.0 : 0);
}

double process_cpu_s(int pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  /* fields after the command name, which is in parentheses and may hold spaces */
  char *p = strrchr(buf, ')');
  unsigned long utime = 0, stime = 0;
  if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    return -1;
  return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

double self_cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The aggregate `cpu` line: user nice system idle iowait irq softirq steal. */
void proc_stat(unsigned long long *busy, unsigned long long *total) {
  unsigned long long f[8] = {0};
  FILE *s = fopen("/proc/stat", "r");
  *busy = *total = 0;
  if (s && fscanf(s, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &f[0], &f[1], &f[2], &f[3], &f[4],
                  &f[5], &f[6], &f[7]) >= 5) {
    for (int i = 0; i < 8; i++) *total += f[i];
    *busy = *total - f[3] - f[4];
  }
  if (s) fclose(s);
}
