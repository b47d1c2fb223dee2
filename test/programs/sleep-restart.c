// A sleep that a stop and continue interrupt goes on to its first deadline, not a fresh whole sleep
// (nanosleep, clock_nanosleep relative and absolute, poll: ERESTART_RESTARTBLOCK and restart_syscall); a caught
// signal ends it with EINTR and the time left; restart_syscall with nothing pending is EINTR.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pause_ms(long ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep(&ts, &ts) && errno == EINTR) {}
}

// The child sleeps 1.2 s one way; the parent stops it for 0.5 s in the middle. A restart of the whole
// sleep would end after 0.2 + 0.5 + 1.2 s; the rest of it after about 1.2 s (a stop longer than what is
// left ends it at SIGCONT).
static void stopped_sleep(const char *what, int kind) {
  int fds[2];
  if (pipe(fds)) return;
  pid_t pid = fork();
  if (pid == 0) {
    struct timespec req = { 1, 200000000L }, rem = { 0, 0 }, abs;
    double t0 = now();
    int r;
    if (kind == 0) r = nanosleep(&req, &rem);
    else if (kind == 1) r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
    else if (kind == 3) r = poll(NULL, 0, 1200);
    else {
      clock_gettime(CLOCK_MONOTONIC, &abs);
      abs.tv_sec += 1, abs.tv_nsec += 200000000L;
      if (abs.tv_nsec >= 1000000000L) abs.tv_sec++, abs.tv_nsec -= 1000000000L;
      r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
    }
    double dt = now() - t0;
    char line[160];
    int n = snprintf(line, sizeof line, "%s: returned %d, slept at least 1.2 s: %d, less than 1.85 s: %d\n",
                     what, r, dt >= 1.19, dt < 1.85);
    if (write(fds[1], line, n) != n) _exit(2);
    _exit(0);
  }
  close(fds[1]);
  pause_ms(200);
  kill(pid, SIGSTOP);
  pause_ms(500);
  kill(pid, SIGCONT);
  char buf[160];
  ssize_t n = read(fds[0], buf, sizeof buf);
  if (n > 0) fwrite(buf, 1, n, stdout);
  close(fds[0]);
  waitpid(pid, NULL, 0);
}

static void on_usr1(int sig) { (void)sig; }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  stopped_sleep("nanosleep", 0);
  stopped_sleep("clock_nanosleep relative", 1);
  stopped_sleep("clock_nanosleep absolute", 2);
  stopped_sleep("poll", 3);

  // a caught signal (even with SA_RESTART): EINTR and the time left in rem
  struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  pid_t self = getpid();
  if (fork() == 0) { pause_ms(200); kill(self, SIGUSR1); _exit(0); }
  struct timespec req = { 2, 0 }, rem = { 0, 0 };
  int r = nanosleep(&req, &rem);
  int e = errno;
  printf("caught signal: nanosleep %d %s, rem between 0.5 and 2 s: %d\n", r, r ? (e == EINTR ? "EINTR" : "other") : "-",
         rem.tv_sec == 1 || (rem.tv_sec == 0 && rem.tv_nsec >= 500000000L));
  wait(NULL);

  errno = 0;
  long x = syscall(SYS_restart_syscall);
  printf("restart_syscall with nothing pending: %ld %s\n", x, errno == EINTR ? "EINTR" : "other");
  return 0;
}
