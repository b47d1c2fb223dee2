// What /proc/PID/status shows of tracing: TracerPid (the tracer's pid, 0 untraced) and the State of a
// ptrace-stopped tracee ("t (tracing stop)"), before and after PTRACE_DETACH. Needs /proc.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static void proc_status(const char *what, pid_t pid) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  FILE *f = fopen(path, "r");
  if (!f) { printf("%s: no %s\n", what, path); return; }
  printf("%s:\n", what);
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "State:", 6) == 0) printf("  %s", line);
    int tp;
    if (sscanf(line, "TracerPid: %d", &tp) == 1) printf("  TracerPid is %s\n", tp == getpid() ? "the tracer" : tp == 0 ? "0" : "another");
  }
  fclose(f);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int ready[2];
  if (pipe(ready)) return 1;
  pid_t c = fork();
  if (c == 0) {
    write(ready[1], "", 1);
    for (;;) pause();
  }
  char b;
  read(ready[0], &b, 1);
  usleep(100000);
  proc_status("untraced, paused", c);
  ptrace(PTRACE_ATTACH, c, 0, 0);
  int st;
  waitpid(c, &st, 0);
  proc_status("attached, stopped", c);
  ptrace(PTRACE_CONT, c, 0, 0);
  usleep(100000);
  proc_status("traced, paused again", c);
  kill(c, SIGUSR1);
  waitpid(c, &st, 0);
  proc_status("at SIGUSR1", c);
  ptrace(PTRACE_DETACH, c, 0, 0);  // SIGUSR1 suppressed
  usleep(100000);
  proc_status("detached", c);
  kill(c, SIGTERM);
  waitpid(c, &st, 0);
  printf("end: %s %d\n", WIFSIGNALED(st) ? "killed by" : "status", WIFSIGNALED(st) ? WTERMSIG(st) : st);
  return 0;
}
