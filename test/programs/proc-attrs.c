// Calls that take a pid (prlimit, sched_*affinity, get/setpriority, sched_getscheduler, getpgid) on the
// caller, a child, a thread and nobody, as root and as another user; getrusage of children and threads;
// PR_SET_NO_NEW_PRIVS across fork and execve. Prints relations, never raw times.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "report.h"

static void spin(clockid_t c, double secs) {
  double end = clock_secs(c) + secs;
  volatile unsigned long x = 0;
  while (clock_secs(c) < end) for (int i = 0; i < 100000; i++) x += i;
}

static double tv(struct timeval t) { return t.tv_sec + t.tv_usec / 1e6; }

static void *busy_thread(void *arg) {
  spin(CLOCK_THREAD_CPUTIME_ID, 0.1);
  struct rusage self, thread;
  getrusage(RUSAGE_THREAD, &thread);
  getrusage(RUSAGE_SELF, &self);
  double th = tv(thread.ru_utime) + tv(thread.ru_stime), all = tv(self.ru_utime) + tv(self.ru_stime);
  printf("thread: RUSAGE_THREAD >= 0.09s: %d, RUSAGE_SELF >= RUSAGE_THREAD: %d\n", th >= 0.09, all >= th);
  pid_t tid = gettid();
  printf("thread: getpgid(tid) == getpgrp(): %d\n", getpgid(tid) == getpgrp());
  cpu_set_t set;
  show("thread: sched_getaffinity(tid)", sched_getaffinity(tid, sizeof set, &set));
  struct rlimit rl;
  show("thread: prlimit(tid, NOFILE)", prlimit(tid, RLIMIT_NOFILE, NULL, &rl));
  *(pid_t *)arg = tid;
  return NULL;
}

static void rusage_children(void) {
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  printf("children before: utime zero: %d\n", ru.ru_utime.tv_sec == 0 && ru.ru_utime.tv_usec == 0);
  pid_t c = fork();
  if (c == 0) { spin(CLOCK_PROCESS_CPUTIME_ID, 0.25); _exit(0); }
  struct rusage mid;
  getrusage(RUSAGE_CHILDREN, &mid);
  printf("children while running: utime zero: %d\n", mid.ru_utime.tv_sec == 0 && mid.ru_utime.tv_usec == 0);
  waitpid(c, NULL, 0);
  getrusage(RUSAGE_CHILDREN, &ru);
  double total = tv(ru.ru_utime) + tv(ru.ru_stime);
  printf("children after: utime > 0: %d, utime+stime >= 0.24s: %d\n", tv(ru.ru_utime) > 0, total >= 0.24);
  struct tms tm;
  times(&tm);
  printf("times: cutime+cstime >= 24 ticks: %d\n", tm.tms_cutime + tm.tms_cstime >= 24);
  show("getrusage(bad who)", getrusage(5, &ru));
}

static void no_new_privs(const char *self) {
  show("NO_NEW_PRIVS initially", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  pid_t c = fork();
  if (c == 0) {
    show("child: NO_NEW_PRIVS before set", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("child: PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    fflush(stdout);
    pid_t g = fork();
    if (g == 0) {
      show("grandchild: NO_NEW_PRIVS after fork", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
      fflush(stdout);
      execl(self, self, "nnp", (char *)NULL);
      _exit(99);
    }
    int st;
    waitpid(g, &st, 0);
    _exit(WEXITSTATUS(st));
  }
  int st;
  waitpid(c, &st, 0);
  printf("nnp child status %d\n", WEXITSTATUS(st));
  show("parent: NO_NEW_PRIVS still", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

/** A child parked on a pipe, to be the target of the pid calls. */
static pid_t parked_child(int *wfd, uid_t uid) {
  int p[2];
  pipe(p);
  pid_t c = fork();
  if (c == 0) {
    close(p[1]);
    if (uid && setuid(uid) != 0) _exit(3);
    char b;
    read(p[0], &b, 1);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("target child: NOFILE as seen inside %lu/%lu, nice %d\n", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max, getpriority(PRIO_PROCESS, 0));
    _exit(0);
  }
  close(p[0]);
  *wfd = p[1];
  return c;
}

static void pid_calls(void) {
  int w;
  pid_t c = parked_child(&w, 0);
  struct rlimit nl = {100, 200}, old;
  show("prlimit(child, NOFILE, new)", prlimit(c, RLIMIT_NOFILE, &nl, &old));
  show("prlimit(child) read back", prlimit(c, RLIMIT_NOFILE, NULL, &old));
  printf("  now %lu/%lu\n", (unsigned long)old.rlim_cur, (unsigned long)old.rlim_max);
  show("prlimit(999999)", prlimit(999999, RLIMIT_NOFILE, NULL, &old));
  show("prlimit(-5)", prlimit(-5, RLIMIT_NOFILE, NULL, &old));
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  show("sched_setaffinity(child, {0})", sched_setaffinity(c, sizeof set, &set));
  CPU_ZERO(&set);
  show("sched_getaffinity(child)", sched_getaffinity(c, sizeof set, &set));
  printf("  count %d, has cpu0 %d\n", CPU_COUNT(&set), CPU_ISSET(0, &set));
  CPU_ZERO(&set);
  show("sched_setaffinity(empty)", sched_setaffinity(c, sizeof set, &set));
  show("sched_getaffinity(999999)", sched_getaffinity(999999, sizeof set, &set));
  show("setpriority(child, 5)", setpriority(PRIO_PROCESS, c, 5));
  errno = 0;
  show("getpriority(child)", getpriority(PRIO_PROCESS, c));
  errno = 0;
  show("getpriority(999999)", getpriority(PRIO_PROCESS, 999999));
  show("sched_getscheduler(child)", sched_getscheduler(c));
  show("sched_getscheduler(-1)", sched_getscheduler(-1));
  show("sched_getscheduler(999999)", sched_getscheduler(999999));
  struct sched_param sp = {0};
  show("sched_getparam(child)", sched_getparam(c, &sp));
  show("sched_setscheduler(child, BATCH)", sched_setscheduler(c, SCHED_BATCH, &sp));
  show("sched_getscheduler(child) after", sched_getscheduler(c));
  sp.sched_priority = 5;
  show("sched_setscheduler(child, BATCH, prio 5)", sched_setscheduler(c, SCHED_BATCH, &sp));
  struct { uint32_t size, policy; uint64_t flags; int32_t nice; uint32_t prio; uint64_t rt, dl, period; uint32_t umin, umax; } at;
  memset(&at, 0xff, sizeof at);
  show("sched_getattr(child)", syscall(SYS_sched_getattr, c, &at, sizeof at, 0));
  // sched_runtime of a fair task is its slice since Linux 6.12 (0 before; we report 6.1's 0): not printed
  printf("  size %u policy %u flags %lu nice %d prio %u deadline %lu period %lu\n", at.size, at.policy,
         (unsigned long)at.flags, at.nice, at.prio, (unsigned long)at.dl, (unsigned long)at.period);
  memset(&at, 0xff, sizeof at);
  show("sched_getattr(self, size 48)", syscall(SYS_sched_getattr, 0, &at, 48, 0));
  printf("  size %u, past it untouched: %d\n", at.size, at.umin == 0xffffffffu);
  show("sched_getattr(size 40)", syscall(SYS_sched_getattr, 0, &at, 40, 0));
  show("sched_getattr(flags 1)", syscall(SYS_sched_getattr, 0, &at, sizeof at, 1));
  show("sched_getattr(999999)", syscall(SYS_sched_getattr, 999999, &at, sizeof at, 0));
  show("getpgid(child) == getpgrp()", getpgid(c) == getpgrp());
  show("getpgid(-1)", getpgid(-1));
  write(w, "x", 1);
  close(w);
  waitpid(c, NULL, 0);
  fflush(stdout);

  // as another user: the root parent's limits and priority are out of reach, its own are not
  pid_t parent = getpid();
  pid_t u = fork();
  if (u == 0) {
    if (setuid(65534) != 0) _exit(3);
    show("user: prlimit(root parent)", prlimit(parent, RLIMIT_NOFILE, NULL, &old));
    show("user: prlimit(self pid)", prlimit(getpid(), RLIMIT_NOFILE, NULL, &old));
    show("user: setpriority(root parent, 10)", setpriority(PRIO_PROCESS, parent, 10));
    errno = 0;
    show("user: getpriority(root parent)", getpriority(PRIO_PROCESS, parent));
    show("user: setpriority(self, 3)", setpriority(PRIO_PROCESS, 0, 3));
    show("user: setpriority(self, 1) (lower nice)", setpriority(PRIO_PROCESS, 0, 1));
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    show("user: sched_setaffinity(root parent)", sched_setaffinity(parent, sizeof set, &set));
    show("user: sched_getaffinity(root parent)", sched_getaffinity(parent, sizeof set, &set));
    struct sched_param rp = {10};
    show("user: sched_setscheduler(self, RR 10)", sched_setscheduler(0, SCHED_RR, &rp));
    show("user: kill(root parent, 0)", kill(parent, 0));
    _exit(0);
  }
  waitpid(u, NULL, 0);
}

static int xcpu_pipe;
static void on_xcpu(int sig) {
  (void)sig;
  struct rlimit rl;
  getrlimit(RLIMIT_CPU, &rl);
  char c = '0' + (char)rl.rlim_cur; // the soft limit moved up by a second
  write(xcpu_pipe, &c, 1);
}

/** RLIMIT_CPU: SIGXCPU at the soft limit (which then moves up a second), SIGKILL at the hard one. */
static void cpu_limit(void) {
  int p[2];
  pipe(p);
  pid_t c = fork();
  if (c == 0) {
    close(p[0]);
    xcpu_pipe = p[1];
    signal(SIGXCPU, on_xcpu);
    struct rlimit rl = {1, 2};
    setrlimit(RLIMIT_CPU, &rl);
    spin(CLOCK_PROCESS_CPUTIME_ID, 30);
    _exit(0);
  }
  close(p[1]);
  int st;
  waitpid(c, &st, 0);
  char buf[16] = {0};
  read(p[0], buf, sizeof buf - 1);
  close(p[0]);
  printf("RLIMIT_CPU 1/2: SIGXCPU seen with soft limits [%s], then killed by signal %d\n", buf, WIFSIGNALED(st) ? WTERMSIG(st) : -1);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1 && strcmp(argv[1], "nnp") == 0) {
    show("after execve: NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    return 7;
  }
  rusage_children();
  pthread_t th;
  pid_t tid = 0;
  pthread_create(&th, NULL, busy_thread, &tid);
  pthread_join(th, NULL);
  no_new_privs(argv[0]);
  pid_calls();
  cpu_limit();
  return 0;
}
