// SECCOMP_RET_TRACE with a tracer: PTRACE_EVENT_SECCOMP with the filter's data as event message and in
// PTRACE_GET_SYSCALL_INFO (op SECCOMP), a call skipped with orig_rax -1 and its result set by the tracer,
// one let through (the filter runs again and lets it pass), the stop order with PTRACE_SYSCALL; without
// PTRACE_O_TRACESECCOMP the call fails with ENOSYS; PTRACE_O_SUSPEND_SECCOMP lets it run unfiltered.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static void filter(void) {
  struct sock_filter f[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 0x42),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getuid, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 7),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog p = { sizeof f / sizeof f[0], f };
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p)) perror("seccomp");
}

static pid_t parent;

static void child(void) {
  ptrace(PTRACE_TRACEME, 0, 0, 0);
  filter();
  raise(SIGSTOP);
  long a = syscall(SYS_getppid);
  long b = syscall(SYS_getuid);
  printf("child: getppid -> %ld, getuid -> %ld\n", a, b);
  a = syscall(SYS_getppid);
  printf("child: getppid -> the parent: %d\n", a == parent);
  errno = 0;
  a = syscall(SYS_getppid);
  printf("child: getppid -> %ld %s\n", a, a < 0 ? strerrorname_np(errno) : "");
  raise(SIGSTOP);  // the tracer suspends seccomp for us
  a = syscall(SYS_getppid);
  printf("child: getppid -> the parent: %d\n", a == parent);
  fflush(stdout);
  _exit(0);
}

static void describe(pid_t c, int st) {
  if (WIFEXITED(st)) { printf("exited %d\n", WEXITSTATUS(st)); return; }
  struct user_regs_struct r;
  ptrace(PTRACE_GETREGS, c, 0, &r);
  if (st >> 16 == PTRACE_EVENT_SECCOMP) {
    unsigned long msg;
    ptrace(PTRACE_GETEVENTMSG, c, 0, &msg);
    struct __ptrace_syscall_info info;
    long n = ptrace(PTRACE_GET_SYSCALL_INFO, c, sizeof info, &info);
    printf("seccomp stop: nr %lld rax %lld msg 0x%lx; info size %ld op %d nr %llu ret_data 0x%x\n", r.orig_rax,
           (long long)r.rax, msg, n, info.op, (unsigned long long)info.seccomp.nr, info.seccomp.ret_data);
  } else if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
    printf("syscall stop: nr %lld rax %lld\n", r.orig_rax, (long long)r.rax);
  } else printf("stop sig %d\n", WSTOPSIG(st));
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  parent = getpid();
  pid_t c = fork();
  if (c == 0) child();
  int st;
  waitpid(c, &st, 0);
  printf("first stop sig %d\n", WSTOPSIG(st));
  ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD);
  int seccomp_stops = 0;
  for (;;) {
    // PTRACE_SYSCALL up to the second seccomp stop, then PTRACE_CONT
    ptrace(seccomp_stops < 2 ? PTRACE_SYSCALL : PTRACE_CONT, c, 0, 0);
    waitpid(c, &st, 0);
    describe(c, st);
    if (WIFEXITED(st)) break;
    if (WSTOPSIG(st) == SIGSTOP) {
      printf("  suspend seccomp: %ld\n", ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_SUSPEND_SECCOMP));
      continue;
    }
    if (st >> 16 == PTRACE_EVENT_SECCOMP && ++seccomp_stops == 1) {
      struct user_regs_struct r;
      ptrace(PTRACE_GETREGS, c, 0, &r);
      r.orig_rax = -1;
      r.rax = 555;
      ptrace(PTRACE_SETREGS, c, 0, &r);
      printf("  skipped, result 555\n");
    }
    if (st >> 16 == PTRACE_EVENT_SECCOMP && seccomp_stops == 3) {
      ptrace(PTRACE_SETOPTIONS, c, 0, 0);
      printf("  options cleared\n");
    }
  }
  return 0;
}
