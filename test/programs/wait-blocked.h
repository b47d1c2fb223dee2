// wait_blocked(pid): returns once the process sleeps (state S in /proc/PID/stat), i.e. blocked in the call
// it makes next, whatever the machine's load, where a fixed delay would guess. Gives up after ~10 s.
#ifndef PBASH_WAIT_BLOCKED_H
#define PBASH_WAIT_BLOCKED_H
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static void wait_blocked(pid_t pid) {
  char path[64], buf[256];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  for (int i = 0; i < 2000; i++) {
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    char *st = strrchr(buf, ')');
    if (st && st[1] == ' ' && st[2] == 'S') return;
    usleep(5000);
  }
}
#endif
