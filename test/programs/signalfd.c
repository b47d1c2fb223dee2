// signalfd: blocked signals read as records, poll readiness, a child's SIGCHLD, a non-blocking empty read.
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGCHLD);
  sigprocmask(SIG_BLOCK, &m, NULL);
  int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
  struct signalfd_siginfo si;
  ssize_t n = read(fd, &si, sizeof si);
  printf("empty read: %zd %s\n", n, strerror(errno));
  kill(getpid(), SIGUSR1);
  struct pollfd p = { .fd = fd, .events = POLLIN };
  printf("poll: %d revents=%#x\n", poll(&p, 1, 1000), p.revents);
  n = read(fd, &si, sizeof si);
  printf("read %zd: signo=%u code=%d self=%d\n", n, si.ssi_signo, si.ssi_code, si.ssi_pid == (unsigned)getpid());
  pid_t c = fork();
  if (c == 0) _exit(4);
  int fl = 0;
  struct pollfd q = { .fd = fd, .events = POLLIN };
  poll(&q, 1, 5000);
  n = read(fd, &si, sizeof si);
  printf("child: %zd signo=%u code=%d status=%d pid_ok=%d\n", n, si.ssi_signo, si.ssi_code, si.ssi_status, si.ssi_pid == (unsigned)c);
  waitpid(c, &fl, 0);
  printf("exit %d\n", WEXITSTATUS(fl));
  return 0;
}
