// fork + exec + wait: how exit codes, signals and the core bit are encoded in the wait status, through
// wait4, waitpid and waitid. Core-dumping signals run with RLIMIT_CORE 0 (no core, no bit) and, in a
// scratch directory, with RLIMIT_CORE unlimited (the bit as the host's core_pattern allows).
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, int st) {
  printf("%-28s raw=0x%04x", what, st);
  if (WIFEXITED(st)) printf(" exited=%d", WEXITSTATUS(st));
  if (WIFSIGNALED(st)) printf(" signaled=%d core=%d", WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
  printf("\n");
}

static int run(char *const argv[]) {
  pid_t c = fork();
  if (c == 0) { execv(argv[0], argv); _exit(127); }
  int st;
  pid_t w = waitpid(c, &st, 0);
  return w == c ? st : -1;
}

static int die_by(int sig) {
  pid_t c = fork();
  if (c == 0) {
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(99);
  }
  int st;
  struct rusage ru;
  return wait4(c, &st, 0, &ru) == c ? st : -1;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (int code = 0; code <= 3; code++) {
    char arg[64];
    snprintf(arg, sizeof arg, "exit %d", code * 85);
    char *argv[] = { "/bin/sh", "-c", arg, NULL };
    show(arg, run(argv));
  }
  char *big[] = { "/bin/sh", "-c", "exit 300", NULL };
  show("exit 300", run(big));
  char *missing[] = { "/nonexistent/prog", NULL };
  show("exec of a missing file", run(missing));
  char *selfkill[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
  show("sh kills itself with TERM", run(selfkill));

  struct rlimit zero = { 0, RLIM_INFINITY }, inf = { RLIM_INFINITY, RLIM_INFINITY };
  setrlimit(RLIMIT_CORE, &zero);
  int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGABRT, SIGFPE, SIGKILL, SIGSEGV, SIGPIPE, SIGTERM, SIGUSR1, SIGSYS };
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
    char what[64];
    snprintf(what, sizeof what, "%s, RLIMIT_CORE 0", strsignal(sigs[i]));
    show(what, die_by(sigs[i]));
  }

  // a writable scratch directory for the core file Linux may write (core_pattern "core" on this host)
  char dir[] = "/tmp/wait-status-XXXXXX";
  if (!mkdtemp(dir) || chdir(dir) != 0) { perror("scratch dir"); return 1; }
  setrlimit(RLIMIT_CORE, &inf);
  int core_sigs[] = { SIGQUIT, SIGABRT, SIGSEGV, SIGTERM };
  for (size_t i = 0; i < sizeof core_sigs / sizeof *core_sigs; i++) {
    char what[64];
    snprintf(what, sizeof what, "%s, RLIMIT_CORE inf", strsignal(core_sigs[i]));
    show(what, die_by(core_sigs[i]));
    unlink("core");
  }
  if (chdir("/") != 0 || rmdir(dir) != 0) perror("cleanup");
  setrlimit(RLIMIT_CORE, &zero);

  // waitid reports the same outcome as a siginfo
  pid_t c = fork();
  if (c == 0) _exit(42);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  waitid(P_PID, c, &si, WEXITED);
  printf("waitid exit: code=%s status=%d pid match=%d\n", si.si_code == CLD_EXITED ? "CLD_EXITED" : "?", si.si_status, si.si_pid == c);
  c = fork();
  if (c == 0) { signal(SIGABRT, SIG_DFL); abort(); }
  memset(&si, 0, sizeof si);
  waitid(P_ALL, 0, &si, WEXITED);
  printf("waitid abort: code=%s status=%d\n", si.si_code == CLD_DUMPED ? "CLD_DUMPED" : si.si_code == CLD_KILLED ? "CLD_KILLED" : "?", si.si_status);
  // a zombie still exists for kill(2) (the signal is dropped); once reaped, ESRCH
  c = fork();
  if (c == 0) _exit(3);
  memset(&si, 0, sizeof si);
  waitid(P_PID, c, &si, WEXITED | WNOWAIT);
  int k0 = kill(c, 0), kt = kill(c, SIGTERM), kg = kill(-c, 0);
  printf("kill of a zombie: %d %d, its group: %d\n", k0, kt, kg);
  waitpid(c, NULL, 0);
  errno = 0;
  int kr = kill(c, 0);
  printf("kill once reaped: %d %s\n", kr, strerror(errno));
  errno = 0;
  pid_t none = wait(NULL);
  printf("wait with no children: %d %s\n", (int)none, strerror(errno));
  return 0;
}
