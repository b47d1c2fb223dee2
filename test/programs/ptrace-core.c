// ptrace core: PTRACE_TRACEME + exec (legacy SIGTRAP), PEEKDATA/POKEDATA of a known global, PEEKUSER
// offsets, GETREGS/SETREGS and GETREGSET; PTRACE_SYSCALL counting a known sequence of raw syscalls, a
// changed return value, a changed argument, a skipped call (orig_rax -1); signal injection, suppression and
// replacement with GETSIGINFO; ESRCH on a running tracee, EPERM cases. Prints only what native Linux and
// pbash share: syscall numbers, values set, statuses, peeked bytes of known buffers.
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"
#include "ptrace-wait.h"

static char marker[16] = "ptrace!!";
static volatile long counter = 41;

/* The exec'd image: prints its marker (poked by the tracer) and exits 7. */
static int exec_child(void) {
  printf("exec child sees marker '%s'\n", marker);
  return 7;
}

static void traceme_exec(const char *self) {
  pid_t c = fork();
  if (c == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    execl(self, self, "exec-child", (char *)0);
    _exit(127);
  }
  wait_for(c, "after exec");
  errno = 0;
  long w = ptrace(PTRACE_PEEKDATA, c, marker, 0);
  printf("peek marker: %.8s errno=%d\n", (char *)&w, errno);
  long word;
  memcpy(&word, "poked!!", 8);
  show("poke marker", ptrace(PTRACE_POKEDATA, c, marker, (void *)word));
  errno = 0;
  w = ptrace(PTRACE_PEEKTEXT, c, marker, 0);
  printf("peek again: %.8s\n", (char *)&w);
  struct user_regs_struct regs;
  show("getregs", ptrace(PTRACE_GETREGS, c, 0, &regs));
  printf("orig_rax=%lld cs=0x%llx ss=0x%llx ds=%llx\n", regs.orig_rax, regs.cs, regs.ss, regs.ds);
  errno = 0;
  long rip = ptrace(PTRACE_PEEKUSER, c, offsetof(struct user_regs_struct, rip), 0);
  printf("peekuser rip matches getregs: %d\n", rip == (long)regs.rip);
  errno = 0;
  printf("peekuser debugreg0: %ld errno=%d\n", ptrace(PTRACE_PEEKUSER, c, offsetof(struct user, u_debugreg), 0), errno);
  show("peekuser offset 7", ptrace(PTRACE_PEEKUSER, c, 7, 0));
  show("peekuser past glibc's struct user", ptrace(PTRACE_PEEKUSER, c, sizeof(struct user), 0));
  show("peekuser past the kernel's struct user", ptrace(PTRACE_PEEKUSER, c, sizeof(struct user) + 16, 0));
  show("pokeuser debugreg7 0", ptrace(PTRACE_POKEUSER, c, offsetof(struct user, u_debugreg) + 7 * 8, 0));
  struct iovec iov = { &regs, sizeof regs + 64 };
  show("getregset prstatus", ptrace(PTRACE_GETREGSET, c, NT_PRSTATUS, &iov));
  printf("iov_len %zu (user_regs_struct %zu)\n", iov.iov_len, sizeof regs);
  struct user_fpregs_struct fp;
  iov.iov_base = &fp; iov.iov_len = sizeof fp;
  show("getregset prfpreg", ptrace(PTRACE_GETREGSET, c, NT_PRFPREG, &iov));
  printf("fp iov_len %zu mxcsr 0x%x\n", iov.iov_len, fp.mxcsr);
  show("getregset 0x999", ptrace(PTRACE_GETREGSET, c, 0x999, &iov));
  show("peek unmapped", ptrace(PTRACE_PEEKDATA, c, (void *)8, 0));
  fflush(stdout);
  long r = ptrace(PTRACE_CONT, c, 0, 0);  // the child prints now: our line comes after its end
  wait_for(c, "exec child end");
  show("cont", r);
}

/* The syscall-traced child: raw syscalls in a known order after its SIGSTOP. */
static void syscall_child(void) {
  ptrace(PTRACE_TRACEME, 0, 0, 0);
  raise(SIGSTOP);
  long pid = syscall(SYS_getpid);
  syscall(SYS_write, 1, "AAAA\n", 5);
  long ppid = syscall(SYS_getppid);
  char line[64];
  int n = snprintf(line, sizeof line, "child: getpid -> %ld, getppid -> %ld\n", pid, ppid);
  syscall(SYS_write, 1, line, n);
  syscall(SYS_exit_group, 0);
}

static void trace_syscalls(void) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) syscall_child();
  wait_for(c, "syscall child");
  show("setoptions sysgood", ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESYSGOOD));
  int entering = 1, calls = 0;
  for (;;) {
    if (ptrace(PTRACE_SYSCALL, c, 0, 0) < 0) { show("syscall", -1); break; }
    int st;
    waitpid(c, &st, 0);
    if (WIFEXITED(st)) { status("syscall child end", st); break; }
    if (!WIFSTOPPED(st) || WSTOPSIG(st) != (SIGTRAP | 0x80)) { status("unexpected", st); continue; }
    struct user_regs_struct r;
    ptrace(PTRACE_GETREGS, c, 0, &r);
    if (entering) {
      calls++;
      printf("enter %lld rax=%lld\n", r.orig_rax, (long long)r.rax);
      if (r.orig_rax == SYS_write && r.rdx == 5) { r.rdx = 3; ptrace(PTRACE_SETREGS, c, 0, &r); printf("  write length 5 -> 3\n"); }
      if (r.orig_rax == SYS_getppid) { r.orig_rax = -1; ptrace(PTRACE_SETREGS, c, 0, &r); printf("  skipped\n"); }
    } else {
      if (r.orig_rax == SYS_getpid) printf("exit  %lld = child's pid: %d\n", r.orig_rax, r.rax == (unsigned long long)c);
      else printf("exit  %lld = %lld\n", r.orig_rax, (long long)r.rax);
      if (r.orig_rax == SYS_getpid) { r.rax = 4242; ptrace(PTRACE_SETREGS, c, 0, &r); printf("  result -> 4242\n"); }
      if (r.orig_rax == -1) { ptrace(PTRACE_POKEUSER, c, offsetof(struct user_regs_struct, rax), 77); printf("  result -> 77\n"); }
    }
    fflush(stdout);
    entering = !entering;
  }
  printf("syscalls seen: %d\n", calls);
}

static void on_usr1(int sig) { static const char m[] = "child: SIGUSR1 handler\n"; write(1, m, sizeof m - 1); (void)sig; }

static void signals(void) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    signal(SIGUSR1, on_usr1);
    raise(SIGSTOP);
    kill(getpid(), SIGUSR1);  // injected
    kill(getpid(), SIGUSR1);  // suppressed
    kill(getpid(), SIGUSR2);  // replaced by SIGUSR1
    kill(getpid(), SIGCHLD);  // ignored by default, still reported to the tracer
    kill(getpid(), SIGTERM);  // delivered: the child dies
    _exit(0);
  }
  wait_for(c, "signal child");
  show("cont", ptrace(PTRACE_CONT, c, 0, 0));
  int verdicts[] = { SIGUSR1, 0, SIGUSR1, 0, SIGTERM };
  for (int i = 0; i < 5; i++) {
    int st = wait_for(c, "signal stop");
    siginfo_t si;
    show("getsiginfo", ptrace(PTRACE_GETSIGINFO, c, 0, &si));
    printf("  si_signo=%d si_code=%d from child=%d\n", si.si_signo, si.si_code, si.si_pid == c);
    (void)st;
    fflush(stdout);
    ptrace(PTRACE_CONT, c, 0, verdicts[i]);
  }
  wait_for(c, "signal child end");
}

static void errors(void) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    for (;;) pause();
  }
  wait_for(c, "pausing child");
  ptrace(PTRACE_CONT, c, 0, 0);
  usleep(100000);
  show("peek running tracee", ptrace(PTRACE_PEEKDATA, c, marker, 0));
  show("getregs running tracee", ptrace(PTRACE_GETREGS, c, 0, 0));
  show("cont running tracee", ptrace(PTRACE_CONT, c, 0, 0));
  show("attach own tracee", ptrace(PTRACE_ATTACH, c, 0, 0));
  show("attach self", ptrace(PTRACE_ATTACH, getpid(), 0, 0));
  show("attach pid 0", ptrace(PTRACE_ATTACH, 0, 0, 0));
  show("peek non-tracee", ptrace(PTRACE_PEEKDATA, getppid(), marker, 0));
  show("bad request", ptrace((enum __ptrace_request)0x1234, c, 0, 0));
  show("kill tracee", ptrace(PTRACE_KILL, c, 0, 0));
  wait_for(c, "killed tracee");
  pid_t u = fork();
  if (u == 0) {
    if (setuid(1000) != 0) _exit(2);
    show("non-root attach init", ptrace(PTRACE_ATTACH, 1, 0, 0));
    show("non-root attach root's", ptrace(PTRACE_ATTACH, getppid(), 0, 0));
    fflush(stdout);
    _exit(0);
  }
  wait_for(u, "non-root child");
}

static void attach_detach(void) {
  fflush(stdout);
  int ready[2];
  if (pipe(ready)) return;
  pid_t c = fork();
  if (c == 0) {
    counter = 1234;
    write(ready[1], "", 1);
    for (;;) sleep(10);
  }
  char b;
  read(ready[0], &b, 1);
  show("attach", ptrace(PTRACE_ATTACH, c, 0, 0));
  wait_for(c, "attached");
  errno = 0;
  printf("peek counter: %ld\n", ptrace(PTRACE_PEEKDATA, c, (void *)&counter, 0));
  show("poke counter", ptrace(PTRACE_POKEDATA, c, (void *)&counter, (void *)99));
  printf("peek counter: %ld\n", ptrace(PTRACE_PEEKDATA, c, (void *)&counter, 0));
  show("detach", ptrace(PTRACE_DETACH, c, 0, 0));
  show("peek after detach", ptrace(PTRACE_PEEKDATA, c, (void *)&counter, 0));
  kill(c, SIGTERM);
  wait_for(c, "detached child");
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "exec-child") == 0) return exec_child();
  setvbuf(stdout, NULL, _IOLBF, 0);
  traceme_exec(argv[0]);
  trace_syscalls();
  signals();
  errors();
  attach_detach();
  return 0;
}
