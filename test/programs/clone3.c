// clone3(2): struct clone_args of each size version, its argument checks (EINVAL, E2BIG), fork-like and
// vfork-like children, exit_signal, CLONE_PARENT, CLONE_CLEAR_SIGHAND, set_tid, CLONE_INTO_CGROUP on a
// directory that is no cgroup, and what glibc builds on it (threads, posix_spawn).
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "report.h"

struct args {  // struct clone_args, VER2 (88 bytes), spelled out so no header version matters
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
#define CLEAR_SIGHAND 0x100000000ULL
#define INTO_CGROUP 0x200000000ULL

static long clone3(struct args *a, size_t size) { return syscall(SYS_clone3, a, size); }

/** A fork-like clone3 whose child exits with `code`; prints the result or the wait status. */
static void forked(const char *what, struct args *a, size_t size, int code) {
  long pid = clone3(a, size);
  if (pid == 0) _exit(code);
  if (pid < 0) { show(what, pid); return; }
  int st;
  pid_t w = waitpid(pid, &st, __WALL);
  printf("%s: child reaped=%d exit=%d\n", what, w == pid, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

volatile int shared_word;
static char child_stack[65536];

/** clone3(CLONE_VM|CLONE_VFORK) with a stack of its own; the child, in assembly (no stack frame to return
 * through), stores 42 into shared_word and exits with 8. */
static long vfork_on_stack(void) {
  struct args a = {.flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD, .stack = (uintptr_t)child_stack, .stack_size = sizeof child_stack};
  long ret;
  __asm__ volatile("syscall\n\ttest %%rax, %%rax\n\tjnz 1f\n\t"
                   "movl $42, shared_word(%%rip)\n\tmov $60, %%eax\n\tmov $8, %%edi\n\tsyscall\n1:"
                   : "=a"(ret) : "0"((long)SYS_clone3), "D"(&a), "S"(64L) : "rcx", "r11", "memory");
  return ret;
}

static volatile int usr1;
static void on_usr1(int s) { (void)s; usr1++; }

static void *thread_main(void *p) { *(int *)p += 1; return p; }

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct args a = {.exit_signal = SIGCHLD};
  char big[4200] = {0};
  memcpy(big, &a, sizeof a);

  // sizes: below VER0 EINVAL, above a page E2BIG, a longer struct only with a zero tail
  show("size 0", clone3(&a, 0));
  show("size 63", clone3(&a, 63));
  show("size 4097", clone3((struct args *)big, 4097));
  big[100] = 1;
  show("size 104, non-zero tail", clone3((struct args *)big, 104));
  big[100] = 0;
  forked("size 104, zero tail", (struct args *)big, 104, 3);
  forked("size 64 (VER0)", &a, 64, 4);
  forked("size 80 (VER1)", &a, 80, 5);
  show("bad pointer", clone3((struct args *)8, 64));

  // clone3_args_valid and copy_process's flag checks
  struct args b;
#define TRY(what, ...) do { b = (struct args){.exit_signal = SIGCHLD, __VA_ARGS__}; long r = clone3(&b, sizeof b); if (r == 0) _exit(0); show(what, r); if (r > 0) waitpid(r, NULL, __WALL); } while (0)
  TRY("exit signal in flags", .flags = SIGCHLD);
  TRY("CLONE_DETACHED", .flags = CLONE_DETACHED);
  TRY("unknown flag bit 40", .flags = 1ULL << 40);
  TRY("exit_signal 65", .exit_signal = 65);
  TRY("exit_signal 0x111", .exit_signal = 0x111);
  TRY("stack without size", .stack = 0x10000);
  TRY("size without stack", .stack_size = 4096);
  TRY("stack beyond user space", .stack = 0x7ffffffff000ULL, .stack_size = 0x2000);
  TRY("CLONE_THREAD without SIGHAND", .flags = CLONE_THREAD | CLONE_VM, .exit_signal = 0);
  TRY("CLONE_SIGHAND without VM", .flags = CLONE_SIGHAND);
  TRY("CLONE_THREAD with exit_signal", .flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM);
  TRY("CLONE_PARENT with exit_signal", .flags = CLONE_PARENT);
  TRY("SIGHAND and CLEAR_SIGHAND", .flags = CLONE_SIGHAND | CLONE_VM | CLEAR_SIGHAND);
  TRY("CLONE_FS with CLONE_NEWNS", .flags = CLONE_FS | CLONE_NEWNS);
  int tidv[2] = {1, 1}, pidfd = -1;
  TRY("set_tid_size without set_tid", .set_tid_size = 1);
  TRY("set_tid without size", .set_tid = (uintptr_t)tidv);
  TRY("set_tid_size 33", .set_tid = (uintptr_t)tidv, .set_tid_size = 33);
  TRY("set_tid_size 2 (one pid namespace)", .set_tid = (uintptr_t)tidv, .set_tid_size = 2);
  TRY("set_tid 1 (in use)", .set_tid = (uintptr_t)tidv, .set_tid_size = 1);
  tidv[0] = 0;
  TRY("set_tid 0", .set_tid = (uintptr_t)tidv, .set_tid_size = 1);
  TRY("CLONE_PIDFD with pidfd == parent_tid", .flags = CLONE_PIDFD | CLONE_PARENT_SETTID, .pidfd = (uintptr_t)&pidfd, .parent_tid = (uintptr_t)&pidfd);
  TRY("CLONE_PIDFD bad address", .flags = CLONE_PIDFD, .pidfd = 8);
  int dirfd = open("/", O_RDONLY | O_DIRECTORY);
  b = (struct args){.exit_signal = SIGCHLD, .flags = INTO_CGROUP, .cgroup = dirfd};
  show("CLONE_INTO_CGROUP with VER1 size", clone3(&b, 80));
  TRY("CLONE_INTO_CGROUP on a plain directory", .flags = INTO_CGROUP, .cgroup = dirfd);

  // set_tid: root may ask for a free pid (the highest one free below 32768, which both kernels allow)
  pid_t want = 32000;
  while (want > 300 && (kill(want, 0) == 0 || errno != ESRCH)) want--;
  tidv[0] = want;
  b = (struct args){.exit_signal = SIGCHLD, .set_tid = (uintptr_t)tidv, .set_tid_size = 1};
  long pid = clone3(&b, sizeof b);
  if (pid == 0) _exit(getpid() == want ? 0 : 1);
  int st;
  if (pid > 0) waitpid(pid, &st, 0);
  printf("set_tid: got the pid asked for %d, child saw it %d\n", pid == want, pid > 0 && WEXITSTATUS(st) == 0);
  // ... and without the capability, EPERM
  pid = fork();
  if (pid == 0) {
    if (setuid(65534)) _exit(9);
    tidv[0] = want;
    long r = clone3(&b, sizeof b);
    if (r == 0) _exit(0);
    _exit(r < 0 && errno == EPERM ? 0 : 1);
  }
  waitpid(pid, &st, 0);
  printf("set_tid as nobody: EPERM %d\n", WEXITSTATUS(st) == 0);

  // exit_signal: SIGUSR1 instead of SIGCHLD (waited for with __WALL), or none at all
  signal(SIGUSR1, on_usr1);
  forked("exit_signal SIGUSR1", &(struct args){.exit_signal = SIGUSR1}, 64, 6);
  printf("SIGUSR1 on the child's exit: %d\n", usr1);
  forked("exit_signal 0", &(struct args){.exit_signal = 0}, 64, 7);
  printf("signals after exit_signal 0: %d\n", usr1);

  // CLONE_CLEAR_SIGHAND: caught signals back to SIG_DFL in the child, ignored ones stay ignored
  signal(SIGUSR2, SIG_IGN);
  pid = clone3(&(struct args){.flags = CLEAR_SIGHAND, .exit_signal = SIGCHLD}, 64);
  if (pid == 0) {
    struct sigaction s1, s2;
    sigaction(SIGUSR1, NULL, &s1);
    sigaction(SIGUSR2, NULL, &s2);
    _exit((s1.sa_handler == SIG_DFL) | (s2.sa_handler == SIG_IGN) << 1);
  }
  waitpid(pid, &st, 0);
  printf("CLEAR_SIGHAND: USR1 default %d, USR2 still ignored %d\n", WEXITSTATUS(st) & 1, WEXITSTATUS(st) >> 1);

  // CLONE_PARENT: the child is our sibling (its parent is ours), so we cannot wait for it
  int p[2];
  pipe(p);
  pid_t ours = getppid();
  pid = clone3(&(struct args){.flags = CLONE_PARENT}, 64);
  if (pid == 0) { char ok = getppid() == ours; write(p[1], &ok, 1); _exit(0); }
  char ok = 0;
  read(p[0], &ok, 1);
  printf("CLONE_PARENT: child's parent is our parent %d\n", ok);
  show("CLONE_PARENT: waitpid for a sibling", waitpid(pid, NULL, __WALL | WNOHANG));

  // CLONE_VM|CLONE_VFORK on a stack of its own (posix_spawn's shape): the parent waits for the child's exit
  pid = vfork_on_stack();
  waitpid(pid, &st, 0);
  printf("vfork-like clone3: shared=%d exit=%d\n", shared_word, WEXITSTATUS(st));

  // glibc 2.36 creates threads and spawns through clone3
  pthread_t th[4];
  int counts[4] = {0};
  for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, thread_main, &counts[i]);
  for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
  printf("threads: %d %d %d %d\n", counts[0], counts[1], counts[2], counts[3]);
  extern char **environ;
  char *argv[] = {"sh", "-c", "exit 3", NULL};
  pid_t spawned;
  posix_spawn(&spawned, "/bin/sh", NULL, NULL, argv, environ);
  waitpid(spawned, &st, 0);
  printf("posix_spawn: exit=%d\n", WEXITSTATUS(st));
  return 0;
}
