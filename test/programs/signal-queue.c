// Signal queues: realtime signals queue every instance with its si_value (sigqueue), standard ones once; the order
// handlers run in at unblock; SIGCHLD's siginfo for exits, kills, stops and continues; waitid with WSTOPPED,
// WCONTINUED, WNOWAIT; sigtimedwait timeouts; signalfd records (ssi_int); RLIMIT_SIGPENDING (EAGAIN);
// raise and pthread_kill in threads.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static int order[64], norder;
static int vals[64];
static void on_info(int sig, siginfo_t *si, void *uc) {
  (void)uc; vals[norder] = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1; order[norder++] = sig;
}
static void set(int sig) {
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_sigaction = on_info; sa.sa_flags = SA_SIGINFO; sigaction(sig, &sa, NULL);
}
static const char *code(int c) {
  switch (c) { case CLD_EXITED: return "EXITED"; case CLD_KILLED: return "KILLED"; case CLD_DUMPED: return "DUMPED";
  case CLD_STOPPED: return "STOPPED"; case CLD_CONTINUED: return "CONTINUED"; case SI_USER: return "SI_USER";
  case SI_QUEUE: return "SI_QUEUE"; case SI_TKILL: return "SI_TKILL"; case SI_TIMER: return "SI_TIMER"; default: return "?"; }
}

static void pend_order(void) {
  sigset_t all, old; sigfillset(&all); sigprocmask(SIG_BLOCK, &all, &old);
  int sigs[] = { SIGRTMIN + 3, SIGUSR2, SIGRTMIN, SIGTERM, SIGUSR1, SIGRTMIN + 3, SIGHUP, SIGRTMIN };
  for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
    set(sigs[i]);
    union sigval v = { .sival_int = 100 + i };
    sigqueue(getpid(), sigs[i], v);
  }
  sigset_t p; sigpending(&p);
  printf("pending:"); for (int s = 1; s < 65; s++) if (sigismember(&p, s)) printf(" %d", s); printf("\n");
  norder = 0; sigprocmask(SIG_SETMASK, &old, NULL);
  printf("order:"); for (int i = 0; i < norder; i++) printf(" %d/%d", order[i], vals[i]); printf("\n");
}

static void chld_info(void) {
  sigset_t m; sigemptyset(&m); sigaddset(&m, SIGCHLD); sigprocmask(SIG_BLOCK, &m, NULL);
  struct rlimit rl = {0, 0}; setrlimit(RLIMIT_CORE, &rl);
  for (int k = 0; k < 3; k++) {
    pid_t c = fork();
    if (c == 0) { if (k == 0) _exit(42); if (k == 1) { signal(SIGTERM, SIG_DFL); for (;;) pause(); } abort(); }
    if (k == 1) kill(c, SIGKILL);
    siginfo_t si; int s = sigwaitinfo(&m, &si);
    printf("sigchld %d: sig=%d code=%s status=%d pid_ok=%d uid=%d\n", k, s, code(si.si_code), si.si_status, si.si_pid == c, si.si_uid);
    int st; waitpid(c, &st, 0);
    printf("  status=%#x core=%d\n", st, WCOREDUMP(st));
  }
  // stop / continue with waitid
  pid_t c = fork();
  if (c == 0) { for (;;) pause(); }
  kill(c, SIGSTOP);
  siginfo_t si; sigwaitinfo(&m, &si);
  printf("sigchld stop: code=%s status=%d\n", code(si.si_code), si.si_status);
  memset(&si, 0, sizeof si);
  int r = waitid(P_PID, c, &si, WSTOPPED | WNOWAIT);
  printf("waitid WNOWAIT: r=%d code=%s status=%d\n", r, code(si.si_code), si.si_status);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, c, &si, WSTOPPED);
  printf("waitid WSTOPPED: r=%d code=%s status=%d\n", r, code(si.si_code), si.si_status);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, c, &si, WSTOPPED | WNOHANG);
  printf("waitid again WNOHANG: r=%d pid=%d\n", r, si.si_pid);
  kill(c, SIGCONT);
  sigwaitinfo(&m, &si);
  printf("sigchld cont: code=%s status=%d\n", code(si.si_code), si.si_status);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, c, &si, WCONTINUED);
  printf("waitid WCONTINUED: r=%d code=%s status=%d\n", r, code(si.si_code), si.si_status);
  kill(c, SIGKILL);
  memset(&si, 0, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED | WNOWAIT);
  printf("waitid WNOWAIT exit: r=%d code=%s status=%d\n", r, code(si.si_code), si.si_status);
  r = waitid(P_ALL, 0, &si, WEXITED);
  printf("waitid exit: r=%d code=%s status=%d\n", r, code(si.si_code), si.si_status);
  r = waitid(P_ALL, 0, &si, WEXITED);
  printf("waitid none: r=%d errno=%s\n", r, strerrorname_np(errno));
  r = waitid(P_ALL, 0, &si, 0);
  printf("waitid no flags: r=%d errno=%s\n", r, strerrorname_np(errno));
  while (sigtimedwait(&m, &si, &(struct timespec){0, 0}) > 0) ;
}

static void timed(void) {
  sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1); sigprocmask(SIG_BLOCK, &m, NULL);
  struct timespec ts = {0, 20000000};
  int r = sigtimedwait(&m, NULL, &ts);
  printf("sigtimedwait timeout: r=%d errno=%s\n", r, strerrorname_np(errno));
  ts.tv_nsec = -1;
  r = sigtimedwait(&m, NULL, &ts);
  printf("sigtimedwait bad ts: r=%d errno=%s\n", r, strerrorname_np(errno));
  union sigval v = { .sival_int = 7 };
  sigqueue(getpid(), SIGUSR1, v);
  siginfo_t si; ts.tv_nsec = 0;
  r = sigtimedwait(&m, &si, &ts);
  printf("sigtimedwait got: r=%d code=%s val=%d pid_ok=%d\n", r, code(si.si_code), si.si_value.sival_int, si.si_pid == getpid());
  // signalfd reading several at once
  sigaddset(&m, SIGRTMIN + 1); sigaddset(&m, SIGUSR2); sigprocmask(SIG_BLOCK, &m, NULL);
  int fd = signalfd(-1, &m, SFD_NONBLOCK);
  sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = 1 });
  sigqueue(getpid(), SIGRTMIN + 1, (union sigval){ .sival_int = 2 });
  kill(getpid(), SIGUSR2); kill(getpid(), SIGUSR2);
  raise(SIGUSR1);
  struct signalfd_siginfo b[8];
  ssize_t n = read(fd, b, sizeof b);
  printf("signalfd read %zd:", n / (ssize_t)sizeof *b);
  for (int i = 0; i < n / (ssize_t)sizeof *b; i++) printf(" %u/%s/%d", b[i].ssi_signo, code(b[i].ssi_code), b[i].ssi_int);
  printf("\n");
  n = read(fd, b, sizeof b);
  printf("signalfd empty: %zd %s\n", n, strerrorname_np(errno));
  n = read(fd, b, 10);
  printf("signalfd small buf: %zd %s\n", n, strerrorname_np(errno));
  close(fd);
}

// RLIMIT_SIGPENDING counts every queued signal of the real user (kernel/ucount.c): the test runs in a child
// under a uid nothing else uses, so the host's own root processes cannot change the counts natively
static void sigpending_limit(void) {
  pid_t c = fork();
  if (c > 0) { waitpid(c, NULL, 0); return; }
  if (setresuid(54321, 54321, 54321) != 0) { perror("setresuid"); _exit(1); }
  sigset_t m; sigemptyset(&m); sigaddset(&m, SIGRTMIN + 2); sigprocmask(SIG_BLOCK, &m, NULL);
  struct rlimit rl = {5, 5}; setrlimit(RLIMIT_SIGPENDING, &rl);
  int ok = 0, r;
  for (int i = 0; i < 20; i++) { r = sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = i }); if (r == 0) ok++; else break; }
  printf("rt queued under RLIMIT_SIGPENDING=5: %d errno=%s\n", ok, r ? strerrorname_np(errno) : "-");
  // kill(2) of a realtime signal over the limit still succeeds: the signal is pending without its info
  r = kill(getpid(), SIGRTMIN + 2);
  printf("kill rt over limit: r=%d errno=%s\n", r, r ? strerrorname_np(errno) : "-");
  siginfo_t si; int n = 0;
  while (sigtimedwait(&m, &si, &(struct timespec){0, 0}) > 0) n++;
  printf("drained: %d\n", n);
  _exit(0);
}

static void *thr(void *a) {
  (void)a; raise(SIGUSR1); return NULL;
}
static __thread int in_thread;
static volatile int handler_in_thread = -1;
static void on_usr1(int s) { (void)s; handler_in_thread = in_thread; }
static void *thr2(void *a) {
  in_thread = 1; sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1); pthread_sigmask(SIG_UNBLOCK, &m, NULL);
  while (handler_in_thread < 0) ; (void)a; return NULL;
}
static void threads(void) {
  signal(SIGUSR1, on_usr1);
  sigset_t m; sigemptyset(&m); sigaddset(&m, SIGUSR1); sigprocmask(SIG_UNBLOCK, &m, NULL);
  pthread_t t; pthread_create(&t, NULL, thr, NULL); pthread_join(t, NULL);
  printf("raise in thread: handled in thread=%d\n", handler_in_thread);
  handler_in_thread = -1;
  sigprocmask(SIG_BLOCK, &m, NULL);
  pthread_create(&t, NULL, thr2, NULL);
  pthread_kill(t, SIGUSR1);
  pthread_join(t, NULL);
  printf("pthread_kill: handled in thread=%d\n", handler_in_thread);
  printf("pthread_kill sig 0: %d\n", pthread_kill(pthread_self(), 0));
  printf("pthread_kill bad sig: %d\n", pthread_kill(pthread_self(), 99));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  pend_order();
  chld_info();
  timed();
  sigpending_limit();
  threads();
  return 0;
}
