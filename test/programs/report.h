// Output helpers shared by the differential test programs: a call's result as a line (errno by name), and a
// clock read as seconds (programs print relations between times, never the times).
#ifndef PBASH_REPORT_H
#define PBASH_REPORT_H
// the including program defines _GNU_SOURCE first (strerrorname_np)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static inline void show(const char *what, long r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerrorname_np(errno));
  else printf("%s: %ld\n", what, r);
}

static inline double clock_secs(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}
#endif
