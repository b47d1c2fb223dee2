// vfork: the child runs in the parent's memory until it execs or exits, and the parent is suspended
// until then, so it sees the child's writes. Also posix_spawn (glibc builds it on CLONE_VFORK) and an
// exec failure reported through shared memory.
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile int shared_value = 1;
static volatile int exec_errno;

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  volatile int on_stack = 10;
  pid_t pid = vfork();
  if (pid == 0) {
    shared_value = 2;  // the parent's memory: visible to it once we _exit
    on_stack = 20;
    _exit(5);
  }
  int st;
  waitpid(pid, &st, 0);
  printf("after vfork+_exit: global=%d stack=%d status=%d\n", shared_value, on_stack, WEXITSTATUS(st));

  // the parent runs only after the exec: the child's write before execve is already there
  pid = vfork();
  if (pid == 0) {
    shared_value = 3;
    execl("/bin/sh", "sh", "-c", "echo child after exec; exit 7", (char *)0);
    _exit(127);
  }
  int seen_at_resume = shared_value;  // printed after the wait: the exec'd child writes to the same stdout
  waitpid(pid, &st, 0);
  printf("parent resumed after the child's exec: global=%d\n", seen_at_resume);
  printf("exec child status=%d\n", WEXITSTATUS(st));

  // an exec failure: the child records errno in shared memory before _exit
  pid = vfork();
  if (pid == 0) {
    execl("/nonexistent/program", "x", (char *)0);
    exec_errno = errno;
    _exit(127);
  }
  waitpid(pid, &st, 0);
  printf("failed exec: errno=%s status=%d\n", strerror(exec_errno), WEXITSTATUS(st));

  // different pids, same memory: getpid in the child differs from the parent's
  pid_t parent = getpid();
  volatile pid_t seen = 0;
  pid = vfork();
  if (pid == 0) { seen = getpid(); _exit(0); }
  waitpid(pid, &st, 0);
  printf("child pid differs from parent: %d, equals vfork's return: %d\n", seen != parent, seen == pid);

  // posix_spawn (CLONE_VM|CLONE_VFORK inside glibc) with a file action
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  char *argv[] = { "sh", "-c", "echo spawned to stderr >&2; exit 3", NULL };
  int r = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
  waitpid(pid, &st, 0);
  printf("posix_spawn: r=%d status=%d\n", r, WEXITSTATUS(st));
  char *bad[] = { "nope", NULL };
  r = posix_spawn(&pid, "/nonexistent/program", NULL, NULL, bad, environ);
  printf("posix_spawn of a missing file: %s\n", strerror(r));
  posix_spawn_file_actions_destroy(&fa);
  return 0;
}
