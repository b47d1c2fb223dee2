// ru_maxrss as Linux keeps it: the peak resident set in KiB (getrusage RUSAGE_SELF/THREAD), kept after munmap,
// the largest of reaped children and their descendants (RUSAGE_CHILDREN, wait4's rusage), an exec'd image's
// peak counting for the process; /proc/self/status VmHWM/VmRSS/VmPeak agree. Only relations are printed.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long maxrss(int who) { struct rusage u; getrusage(who, &u); return u.ru_maxrss; }
// the "Vm*" values of one read of /proc/self/status (HWM and RSS consistent with each other)
static long vm_hwm, vm_rss, vm_peak, vm_size;
static void read_status(void) {
  FILE *f = fopen("/proc/self/status", "r"); char line[256];
  while (f && fgets(line, sizeof line, f)) {
    char *colon = strchr(line, 0x3a); if (!colon) continue; long v = atol(colon + 1);
    if (!strncmp(line, "VmHWM:", 6)) vm_hwm = v; else if (!strncmp(line, "VmRSS:", 6)) vm_rss = v;
    else if (!strncmp(line, "VmPeak:", 7)) vm_peak = v; else if (!strncmp(line, "VmSize:", 7)) vm_size = v;
  }
  if (f) fclose(f);
}
#define MB (1024 * 1024)

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1) { // exec'd: touch argv[1] MiB and exit
    size_t n = atol(argv[1]) * MB; char *p = malloc(n); memset(p, 1, n); return p[n / 2] - 1;
  }
  // a fresh exec keeps the peak of the image it replaced (exec_mmap): under a test runner that is the
  // runner's, so the baseline is the current VmRSS, not maxrss
  long base = maxrss(RUSAGE_SELF);
  read_status();
  long rss0 = vm_rss;
  printf("maxrss > 0: %d, >= VmRSS: %d\n", base > 0, base >= rss0);
  printf("children before any: %ld\n", maxrss(RUSAGE_CHILDREN));
  char *p = mmap(NULL, 64 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  read_status();
  printf("mapping without touching adds < 1 MiB to VmRSS: %d\n", vm_rss - rss0 < 1024);
  memset(p, 1, 40 * MB);
  read_status();
  long touched = maxrss(RUSAGE_SELF);
  printf("touching 40 MiB: VmRSS +38..44 MiB: %d, maxrss within 1 MiB of it: %d\n", vm_rss - rss0 >= 38 * 1024 && vm_rss - rss0 < 44 * 1024, touched >= vm_rss - 1024);
  read_status();
  long hwm = vm_hwm, rss = vm_rss;
  printf("VmHWM >= VmRSS: %d, VmHWM within 1 MiB of maxrss: %d\n", hwm >= rss, hwm >= touched - 1024);
  munmap(p, 64 * MB);
  long after = maxrss(RUSAGE_SELF);
  read_status();
  printf("peak kept after munmap: %d, VmRSS dropped: %d, VmHWM kept: %d\n", after >= touched, vm_rss < rss - 30 * 1024, vm_hwm >= touched);
  printf("VmPeak >= VmSize + 64 MiB: %d\n", vm_peak >= vm_size + 64 * 1024);
  p = mmap(NULL, 16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(p, 1, 16 * MB); madvise(p, 16 * MB, MADV_DONTNEED);
  read_status();
  printf("MADV_DONTNEED drops VmRSS: %d\n", vm_rss < rss - 30 * 1024);

  // a child touching 20 MiB more than we have now: RUSAGE_CHILDREN and wait4's rusage see it
  pid_t c = fork();
  if (c == 0) { char *q = malloc(80 * MB); memset(q, 2, 80 * MB); _exit(q[5] - 2); }
  struct rusage ru; int st;
  wait4(c, &st, 0, &ru);
  printf("wait4 rusage maxrss >= 80 MiB: %d, children: %d, self unchanged: %d\n", ru.ru_maxrss >= 80 * 1024,
    maxrss(RUSAGE_CHILDREN) == ru.ru_maxrss, maxrss(RUSAGE_SELF) == after);
  // an exec'd child: its maxrss is the largest image (the exec'd one touching 100 MiB)
  c = fork();
  if (c == 0) { execl(argv[0], argv[0], "100", (char *)0); _exit(127); }
  wait4(c, &st, 0, &ru);
  printf("exec child: status %d, maxrss 100..110 MiB: %d, children max: %d\n", WEXITSTATUS(st), ru.ru_maxrss >= 100 * 1024 && ru.ru_maxrss < 110 * 1024,
    maxrss(RUSAGE_CHILDREN) == ru.ru_maxrss);
  // a small child after the big ones: RUSAGE_CHILDREN stays the max
  c = fork(); if (c == 0) _exit(0);
  wait4(c, &st, 0, &ru);
  printf("small child below 100 MiB: %d, children still max: %d\n", ru.ru_maxrss < 100 * 1024, maxrss(RUSAGE_CHILDREN) >= 100 * 1024);
  // grandchild: a child that waits for its own 60 MiB child reports it in its RUSAGE_BOTH
  c = fork();
  if (c == 0) { pid_t g = fork(); if (g == 0) { char *q = malloc(120 * MB); memset(q, 3, 120 * MB); _exit(0); } waitpid(g, NULL, 0); _exit(0); }
  wait4(c, &st, 0, &ru);
  printf("grandchild counted: %d\n", ru.ru_maxrss >= 120 * 1024);
  printf("thread maxrss == self: %d\n", maxrss(RUSAGE_THREAD) == maxrss(RUSAGE_SELF));
  return 0;
}
