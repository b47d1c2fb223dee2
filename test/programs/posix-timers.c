// POSIX timers (timer_create and friends: signals with si_value/si_timerid/si_overrun, SIGEV_NONE,
// SIGEV_THREAD_ID, glibc's SIGEV_THREAD, CPU clocks, absolute times, fork and exec), alarm and the interval
// timers ITIMER_VIRTUAL/ITIMER_PROF. Counts are checked against measured elapsed time; prints relations.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "report.h"

static double secs(struct timespec ts) { return ts.tv_sec + ts.tv_nsec / 1e9; }

static void sleep_s(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

static void block(int sig) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  sigprocmask(SIG_BLOCK, &s, NULL);
}

static int wait_sig(int sig, siginfo_t *si, double timeout) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  struct timespec ts = {(time_t)timeout, (long)((timeout - (time_t)timeout) * 1e9)};
  return sigtimedwait(&s, si, &ts);
}

static void arm(timer_t id, double value, double interval, int flags) {
  struct itimerspec its = {{(time_t)interval, (long)((interval - (time_t)interval) * 1e9)},
                           {(time_t)value, (long)((value - (time_t)value) * 1e9)}};
  if (timer_settime(id, flags, &its, NULL) != 0) printf("timer_settime failed: %s\n", strerrorname_np(errno));
}

/** NULL sevp: SIGALRM with the timer id as si_value; SI_TIMER, si_timerid. */
static void default_event(void) {
  block(SIGALRM);
  timer_t id;
  show("timer_create(MONOTONIC, NULL)", timer_create(CLOCK_MONOTONIC, NULL, &id));
  arm(id, 0.03, 0, 0);
  siginfo_t si;
  show("sigtimedwait SIGALRM", wait_sig(SIGALRM, &si, 5));
  printf("  si_code SI_TIMER %d, si_value == id %d, si_timerid == id %d, si_overrun %d\n",
         si.si_code == SI_TIMER, si.si_value.sival_int == (int)(long)id, si.si_timerid == (int)(long)id, si.si_overrun);
  struct itimerspec cur;
  timer_gettime(id, &cur);
  printf("  one-shot after expiry reads 0: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
  show("timer_delete", timer_delete(id));
  show("timer_delete again", timer_delete(id));
}

/** A periodic timer whose signal stays blocked: the one signal carries the missed expirations as overruns. */
static void overruns(void) {
  int sig = SIGRTMIN + 1;
  block(sig);
  struct sigevent ev = {0};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = sig;
  ev.sigev_value.sival_int = 1234;
  timer_t id;
  show("timer_create(REALTIME, SIGRTMIN+1)", timer_create(CLOCK_REALTIME, &ev, &id));
  double t0 = clock_secs(CLOCK_MONOTONIC);
  arm(id, 0.01, 0.01, 0);
  sleep_s(0.15);
  siginfo_t si;
  wait_sig(sig, &si, 5);
  double expected = (clock_secs(CLOCK_MONOTONIC) - t0) / 0.01;
  int got = si.si_overrun + 1;
  printf("  si_value 1234: %d, expirations %s elapsed/interval (within 4 below, 1 above)\n", si.si_value.sival_int == 1234,
         got >= expected - 4 && got <= expected + 1 ? "match" : "do not match");
  if (!(got >= expected - 4 && got <= expected + 1)) fprintf(stderr, "got %d expected %.1f\n", got, expected);
  printf("  timer_getoverrun == si_overrun: %d\n", timer_getoverrun(id) == si.si_overrun);
  struct itimerspec cur;
  timer_gettime(id, &cur);
  printf("  periodic: 0 < value <= 10ms: %d, interval 10ms: %d\n", secs(cur.it_value) > 0 && secs(cur.it_value) <= 0.01,
         cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 10000000);
  struct itimerspec its = {{0, 0}, {2, 0}}, old;
  timer_settime(id, 0, &its, &old);
  printf("  old value returned by settime <= 10ms: %d, old interval 10ms: %d\n", secs(old.it_value) <= 0.01, old.it_interval.tv_nsec == 10000000);
  timer_gettime(id, &cur);
  printf("  re-armed one-shot 2s: 1.9 < value <= 2: %d, interval 0: %d\n", secs(cur.it_value) > 1.9 && secs(cur.it_value) <= 2, secs(cur.it_interval) == 0);
  timer_delete(id);
  // a signal handler sees the overrun as well
}

static volatile sig_atomic_t handled, handled_overrun, handled_code;
static void on_timer(int sig, siginfo_t *si, void *uc) {
  (void)sig; (void)uc;
  // the first delivery carries the overruns of the blocked time; later ones (the timer runs on) may not
  if (handled++ == 0) { handled_overrun = si->si_overrun; handled_code = si->si_code; }
}

static void handler_and_abstime(void) {
  int sig = SIGUSR1;
  struct sigaction sa = {0};
  sa.sa_sigaction = on_timer;
  sa.sa_flags = SA_SIGINFO;
  sigaction(sig, &sa, NULL);
  block(sig);
  struct sigevent ev = {0};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = sig;
  timer_t id;
  timer_create(CLOCK_MONOTONIC, &ev, &id);
  arm(id, 0.005, 0.005, 0);
  sleep_s(0.06);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  sigprocmask(SIG_UNBLOCK, &s, NULL);
  printf("handler: ran %d, SI_TIMER %d, overrun >= 5: %d\n", handled >= 1, handled_code == SI_TIMER, handled_overrun >= 5);
  timer_delete(id);
  block(sig);

  // TIMER_ABSTIME on CLOCK_REALTIME, 40 ms ahead; and one in the past fires at once
  timer_create(CLOCK_REALTIME, &ev, &id);
  double start = clock_secs(CLOCK_MONOTONIC);
  struct timespec rt;
  clock_gettime(CLOCK_REALTIME, &rt);
  double target = secs(rt) + 0.04;
  arm(id, target, 0, TIMER_ABSTIME);
  siginfo_t si;
  wait_sig(sig, &si, 5);
  printf("abstime: fired after >= 39ms: %d\n", clock_secs(CLOCK_MONOTONIC) - start >= 0.039);
  arm(id, 1.0, 0, TIMER_ABSTIME); // 1970: long past
  show("abstime in the past: signal at once", wait_sig(sig, &si, 1) == sig);
  struct itimerspec cur;
  timer_gettime(id, &cur);
  printf("  then disarmed: %d\n", secs(cur.it_value) == 0);
  timer_delete(id);
}

static void sigev_none_and_errors(void) {
  struct sigevent ev = {0};
  ev.sigev_notify = SIGEV_NONE;
  timer_t id;
  show("timer_create(BOOTTIME, SIGEV_NONE)", timer_create(CLOCK_BOOTTIME, &ev, &id));
  arm(id, 0.05, 0, 0);
  struct itimerspec a, b;
  timer_gettime(id, &a);
  sleep_s(0.01);
  timer_gettime(id, &b);
  printf("  counting down: %d\n", secs(b.it_value) < secs(a.it_value) && secs(b.it_value) > 0);
  sleep_s(0.05);
  timer_gettime(id, &b);
  printf("  expired, reads 0: %d\n", secs(b.it_value) == 0);
  sigset_t pend;
  sigpending(&pend);
  printf("  nothing pending: %d\n", sigisemptyset(&pend));
  arm(id, 0.02, 0.02, 0);
  sleep_s(0.05);
  timer_gettime(id, &b);
  printf("  periodic SIGEV_NONE keeps counting: %d\n", secs(b.it_value) > 0 && secs(b.it_value) <= 0.02);
  timer_delete(id);

  show("timer_create(clock 99)", timer_create(99, NULL, &id));
  show("timer_create(MONOTONIC_RAW)", timer_create(CLOCK_MONOTONIC_RAW, NULL, &id));
  show("timer_create(REALTIME_COARSE)", timer_create(CLOCK_REALTIME_COARSE, NULL, &id));
  ev.sigev_notify = 99;
  show("timer_create(notify 99)", timer_create(CLOCK_MONOTONIC, &ev, &id));
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = 0;
  show("timer_create(signo 0)", timer_create(CLOCK_MONOTONIC, &ev, &id));
  ev.sigev_signo = 65;
  show("timer_create(signo 65)", timer_create(CLOCK_MONOTONIC, &ev, &id));
  ev.sigev_notify = SIGEV_THREAD_ID;
  ev.sigev_signo = SIGUSR2;
  ev._sigev_un._tid = 999999;
  show("timer_create(THREAD_ID bad tid)", timer_create(CLOCK_MONOTONIC, &ev, &id));
  ev._sigev_un._tid = getppid();
  show("timer_create(THREAD_ID other process)", timer_create(CLOCK_MONOTONIC, &ev, &id));
  show("timer_settime(bad id)", syscall(SYS_timer_settime, 4000, 0, &a, NULL));
  show("timer_gettime(bad id)", syscall(SYS_timer_gettime, 4000, &a));
  show("timer_getoverrun(bad id)", syscall(SYS_timer_getoverrun, 4000));
  show("timer_delete(bad id)", syscall(SYS_timer_delete, 4000));
  int kid;
  show("timer_create raw", syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &kid));
  show("timer_settime(NULL new)", syscall(SYS_timer_settime, kid, 0, NULL, NULL));
  struct itimerspec bad = {{0, 0}, {0, 1000000000}};
  show("timer_settime(nsec 1e9)", syscall(SYS_timer_settime, kid, 0, &bad, NULL));
  syscall(SYS_timer_delete, kid);
}

static void spin_cpu(double s) {
  double end = clock_secs(CLOCK_PROCESS_CPUTIME_ID) + s;
  volatile unsigned long x = 0;
  while (clock_secs(CLOCK_PROCESS_CPUTIME_ID) < end) for (int i = 0; i < 20000; i++) x += i;
}

static volatile sig_atomic_t cpu_fired;
static volatile double cpu_at_fire;
static void on_cpu(int sig) { (void)sig; cpu_fired = 1; cpu_at_fire = clock_secs(CLOCK_PROCESS_CPUTIME_ID); }

/** Timers on CPU clocks fire after the process (or thread) has used that much CPU, not wall time. */
static void cpu_clocks(void) {
  signal(SIGUSR2, on_cpu);
  struct sigevent ev = {0};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR2;
  timer_t id;
  show("timer_create(PROCESS_CPUTIME_ID)", timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &id));
  double start = clock_secs(CLOCK_PROCESS_CPUTIME_ID);
  arm(id, 0.05, 0, 0);
  sleep_s(0.1);
  printf("  not fired by sleeping: %d\n", !cpu_fired);
  double limit = clock_secs(CLOCK_MONOTONIC) + 10;
  volatile unsigned long x = 0;
  while (!cpu_fired && clock_secs(CLOCK_MONOTONIC) < limit) for (int i = 0; i < 20000; i++) x += i;
  printf("  fired after >= 50ms CPU: %d\n", cpu_fired && cpu_at_fire - start >= 0.049);
  timer_delete(id);

  cpu_fired = 0;
  ev.sigev_notify = SIGEV_THREAD_ID;
  ev._sigev_un._tid = gettid();
  show("timer_create(THREAD_CPUTIME_ID, THREAD_ID self)", timer_create(CLOCK_THREAD_CPUTIME_ID, &ev, &id));
  arm(id, 0.03, 0, 0);
  limit = clock_secs(CLOCK_MONOTONIC) + 10;
  while (!cpu_fired && clock_secs(CLOCK_MONOTONIC) < limit) for (int i = 0; i < 20000; i++) x += i;
  printf("  thread CPU timer fired: %d\n", cpu_fired);
  timer_delete(id);

  clockid_t cc;
  show("clock_getcpuclockid(self)", clock_getcpuclockid(getpid(), &cc));
  struct timespec ts;
  show("clock_gettime(that clock)", clock_gettime(cc, &ts));
  printf("  equals own process CPU time within 20ms: %d\n", clock_secs(CLOCK_PROCESS_CPUTIME_ID) - secs(ts) < 0.02);
  show("clock_getcpuclockid(999999)", clock_getcpuclockid(999999, &cc) == ESRCH ? -ESRCH : 0);
  pthread_getcpuclockid(pthread_self(), &cc);
  show("clock_gettime(own thread clock)", clock_gettime(cc, &ts));
}

static volatile sig_atomic_t vt, prof;
static void on_vt(int sig) { if (sig == SIGVTALRM) vt++; else prof++; }

static void itimers(void) {
  signal(SIGVTALRM, on_vt);
  signal(SIGPROF, on_vt);
  struct itimerval v = {{0, 50000}, {0, 50000}}, cur;
  show("setitimer(VIRTUAL, 50ms)", setitimer(ITIMER_VIRTUAL, &v, NULL));
  show("setitimer(PROF, 50ms)", setitimer(ITIMER_PROF, &v, NULL));
  sleep_s(0.1);
  getitimer(ITIMER_VIRTUAL, &cur);
  printf("  sleeping does not count: %d (value > 40ms: %d)\n", vt == 0 && prof == 0, cur.it_value.tv_usec > 40000);
  spin_cpu(0.3);
  printf("  after 300ms of CPU: SIGVTALRM 4..8 times: %d, SIGPROF 4..8 times: %d\n", vt >= 4 && vt <= 8, prof >= 4 && prof <= 8);
  if (vt < 4 || vt > 8 || prof < 4 || prof > 8) fprintf(stderr, "vt %d prof %d\n", vt, prof);
  getitimer(ITIMER_PROF, &cur);
  printf("  PROF reloads: 0 < value <= 50ms: %d, interval 50ms: %d\n", cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 50000 && cur.it_value.tv_sec == 0,
         cur.it_interval.tv_usec == 50000);
  struct itimerval zero = {{0, 0}, {0, 0}}, old;
  setitimer(ITIMER_VIRTUAL, &zero, &old);
  setitimer(ITIMER_PROF, &zero, NULL);
  printf("  old VIRTUAL returned: %d\n", old.it_interval.tv_usec == 50000);
  show("setitimer(3)", setitimer(3, &zero, NULL));
  struct itimerval badv = {{0, 0}, {0, 1000000}};
  show("setitimer(usec 1e6)", setitimer(ITIMER_REAL, &badv, NULL));
  show("alarm(5)", alarm(5));
  sleep_s(0.3);
  show("alarm(0) after 0.3s (rounds to nearest)", alarm(0));
  alarm(2);
  sleep_s(0.7);
  show("alarm(0) after 0.7s", alarm(0));
}

static atomic_int callbacks, in_other_thread, value_ok;
static void on_thread_timer(union sigval v) {
  atomic_fetch_add(&callbacks, 1);
  if (gettid() != getpid()) atomic_store(&in_other_thread, 1);
  if (v.sival_ptr == &callbacks) atomic_store(&value_ok, 1);
}

/** glibc's SIGEV_THREAD: a helper thread waits for SIGEV_THREAD_ID signals and runs the function. */
static void sigev_thread(void) {
  struct sigevent ev = {0};
  ev.sigev_notify = SIGEV_THREAD;
  ev.sigev_notify_function = on_thread_timer;
  ev.sigev_value.sival_ptr = &callbacks;
  timer_t id;
  show("timer_create(SIGEV_THREAD)", timer_create(CLOCK_MONOTONIC, &ev, &id));
  arm(id, 0.02, 0.02, 0);
  double limit = clock_secs(CLOCK_MONOTONIC) + 10;
  while (atomic_load(&callbacks) < 3 && clock_secs(CLOCK_MONOTONIC) < limit) sleep_s(0.01);
  timer_delete(id);
  printf("  callback ran >= 3 times: %d, in another thread: %d, with sival_ptr: %d\n", atomic_load(&callbacks) >= 3,
         atomic_load(&in_other_thread), atomic_load(&value_ok));
}

/** Timers are not inherited by fork and die on execve; interval timers survive execve. */
static void fork_exec(const char *self) {
  timer_t id;
  timer_create(CLOCK_MONOTONIC, NULL, &id);
  arm(id, 100, 0, 0);
  struct itimerval v = {{0, 0}, {100, 0}};
  setitimer(ITIMER_REAL, &v, NULL);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    struct itimerspec cur;
    show("child: timer_gettime(parent's timer)", timer_gettime(id, &cur));
    struct itimerval iv;
    getitimer(ITIMER_REAL, &iv);
    printf("child: ITIMER_REAL not inherited: %d\n", iv.it_value.tv_sec == 0 && iv.it_value.tv_usec == 0);
    fflush(stdout);
    _exit(0);
  }
  waitpid(c, NULL, 0);
  c = fork();
  if (c == 0) {
    setitimer(ITIMER_REAL, &v, NULL);
    char arg[32];
    snprintf(arg, sizeof arg, "%d", (int)(long)id);
    execl(self, self, "after-exec", arg, (char *)NULL);
    _exit(99);
  }
  int st;
  waitpid(c, &st, 0);
  printf("exec child status %d\n", WEXITSTATUS(st));
  timer_delete(id);
  struct itimerval zero = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &zero, NULL);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 2 && strcmp(argv[1], "after-exec") == 0) {
    struct itimerspec cur;
    show("after execve: timer_gettime(old id)", syscall(SYS_timer_gettime, atoi(argv[2]), &cur));
    struct itimerval iv;
    getitimer(ITIMER_REAL, &iv);
    printf("after execve: ITIMER_REAL kept: %d\n", iv.it_value.tv_sec >= 99);
    return 5;
  }
  default_event();
  overruns();
  handler_and_abstime();
  sigev_none_and_errors();
  cpu_clocks();
  itimers();
  sigev_thread();
  fork_exec(argv[0]);
  return 0;
}
