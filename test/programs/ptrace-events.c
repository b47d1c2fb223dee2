// ptrace options and events: PTRACE_O_TRACEFORK/TRACEEXEC/TRACEEXIT with GETEVENTMSG and the auto-attached
// child's first stop, the exit reported to the tracer before the real parent; PTRACE_SEIZE with options,
// PTRACE_INTERRUPT (PTRACE_EVENT_STOP), GETSIGMASK/SETSIGMASK, SETSIGINFO; PTRACE_GET_SYSCALL_INFO at entry
// and exit stops; EXITKILL. Prints only what native Linux and pbash share.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"
#include "ptrace-wait.h"

static unsigned long eventmsg(pid_t pid) {
  unsigned long m = 0;
  ptrace(PTRACE_GETEVENTMSG, pid, 0, &m);
  return m;
}

/* fork, wait for the grandchild, exec: every step an event or a stop of the tracer's. */
static void events(const char *self) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    pid_t g = fork();
    if (g == 0) _exit(5);
    int st;
    pid_t w = waitpid(g, &st, 0);
    printf("child: waited grandchild=%d status exited %d\n", w == g, WEXITSTATUS(st));
    fflush(stdout);
    execl(self, self, "exit9", (char *)0);
    _exit(127);
  }
  wait_for(c, "child");
  show("setoptions", ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT));
  show("setoptions bad", ptrace(PTRACE_SETOPTIONS, c, 0, 0x40000000));
  ptrace(PTRACE_CONT, c, 0, 0);
  wait_for(c, "child fork");
  pid_t g = (pid_t)eventmsg(c);
  printf("eventmsg is a new pid: %d\n", g > c);
  wait_for(g, "grandchild first stop");
  ptrace(PTRACE_CONT, g, 0, 0);
  wait_for(g, "grandchild exiting");
  printf("exit eventmsg: 0x%lx\n", eventmsg(g));
  ptrace(PTRACE_CONT, g, 0, 0);
  wait_for(g, "grandchild end (tracer first)");
  ptrace(PTRACE_CONT, c, 0, 0);
  wait_for(c, "child signal");
  ptrace(PTRACE_CONT, c, 0, 0);  // SIGCHLD suppressed
  wait_for(c, "child exec");
  printf("exec eventmsg is the child: %d\n", eventmsg(c) == (unsigned long)c);
  ptrace(PTRACE_CONT, c, 0, 0);
  wait_for(c, "child exiting");
  printf("exit eventmsg: 0x%lx\n", eventmsg(c));
  usleep(50000);
  int st;
  show("no exit while at PTRACE_EVENT_EXIT", waitpid(c, &st, WNOHANG | __WALL));
  ptrace(PTRACE_CONT, c, 0, 0);
  wait_for(c, "child end");
}

static void seize(void) {
  fflush(stdout);
  int ready[2];
  if (pipe(ready)) return;
  pid_t c = fork();
  if (c == 0) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, 0);
    write(ready[1], "", 1);
    for (;;) pause();
  }
  char b;
  read(ready[0], &b, 1);
  usleep(100000); // in pause() by now
  show("seize bad addr", ptrace(PTRACE_SEIZE, c, 1, 0));
  show("seize bad options", ptrace(PTRACE_SEIZE, c, 0, 0x40000000));
  show("seize", ptrace(PTRACE_SEIZE, c, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
  int st;
  show("nothing to report", waitpid(c, &st, WNOHANG | __WALL));
  show("interrupt", ptrace(PTRACE_INTERRUPT, c, 0, 0));
  wait_for(c, "interrupted");
  siginfo_t si;
  show("getsiginfo", ptrace(PTRACE_GETSIGINFO, c, 0, &si));
  printf("  si_signo=%d si_code=0x%x\n", si.si_signo, si.si_code);
  uint64_t mask = 0;
  show("getsigmask", ptrace(PTRACE_GETSIGMASK, c, sizeof mask, &mask));
  printf("  mask 0x%llx\n", (unsigned long long)mask);
  show("getsigmask size 4", ptrace(PTRACE_GETSIGMASK, c, 4, &mask));
  mask |= 1ull << (SIGUSR1 - 1) | 1ull << (SIGKILL - 1);
  show("setsigmask", ptrace(PTRACE_SETSIGMASK, c, sizeof mask, &mask));
  ptrace(PTRACE_GETSIGMASK, c, sizeof mask, &mask);
  printf("  mask 0x%llx\n", (unsigned long long)mask);
  show("syscall", ptrace(PTRACE_SYSCALL, c, 0, 0));
  wait_for(c, "restarted pause enter");
  struct __ptrace_syscall_info info;
  memset(&info, 0xff, sizeof info);
  long n = ptrace(PTRACE_GET_SYSCALL_INFO, c, sizeof info, &info);
  printf("syscall info size %ld op %d arch 0x%x nr %llu\n", n, info.op, info.arch, (unsigned long long)info.entry.nr);
  kill(c, SIGTERM);
  ptrace(PTRACE_SYSCALL, c, 0, 0);
  wait_for(c, "pause exit");
  n = ptrace(PTRACE_GET_SYSCALL_INFO, c, sizeof info, &info);
  printf("syscall info size %ld op %d rval %lld is_error %d\n", n, info.op, (long long)info.exit.rval, info.exit.is_error);
  n = ptrace(PTRACE_GET_SYSCALL_INFO, c, 8, &info);
  printf("short buffer: %ld\n", n);
  ptrace(PTRACE_CONT, c, 0, 0);
  wait_for(c, "signal stop");
  show("getsiginfo", ptrace(PTRACE_GETSIGINFO, c, 0, &si));
  printf("  si_signo=%d from tracer=%d\n", si.si_signo, si.si_pid == getpid());
  si.si_signo = SIGUSR2;
  show("setsiginfo", ptrace(PTRACE_SETSIGINFO, c, 0, &si));
  show("getsiginfo", ptrace(PTRACE_GETSIGINFO, c, 0, &si));
  printf("  si_signo=%d\n", si.si_signo);
  n = ptrace(PTRACE_GET_SYSCALL_INFO, c, sizeof info, &info);
  printf("syscall info size %ld op %d\n", n, info.op);
  ptrace(PTRACE_CONT, c, 0, SIGTERM);
  wait_for(c, "seized end");
}

/* EXITKILL: the tracer's exit kills its tracee; the middle process is the tracer, we the subreaper. */
static void exitkill(void) {
  fflush(stdout);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int fds[2];
  if (pipe(fds)) return;
  pid_t m = fork();
  if (m == 0) {
    pid_t c = fork();
    if (c == 0) { for (;;) pause(); }
    ptrace(PTRACE_SEIZE, c, 0, PTRACE_O_EXITKILL);
    write(fds[1], &c, sizeof c);
    _exit(0);
  }
  pid_t c;
  read(fds[0], &c, sizeof c);
  wait_for(m, "tracer");
  wait_for(c, "orphaned tracee");
}

/* The tracer dies while its tracee is held at a syscall entry: the call goes ahead untraced. */
static void tracer_death(void) {
  fflush(stdout);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int fds[2];
  if (pipe(fds)) return;
  pid_t m = fork();
  if (m == 0) {
    pid_t c = fork();
    if (c == 0) {
      ptrace(PTRACE_TRACEME, 0, 0, 0);
      raise(SIGSTOP);
      syscall(SYS_write, 1, "child: the write held at entry ran\n", 35);
      _exit(4);
    }
    write(fds[1], &c, sizeof c);
    int st;
    waitpid(c, &st, 0);
    ptrace(PTRACE_SYSCALL, c, 0, 0);
    waitpid(c, &st, 0);
    struct user_regs_struct r;
    ptrace(PTRACE_GETREGS, c, 0, &r);
    printf("tracer: held at entry of %lld, exiting\n", r.orig_rax);
    fflush(stdout);
    _exit(0);
  }
  pid_t c;
  read(fds[0], &c, sizeof c);
  int sm, sc;
  waitpid(m, &sm, 0);
  waitpid(c, &sc, 0);
  status("dead tracer", sm);
  status("its tracee", sc);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "exit9") == 0) return 9;
  setvbuf(stdout, NULL, _IOLBF, 0);
  events(argv[0]);
  seize();
  exitkill();
  tracer_death();
  return 0;
}
