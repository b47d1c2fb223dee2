// poll/ppoll/select/pselect6 semantics: readiness of pipes, POLLNVAL, POLLHUP/POLLERR, EBADF, EINVAL,
// timeouts (0, elapsed, time left written back), readiness across processes.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SHOWR(label, call) do { errno = 0; int r_ = (call); printf("%s: r=%d %s\n", label, r_, r_ < 0 ? strerror(errno) : "-"); } while (0)

static void show(const char *what, int r, struct pollfd *p, int n) {
  printf("%s: r=%d", what, r);
  if (r < 0) printf(" %s", strerror(errno));
  for (int i = 0; i < n; i++) printf(" [%d:%#x]", p[i].fd, p[i].revents);
  printf("\n");
}

static volatile int handled;
static void on_signal(int sig) { handled = sig; }

static long ms_since(struct timespec *a) {
  struct timespec b;
  clock_gettime(CLOCK_MONOTONIC, &b);
  return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

int main(void) {
  int p[2], q[2];
  pipe(p); pipe(q);
  struct pollfd f[5] = {{p[0], POLLIN, 0x55}, {p[1], POLLOUT, 0}, {99, POLLIN, 0}, {-1, POLLIN, 7}, {q[0], POLLOUT, 0}};
  show("empty", poll(f, 5, 0), f, 5);
  write(p[1], "abc", 3);
  show("data", poll(f, 5, 0), f, 5);
  close(q[1]);
  f[4].events = POLLIN;
  show("hup", poll(f, 5, 0), f, 5);
  struct pollfd w = {p[1], POLLIN | POLLOUT, 0};
  close(p[0]);
  show("err", poll(&w, 1, 0), &w, 1);

  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pipe(p);
  struct pollfd r = {p[0], POLLIN, 0};
  int n = poll(&r, 1, 50);
  long el = ms_since(&t0);
  printf("timeout: r=%d revents=%#x waited=%s\n", n, r.revents, el >= 49 && el < 500 ? "ok" : "bad");

  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  SHOWR("nfds>limit", poll(&r, rl.rlim_cur + 1, 0));
  SHOWR("bad ptr", syscall(SYS_poll, 8L, 1L, 0L));

  // readiness from another process after a delay
  pid_t c = fork();
  if (c == 0) { usleep(30000); write(p[1], "x", 1); _exit(0); }
  r.revents = 0;
  n = poll(&r, 1, 5000);
  printf("child wrote: r=%d revents=%#x\n", n, r.revents);
  waitpid(c, 0, 0);

  // select: sets written back, counts bits, EBADF, time left
  fd_set rs, ws, es;
  FD_ZERO(&rs); FD_ZERO(&ws); FD_ZERO(&es);
  FD_SET(p[0], &rs); FD_SET(p[1], &ws); FD_SET(p[0], &es);
  struct timeval tv = {1, 0};
  n = select(p[1] + 1, &rs, &ws, &es, &tv);
  printf("select: r=%d rd=%d wr=%d ex=%d left=%s\n", n, FD_ISSET(p[0], &rs), FD_ISSET(p[1], &ws), FD_ISSET(p[0], &es),
         tv.tv_sec == 0 && tv.tv_usec > 900000 || tv.tv_sec == 1 ? "ok" : "bad");
  char b[8];
  read(p[0], b, sizeof b);
  FD_ZERO(&rs); FD_SET(p[0], &rs);
  tv.tv_sec = 0; tv.tv_usec = 40000;
  n = select(p[0] + 1, &rs, 0, 0, &tv);
  printf("select timeout: r=%d rd=%d left=%ld.%06ld\n", n, FD_ISSET(p[0], &rs), (long)tv.tv_sec, (long)tv.tv_usec);
  FD_ZERO(&rs); FD_SET(40, &rs);
  SHOWR("select ebadf", select(41, &rs, 0, 0, 0));
  tv.tv_sec = 0; tv.tv_usec = 1000000;
  SHOWR("raw select einval", syscall(SYS_select, 1L, 0L, 0L, 0L, &tv));
  SHOWR("select neg", select(-1, 0, 0, 0, 0));
  // the raw select(2) syscall, not glibc's pselect6: time left in a timeval
  FD_ZERO(&rs); FD_SET(p[0], &rs); FD_SET(p[1], &ws);
  tv.tv_sec = 2; tv.tv_usec = 0;
  n = syscall(SYS_select, p[1] + 1, &rs, &ws, 0L, &tv);
  printf("raw select: r=%d rd=%d wr=%d left=%s\n", n, FD_ISSET(p[0], &rs), FD_ISSET(p[1], &ws), tv.tv_sec == 1 || tv.tv_sec == 2 ? "ok" : "bad");
  FD_ZERO(&rs); FD_SET(p[0], &rs);
  tv.tv_sec = 0; tv.tv_usec = 30000;
  n = syscall(SYS_select, p[0] + 1, &rs, 0L, 0L, &tv);
  printf("raw select timeout: r=%d rd=%d left=%ld.%06ld\n", n, FD_ISSET(p[0], &rs), (long)tv.tv_sec, (long)tv.tv_usec);

  // pselect/ppoll: timespec, sigmask
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  struct timespec ts = {0, 20000000};
  FD_ZERO(&rs); FD_SET(p[0], &rs);
  n = pselect(p[0] + 1, &rs, 0, 0, &ts, &m);
  printf("pselect: r=%d rd=%d\n", n, FD_ISSET(p[0], &rs));
  write(p[1], "y", 1);
  r.revents = 0;
  n = ppoll(&r, 1, &ts, &m);
  printf("ppoll: r=%d revents=%#x\n", n, r.revents);
  sigset_t now;
  sigprocmask(SIG_BLOCK, 0, &now);
  printf("mask restored: %d\n", !sigismember(&now, SIGUSR1));

  // signals: EINTR from poll/select/epoll-less waits, a pending signal unblocked by ppoll's mask
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigaction(SIGALRM, &sa, 0);
  sigaction(SIGUSR1, &sa, 0);
  read(p[0], b, sizeof b);
  r.revents = 0;
  ualarm(20000, 0);
  SHOWR("poll interrupted", poll(&r, 1, 5000));
  printf("handled %d\n", handled); handled = 0;
  ualarm(20000, 0);
  FD_ZERO(&rs); FD_SET(p[0], &rs);
  SHOWR("select interrupted", select(p[0] + 1, &rs, 0, 0, 0));
  printf("handled %d\n", handled); handled = 0;
  sigprocmask(SIG_BLOCK, &m, 0);
  raise(SIGUSR1);
  printf("blocked, handled %d\n", handled);
  sigset_t none;
  sigemptyset(&none);
  SHOWR("ppoll unblocks pending", ppoll(&r, 1, 0, &none));
  printf("handled %d\n", handled); handled = 0;
  sigprocmask(SIG_BLOCK, 0, &now);
  printf("mask back after handler: %d\n", sigismember(&now, SIGUSR1));
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, 0);
  ualarm(20000, 0);
  SHOWR("poll with SA_RESTART still EINTR", poll(&r, 1, 300));
  printf("handled %d\n", handled);
  return 0;
}
