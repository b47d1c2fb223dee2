// Process file descriptors: pidfd_open, CLONE_PIDFD from clone and clone3, poll (POLLIN once the process
// has exited), /proc/self/fdinfo's Pid: line, waitid(P_PIDFD) (PIDFD_NONBLOCK: EAGAIN), pidfd_send_signal
// (with and without a siginfo), pidfd_getfd, rt_tgsigqueueinfo, and their errors.
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static int send_signal(int fd, int sig, siginfo_t *info, unsigned flags) { return syscall(SYS_pidfd_send_signal, fd, sig, info, flags); }
static int getfd(int fd, int target, unsigned flags) { return syscall(SYS_pidfd_getfd, fd, target, flags); }

/** A child that waits for one byte on `gate` and then exits with `code`. */
static pid_t gated_child(int gate[2], int code) {
  pid_t pid = fork();
  if (pid == 0) { char c; close(gate[1]); read(gate[0], &c, 1); _exit(code); }
  return pid;
}

static int readable(int fd, int timeout) {
  struct pollfd p = {.fd = fd, .events = POLLIN};
  int n = poll(&p, 1, timeout);
  return n < 0 ? -1 : p.revents;
}

/** The value of fdinfo's `key` line for fd, as a number (-2 when the line is missing). */
static long fdinfo(int fd, const char *key) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
  FILE *f = fopen(path, "r");
  long v = -2;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, key, strlen(key))) v = strtol(line + strlen(key), NULL, 10);
  if (f) fclose(f);
  return v;
}

static volatile int got_code, got_value;
static void on_usr1(int s, siginfo_t *si, void *u) { (void)s; (void)u; got_code = si->si_code; got_value = si->si_value.sival_int; }

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int gate[2], st;
  siginfo_t si;

  // pidfd_open's arguments
  show("pidfd_open flags 1", pidfd_open(getpid(), 1));
  show("pidfd_open pid 0", pidfd_open(0, 0));
  show("pidfd_open pid -1", pidfd_open(-1, 0));
  pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, NULL, 0);
  show("pidfd_open of a reaped pid", pidfd_open(gone, 0));

  // a pidfd of a running child: close-on-exec, O_RDWR, not readable until the child exits, then readable
  pipe(gate);
  pid_t pid = gated_child(gate, 3);
  int fd = pidfd_open(pid, 0);
  printf("pidfd: fd ok %d, cloexec %d, O_RDWR %d\n", fd >= 0, fcntl(fd, F_GETFD) == FD_CLOEXEC, (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
  printf("fdinfo Pid is the child %d, NSpid too %d\n", fdinfo(fd, "Pid:") == pid, fdinfo(fd, "NSpid:") == pid);
  printf("poll before exit: %d\n", readable(fd, 0));
  int nb = pidfd_open(pid, PIDFD_NONBLOCK);
  printf("PIDFD_NONBLOCK shows in F_GETFL: %d\n", (fcntl(nb, F_GETFL) & O_NONBLOCK) != 0);
  show("waitid on a nonblocking pidfd, running child", waitid(P_PIDFD, nb, &si, WEXITED));
  si.si_pid = 1;
  show("... with WNOHANG", waitid(P_PIDFD, nb, &si, WEXITED | WNOHANG));
  printf("... si_pid %d\n", si.si_pid);
  write(gate[1], "x", 1);
  printf("poll after exit (blocking): 0x%x\n", readable(fd, -1));
  printf("fdinfo Pid of a zombie is still the child: %d\n", fdinfo(fd, "Pid:") == pid);
  show("pidfd_send_signal to a zombie", send_signal(fd, SIGTERM, NULL, 0));
  show("pidfd_getfd from a zombie", getfd(fd, 0, 0));
  show("waitid P_PIDFD", waitid(P_PIDFD, fd, &si, WEXITED));
  printf("... si_pid is the child %d, code %d status %d\n", si.si_pid == pid, si.si_code, si.si_status);
  printf("fdinfo Pid once reaped: %ld\n", fdinfo(fd, "Pid:"));
  show("waitid P_PIDFD again", waitid(P_PIDFD, fd, &si, WEXITED));
  show("pidfd_send_signal once reaped", send_signal(fd, SIGTERM, NULL, 0));
  show("pidfd_getfd once reaped", getfd(fd, 0, 0));
  close(fd);
  close(nb);
  close(gate[0]);
  close(gate[1]);

  // waitid(P_PIDFD) on things that are not our children or not pidfds
  int self = pidfd_open(getpid(), 0);
  show("waitid P_PIDFD on our own pidfd", waitid(P_PIDFD, self, &si, WEXITED | WNOHANG));
  show("waitid P_PIDFD on stdin", waitid(P_PIDFD, 0, &si, WEXITED | WNOHANG));
  show("waitid P_PIDFD -1", waitid(P_PIDFD, -1, &si, WEXITED | WNOHANG));

  // pidfd_send_signal: to ourselves with a queued siginfo, then errors
  struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO};
  sigaction(SIGUSR1, &sa, NULL);
  siginfo_t q = {.si_signo = SIGUSR1, .si_code = SI_QUEUE};
  q.si_value.sival_int = 77;
  show("pidfd_send_signal SIGUSR1 with SI_QUEUE to self", send_signal(self, SIGUSR1, &q, 0));
  printf("handler saw code %d value %d\n", got_code, got_value);
  show("pidfd_send_signal without a siginfo", send_signal(self, SIGUSR1, NULL, 0));
  printf("handler saw code %d (SI_USER)\n", got_code);
  show("signo mismatch", send_signal(self, SIGUSR2, &q, 0));
  show("flags 8", send_signal(self, SIGUSR1, NULL, 8));
  show("signal 0 (check only)", send_signal(self, 0, NULL, 0));
  show("signal 65", send_signal(self, 65, NULL, 0));
  show("on a pipe", send_signal(gate[0] = dup(1), SIGUSR1, NULL, 0));
  show("on a closed fd", send_signal(99, SIGUSR1, NULL, 0));

  // CLONE_PIDFD from clone(2) (into parent_tid) and clone3(2); a child killed through it
  int cfd = -1;
  pipe(gate);
  pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &cfd, 0, 0);
  if (pid == 0) { char c; close(gate[1]); read(gate[0], &c, 1); _exit(1); }
  printf("clone CLONE_PIDFD: fd ok %d, cloexec %d, fdinfo Pid %d\n", cfd >= 0, fcntl(cfd, F_GETFD) == FD_CLOEXEC, fdinfo(cfd, "Pid:") == pid);
  siginfo_t kq = {.si_signo = SIGTERM, .si_code = SI_KERNEL};
  show("a kernel siginfo to another process", send_signal(cfd, SIGTERM, &kq, 0));
  show("pidfd_send_signal SIGTERM", send_signal(cfd, SIGTERM, NULL, 0));
  printf("poll: 0x%x\n", readable(cfd, -1));
  waitid(P_PIDFD, cfd, &si, WEXITED);
  printf("killed: code %d signal %d\n", si.si_code, si.si_status);
  close(cfd);
  close(gate[0]);
  close(gate[1]);
  struct { uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; } ca =
    {.flags = CLONE_PIDFD, .pidfd = (uintptr_t)&cfd, .exit_signal = SIGCHLD};
  pid = syscall(SYS_clone3, &ca, sizeof ca);
  if (pid == 0) _exit(4);
  printf("clone3 CLONE_PIDFD: fdinfo Pid %d, poll 0x%x\n", fdinfo(cfd, "Pid:") == pid, readable(cfd, -1));
  waitid(P_PIDFD, cfd, &si, WEXITED);
  printf("clone3 child: code %d status %d\n", si.si_code, si.si_status);
  close(cfd);

  // pidfd_getfd: a duplicate of the child's fd 42 (a pipe's write end), close-on-exec
  int data[2];
  pipe(data);
  pipe(gate);
  pid = fork();
  if (pid == 0) {
    dup2(data[1], 42);
    close(data[1]);
    close(gate[1]);
    write(42, "", 0);
    char c;
    read(gate[0], &c, 1);
    _exit(0);
  }
  close(data[1]);
  close(gate[0]);
  fd = pidfd_open(pid, 0);
  int got = -1;
  for (int i = 0; i < 1000 && got < 0; i++) { got = getfd(fd, 42, 0); if (got < 0) usleep(1000); }
  printf("pidfd_getfd: ok %d, cloexec %d\n", got >= 0, fcntl(got, F_GETFD) == FD_CLOEXEC);
  write(got, "hi", 2);
  char buf[3] = {0};
  read(data[0], buf, 2);
  printf("read through the child's fd: %s\n", buf);
  show("pidfd_getfd flags 1", getfd(fd, 42, 1));
  show("pidfd_getfd closed target fd", getfd(fd, 77, 0));
  show("pidfd_getfd on a pipe", getfd(data[0], 42, 0));
  write(gate[1], "x", 1);
  waitpid(pid, &st, 0);

  // rt_tgsigqueueinfo: to one of our threads (ourselves), with SI_QUEUE; errors
  got_code = 0;
  show("rt_tgsigqueueinfo to self", syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR1, &q));
  printf("handler saw code %d value %d\n", got_code, got_value);
  show("rt_tgsigqueueinfo tid 0", syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, SIGUSR1, &q));
  show("rt_tgsigqueueinfo wrong group", syscall(SYS_rt_tgsigqueueinfo, getpid() + 1, gettid(), SIGUSR1, &q));
  show("rt_tgsigqueueinfo signal 0", syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), 0, &q));
  pid = fork();
  if (pid == 0) { pause(); _exit(0); }
  show("rt_tgsigqueueinfo SI_KERNEL to another", syscall(SYS_rt_tgsigqueueinfo, pid, pid, SIGTERM, &kq));
  show("rt_tgsigqueueinfo SI_QUEUE to another", syscall(SYS_rt_tgsigqueueinfo, pid, pid, SIGTERM, &(siginfo_t){.si_signo = SIGTERM, .si_code = SI_QUEUE}));
  waitpid(pid, &st, 0);
  printf("killed by %d\n", WTERMSIG(st));
  return 0;
}
