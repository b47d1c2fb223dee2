// Built several times with -DVARIANT=0..N-1 (and -DCOUNT=N) into /v0 .. /v<N-1>: the same layout, and
// code that differs only in compute()'s constants (everything else reads the variant from data).
// Each variant runs the next one (fork + execve + wait) before it prints what its own code computes, and
// /v0 runs the chain twice. A process that ran code translated from another variant's bytes at the same
// addresses would print a wrong number.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile const int variant = VARIANT;
__attribute__((noinline)) static long compute(long x) { return x * (VARIANT + 11) + (VARIANT + 1) * 1000; }

static void run_next(void) {
  char path[16];
  snprintf(path, sizeof path, "/v%d", variant + 1);
  pid_t p = fork();
  if (p == 0) {
    execl(path, path, (char *)0);
    _exit(127);
  }
  int st;
  waitpid(p, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) printf("v%d: %s failed: %#x\n", variant, path, st);
}

int main(int argc, char **argv) {
  (void)argv;
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (int round = 0; round < (variant == 0 ? 2 : 1); round++) {
    if (variant + 1 < COUNT) run_next();
    printf("v%d: %ld\n", variant, compute(argc + 41));
  }
  return 0;
}
