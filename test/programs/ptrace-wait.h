// Wait-status reporting shared by the ptrace test programs: a stop (signal, PTRACE_EVENT_*, the
// TRACESYSGOOD bit), an exit or a death as a line, and a waitpid(__WALL) that must return that pid.
#ifndef PBASH_PTRACE_WAIT_H
#define PBASH_PTRACE_WAIT_H
// the including program defines _GNU_SOURCE first and includes report.h
#include <stdlib.h>
#include <sys/wait.h>

static void status(const char *what, int st) {
  printf("%s: ", what);
  if (WIFSTOPPED(st)) printf("stopped sig=%d event=%d sysgood=%d\n", WSTOPSIG(st) & 0x7f, st >> 16, (WSTOPSIG(st) & 0x80) != 0);
  else if (WIFEXITED(st)) printf("exited %d\n", WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("killed by %d\n", WTERMSIG(st));
  else printf("raw 0x%x\n", st);
}

static int wait_for(pid_t pid, const char *what) {
  int st;
  pid_t w = waitpid(pid, &st, __WALL);
  if (w != pid) { printf("%s: waitpid returned %d (%s)\n", what, w, strerrorname_np(errno)); exit(1); }
  status(what, st);
  return st;
}
#endif
